//! Connections that never finish a request, and too many connections: a slowloris script
//! cannot hold the server's descriptors. Partial requests are closed after the request
//! timeout, each address and the server as a whole have a cap (WebSockets count), and the
//! open-file limit is raised at start.

mod common;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;

use common::process::HearthProcess;
use common::{open_ws, TestServer, DEADLINE};
use hearth_server::Settings;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};
use tokio::time::Instant;

/// A TCP connection to the server from `127.0.0.<last>`.
async fn connect_from(last: u8, to: SocketAddr) -> TcpStream {
    let socket = TcpSocket::new_v4().expect("socket");
    socket
        .bind(SocketAddr::new(
            IpAddr::V4(Ipv4Addr::new(127, 0, 0, last)),
            0,
        ))
        .expect("bind");
    socket.connect(to).await.expect("connect")
}

/// Whether the server closes `tcp` (EOF or reset) within `within`.
async fn closed_within(tcp: &mut TcpStream, within: Duration) -> bool {
    let mut buf = [0u8; 1024];
    let deadline = Instant::now() + within;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, tcp.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0) | Err(_)) => return true,
            Ok(Ok(_)) => continue,
        }
    }
}

/// Whether an ordinary API request from `127.0.0.<last>` is answered.
async fn answered_from(last: u8, server: &TestServer) -> bool {
    let client = reqwest::Client::builder()
        .local_address(IpAddr::V4(Ipv4Addr::new(127, 0, 0, last)))
        .timeout(DEADLINE)
        .build()
        .expect("client");
    client
        .get(server.url("/api/me"))
        .send()
        .await
        .is_ok_and(|r| r.status() == 401)
}

#[tokio::test]
async fn partial_and_silent_connections_are_closed_after_the_request_timeout() {
    let server = TestServer::start_with(Settings {
        request_timeout: Duration::from_secs(1),
        ..common::quick_settings()
    })
    .await;
    let mut slow = Vec::new();
    for i in 0..30 {
        let mut tcp = connect_from(1, server.addr).await;
        if i % 3 != 0 {
            tcp.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
                .await
                .expect("write");
        }
        slow.push(tcp);
    }
    assert!(
        answered_from(2, &server).await,
        "others are served meanwhile"
    );
    // A keep-alive connection that sent one request and then goes quiet is closed too.
    let mut idle = connect_from(1, server.addr).await;
    idle.write_all(b"GET /api/me HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .expect("write");
    slow.push(idle);
    let started = Instant::now();
    for tcp in &mut slow {
        assert!(
            closed_within(tcp, Duration::from_secs(4)).await,
            "a connection was still open {:?} in (timeout 1 s)",
            started.elapsed()
        );
    }
}

#[tokio::test]
async fn each_address_and_the_server_have_a_connection_cap_that_websockets_count_in() {
    let server = TestServer::start_with(Settings {
        max_connections: 6,
        max_connections_per_ip: 3,
        request_timeout: Duration::from_secs(30),
        ..common::quick_settings()
    })
    .await;
    let cookie = server.signup("alice").await;
    // A WebSocket from 127.0.0.1 keeps its place after its HTTP connection is handed over.
    let _ws = open_ws(&server, Some(&server.origin()), Some(&cookie))
        .await
        .expect("upgrade");
    let mut held = vec![
        connect_from(1, server.addr).await,
        connect_from(1, server.addr).await,
    ];
    let mut over = connect_from(1, server.addr).await;
    assert!(
        closed_within(&mut over, Duration::from_secs(2)).await,
        "the fourth connection from one address is refused"
    );
    assert!(answered_from(2, &server).await, "another address is served");
    held.push(connect_from(2, server.addr).await);
    held.push(connect_from(3, server.addr).await);
    held.push(connect_from(3, server.addr).await);
    let mut over = connect_from(4, server.addr).await;
    assert!(
        closed_within(&mut over, Duration::from_secs(2)).await,
        "the seventh connection in all is refused"
    );
    held.pop();
    let deadline = Instant::now() + DEADLINE;
    while !answered_from(4, &server).await {
        assert!(
            Instant::now() < deadline,
            "a closed connection frees its place"
        );
    }
}

#[test]
fn the_open_file_limit_is_raised_to_the_hard_limit_at_start() {
    let dir = tempfile::tempdir().expect("tempdir");
    let hearth = HearthProcess::start_under(
        &["prlimit", "--nofile=256:4096"],
        env!("CARGO_BIN_EXE_hearth"),
        dir.path(),
        &[],
    );
    let limits = std::fs::read_to_string(format!("/proc/{}/limits", hearth.pid())).expect("limits");
    let open_files = limits
        .lines()
        .find(|l| l.starts_with("Max open files"))
        .expect("Max open files");
    let soft: Vec<&str> = open_files.split_whitespace().collect();
    assert_eq!(&soft[3..5], ["4096", "4096"], "{open_files}");
}
