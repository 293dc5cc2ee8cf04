//! Benchmark: resident memory of `hearth` per idle, authenticated, handshaken WebSocket.
//!
//! Starts the given `hearth` binary on a free loopback port with a fresh data folder, signs up
//! one user per 16 sockets (the per-user cap), reads the server's RSS with no sockets open, opens N sockets (each sends `hello`
//! and reads its `welcome`), reads the RSS again, and prints the difference per socket next to
//! the budget. Traffic stays on 127.0.0.1; the run is bounded (N sockets, 60 s).
//!
//! Usage: cargo run --release -p hearth-server --example idle_connections -- <hearth> [N]

#[path = "../tests/common/process.rs"]
mod process;

use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

const BUDGET_KIB: f64 = 16.0;
/// The server's cap on one user's open sockets.
const SOCKETS_PER_USER: usize = 16;

fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// RSS once it has stopped moving (two equal readings 200 ms apart, or after 5 s).
async fn settled_rss(pid: u32) -> u64 {
    let start = Instant::now();
    let mut last = rss_kib(pid);
    loop {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let now = rss_kib(pid);
        if now == last || start.elapsed() > Duration::from_secs(5) {
            return now;
        }
        last = now;
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut args = std::env::args().skip(1);
    let binary = args
        .next()
        .expect("usage: idle_connections <hearth binary> [N]");
    let n: usize = args.next().map_or(2000, |s| s.parse().expect("N"));
    let dir = tempfile::tempdir().expect("tempdir");
    // Every socket comes from 127.0.0.1: lift the per-address caps, not the per-user one.
    let server = process::HearthProcess::start_with(
        &binary,
        dir.path(),
        &[
            "--max-connections-per-ip",
            "100000",
            "--signups-per-hour",
            "100000",
        ],
    );
    let (pid, addr) = (server.pid(), server.addr.to_string());

    // A user may have 16 sockets open: sign up enough users.
    let mut cookies = Vec::new();
    for i in 0..n.div_ceil(SOCKETS_PER_USER) {
        let res = reqwest::Client::new()
            .post(format!("http://{addr}/api/signup"))
            .json(&serde_json::json!({"username": format!("bench{i}"), "password": "password123"}))
            .send()
            .await
            .expect("signup");
        assert_eq!(res.status(), 201, "signup");
        let cookie = res.headers()["set-cookie"]
            .to_str()
            .expect("ascii")
            .split(';')
            .next()
            .expect("cookie")
            .to_owned();
        cookies.push(cookie);
    }
    let cookie = cookies[0].clone();

    // Warm up: one socket opened and closed, so lazy one-time allocations are not counted.
    let mut sockets = Vec::with_capacity(n);
    let open = |cookie: String, addr: String| async move {
        let mut req = format!("ws://{addr}/ws")
            .into_client_request()
            .expect("request");
        req.headers_mut()
            .insert("origin", format!("http://{addr}").parse().expect("origin"));
        req.headers_mut()
            .insert("cookie", cookie.parse().expect("cookie"));
        let (mut ws, _) = tokio_tungstenite::connect_async(req)
            .await
            .expect("connect");
        ws.send(Message::text(
            r#"{"domain":"session","type":"hello","protocol":1}"#,
        ))
        .await
        .expect("hello");
        loop {
            match ws.next().await {
                Some(Ok(Message::Text(t))) if t.contains("\"welcome\"") => break,
                Some(Ok(_)) => continue,
                other => panic!("no welcome: {other:?}"),
            }
        }
        ws
    };
    drop(open(cookie.clone(), addr.clone()).await);
    let before = settled_rss(pid).await;

    let t0 = Instant::now();
    for i in 0..n {
        let cookie = cookies[i / SOCKETS_PER_USER].clone();
        sockets.push(open(cookie, addr.clone()).await);
    }
    let opened_in = t0.elapsed();
    let after = settled_rss(pid).await;
    assert!(
        t0.elapsed() < Duration::from_secs(40),
        "sockets must stay within the 45 s idle timeout"
    );

    let per = (after.saturating_sub(before)) as f64 / n as f64;
    println!(
        "idle connections:       {n} (opened in {:.1} s)",
        opened_in.as_secs_f64()
    );
    println!("hearth RSS, none open:  {before} KiB");
    println!("hearth RSS, {n} open: {after} KiB");
    println!(
        "memory per connection:  {per:.1} KiB (budget {BUDGET_KIB} KiB: {})",
        if per <= BUDGET_KIB { "within" } else { "OVER" }
    );
    drop(sockets);
    drop(server);
}
