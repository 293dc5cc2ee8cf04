//! One relay under test: its server process, its connected users, and one step of the ladder
//! run against it.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use tokio::sync::mpsc::UnboundedSender;

use crate::book::{route, Book};
use crate::conns::{self, Shared};
use crate::process::HearthProcess;
use crate::procstat::{cpu_seconds, pin, rss_mib};
use crate::wire::Relay;

/// How long a step waits for its last messages after the last is due.
const DRAIN: Duration = Duration::from_secs(2);
/// Above this share of a core, or this send lag, the generator, not the relay, set the pace.
const GENERATOR_CPU_LIMIT: f64 = 0.85;
const SEND_LAG_LIMIT_MS: f64 = 5.0;

enum Server {
    Hearth(HearthProcess),
    Node(Child),
}

pub struct Fleet {
    pub relay: Relay,
    pub saturated: bool,
    server: Server,
    pid: u32,
    /// Connections 0..2×pairs are the pairs (2p and 2p+1 are friends); the rest are idle.
    conns: Vec<UnboundedSender<String>>,
    /// Per pair, its Hearth conversation.
    convs: Vec<u64>,
    shared: Shared,
}

impl Fleet {
    /// Hearth on `core`, with `users` signed up and connected and `pairs` pairs befriended.
    pub async fn hearth(bin: &str, data: &Path, core: &str, users: usize, pairs: usize) -> Fleet {
        let limits = [
            "--max-connections-per-ip",
            "100000",
            "--signups-per-hour",
            "100000",
            "--command-budget-scale",
            "1000000",
        ];
        // Pinned once set up: the sign-ups' password hashing may use every core.
        let server = HearthProcess::start_with(bin, data, &limits);
        let addr = server.addr.to_string();
        let http = reqwest::Client::new();
        let names: Vec<String> = (0..users).map(|i| format!("user{i}")).collect();
        let t = Instant::now();
        let cookies: Vec<String> = futures_util::stream::iter(&names)
            .map(|n| conns::sign_up(&http, &addr, n))
            .buffered(8)
            .collect()
            .await;
        eprintln!(
            "hearth: {users} sign-ups in {:.1} s",
            t.elapsed().as_secs_f64()
        );
        let mut sockets = Vec::with_capacity(users);
        for cookie in &cookies {
            sockets.push(conns::hearth_socket(&addr, cookie).await);
        }
        let mut convs = Vec::with_capacity(pairs);
        for p in 0..pairs {
            let (left, right) = sockets.split_at_mut(2 * p + 1);
            let (a, b) = (&mut left[2 * p], &mut right[0]);
            convs.push(conns::befriend(a, &names[2 * p], b, &names[2 * p + 1]).await);
        }
        let pid = server.pid();
        pin(pid, core);
        Fleet::running(Relay::Hearth, Server::Hearth(server), pid, sockets, convs)
    }

    /// The socket.io seed relay on `core` (run by node), with `users` connected, `pairs`
    /// pairs each in a room of their own.
    pub async fn socketio(script: &str, core: &str, users: usize, pairs: usize) -> Fleet {
        let mut child = Command::new("node")
            .arg(script)
            .stdout(Stdio::piped())
            .spawn()
            .expect("start node");
        let mut out = BufReader::new(child.stdout.take().expect("stdout"));
        let mut line = String::new();
        out.read_line(&mut line).expect("a line");
        let port = line
            .trim()
            .strip_prefix("listening ")
            .expect("its port")
            .to_owned();
        std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
        let addr = format!("127.0.0.1:{port}");
        let mut sockets = Vec::with_capacity(users);
        for i in 0..users {
            let room = (i < 2 * pairs).then(|| format!("p{}", i / 2));
            sockets.push(conns::socketio_socket(&addr, room.as_deref()).await);
        }
        let pid = child.id();
        pin(pid, core);
        Fleet::running(
            Relay::SocketIo,
            Server::Node(child),
            pid,
            sockets,
            vec![0; pairs],
        )
    }

    fn running(
        relay: Relay,
        server: Server,
        pid: u32,
        sockets: Vec<conns::Ws>,
        convs: Vec<u64>,
    ) -> Fleet {
        let shared: Shared = Arc::new(Mutex::new(None));
        let conns: Vec<_> = sockets
            .into_iter()
            .enumerate()
            .map(|(i, ws)| conns::run(ws, relay, i, shared.clone()))
            .collect();
        if let Some(ping) = relay.keepalive() {
            let all = conns.clone();
            tokio::spawn(async move {
                let mut every = tokio::time::interval(Duration::from_secs(10));
                loop {
                    every.tick().await;
                    for c in &all {
                        let _ = c.send(ping.to_owned());
                    }
                }
            });
        }
        Fleet {
            relay,
            saturated: false,
            server,
            pid,
            conns,
            convs,
            shared,
        }
    }

    /// Offers `rate` messages a second for `seconds`, ids from `first`; waits for the
    /// stragglers, then reads the book.
    pub async fn step(&mut self, first: u64, rate: u32, seconds: u32) -> Step {
        let n = rate as usize * seconds as usize;
        let pairs = self.convs.len() as u64;
        let t0 = Instant::now() + Duration::from_millis(100);
        *self.shared.lock().expect("book") = Some(Book::new(first, n, t0, rate, pairs));
        let interval = Duration::from_secs_f64(1.0 / f64::from(rate));
        let mut lag_us = Vec::with_capacity(n);
        tokio::time::sleep_until(t0.into()).await;
        let (server0, own0) = (cpu_seconds(self.pid), cpu_seconds(std::process::id()));
        let mut i = 0usize;
        while i < n {
            let due = t0 + interval.mul_f64(i as f64);
            tokio::time::sleep_until(due.into()).await;
            let now = Instant::now();
            while i < n && t0 + interval.mul_f64(i as f64) <= now {
                let due = t0 + interval.mul_f64(i as f64);
                let (from, _) = route(i as u64, pairs);
                let pair = i as u64 % pairs;
                let frame = self
                    .relay
                    .message(first + i as u64, pair, self.convs[pair as usize]);
                let _ = self.conns[from].send(frame);
                lag_us.push(now.saturating_duration_since(due).as_micros() as u64);
                i += 1;
            }
        }
        let sent_in = t0.elapsed().as_secs_f64();
        let (server1, own1) = (cpu_seconds(self.pid), cpu_seconds(std::process::id()));
        let deadline = Instant::now() + DRAIN;
        while Instant::now() < deadline && !self.book_complete() {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let book = self
            .shared
            .lock()
            .expect("book")
            .take()
            .expect("the step's book");
        let s = book.summary();
        lag_us.sort_unstable();
        Step {
            rate,
            p50: s.p50,
            p99: s.p99,
            max: s.max,
            lost: s.missing,
            errors: book.errors,
            server_cpu: (server1 - server0) / sent_in,
            server_rss: rss_mib(self.pid),
            generator_cpu: (own1 - own0) / sent_in,
            send_lag_p99: lag_us[(lag_us.len() * 99 / 100).min(lag_us.len() - 1)] as f64 / 1000.0,
        }
    }

    fn book_complete(&self) -> bool {
        self.shared
            .lock()
            .expect("book")
            .as_ref()
            .is_some_and(Book::complete)
    }

    /// Stops the server.
    pub fn stop(self) {
        match self.server {
            Server::Hearth(h) => h.terminate(),
            Server::Node(mut c) => {
                let _ = c.kill();
                let _ = c.wait();
            }
        }
    }
}

/// The figures of one step.
pub struct Step {
    pub rate: u32,
    pub p50: f64,
    pub p99: f64,
    pub max: f64,
    pub lost: usize,
    pub errors: usize,
    pub server_cpu: f64,
    pub server_rss: f64,
    pub generator_cpu: f64,
    pub send_lag_p99: f64,
}

impl Step {
    pub const HEADER: &'static str = "relay       offered/s   p50 ms   p99 ms   max ms  missing errors  server CPU  server RSS  gen CPU  send lag p99";

    /// Whether the generator itself could not keep the schedule.
    pub fn generator_bound(&self) -> bool {
        self.generator_cpu > GENERATOR_CPU_LIMIT || self.send_lag_p99 > SEND_LAG_LIMIT_MS
    }

    pub fn row(&self, relay: Relay) -> String {
        let ms = |v: f64| {
            if v.is_finite() {
                format!("{v:8.1}")
            } else {
                "       -".to_owned()
            }
        };
        format!(
            "{:<10} {:>10} {} {} {} {:>8} {:>6} {:>10.0}% {:>8.0} MiB {:>7.0}% {:>10.1} ms{}",
            relay.name(),
            self.rate,
            ms(self.p50),
            ms(self.p99),
            ms(self.max),
            self.lost,
            self.errors,
            self.server_cpu * 100.0,
            self.server_rss,
            self.generator_cpu * 100.0,
            self.send_lag_p99,
            if self.generator_bound() { " *" } else { "" }
        )
    }
}
