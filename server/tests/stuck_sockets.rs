//! A client that stops reading is closed at the TCP level, not kept forever: whether it is
//! kicked because its queue overflowed or stuck in the middle of a `sync`, its friends see it
//! go offline and the server's end of its TCP connection leaves ESTABLISHED within 5 s.

mod common;

use std::time::Duration;

use common::{befriend, Client, TestServer, DEADLINE};
use hearth_server::Settings;
use hearth_shared::chat::{ClientChat, Cursor};
use hearth_shared::friends::ServerFriends;
use hearth_shared::{ClientMsg, ServerMsg, UserId};
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::MaybeTlsStream;

/// What the server may take to close a socket once it gave up on it.
const CLOSE_WITHIN: Duration = Duration::from_secs(5);

fn settings() -> Settings {
    Settings {
        send_queue: 8,
        write_timeout: Duration::from_secs(1),
        idle_timeout: Duration::from_secs(60),
        ..common::quick_settings()
    }
}

/// Connects with a 4 KiB receive buffer, so a client that stops reading stalls the server's
/// writes quickly, and completes the handshake.
async fn slow_reader(server: &TestServer, cookie: &str) -> Client {
    let socket = tokio::net::TcpSocket::new_v4().expect("socket");
    socket.set_recv_buffer_size(4096).expect("rcvbuf");
    let tcp = socket.connect(server.addr).await.expect("connect");
    let mut req = format!("ws://{}/ws", server.addr)
        .into_client_request()
        .expect("request");
    req.headers_mut()
        .insert("origin", server.origin().parse().expect("origin"));
    req.headers_mut()
        .insert("cookie", cookie.parse().expect("cookie"));
    let (ws, _) = tokio_tungstenite::client_async(req, MaybeTlsStream::Plain(tcp))
        .await
        .expect("upgrade");
    let mut c = Client::raw(ws, cookie);
    c.send(ClientMsg::Session(
        hearth_shared::session::ClientSession::Hello {
            protocol: hearth_shared::PROTOCOL_VERSION,
        },
    ))
    .await;
    match c.recv().await {
        ServerMsg::Session(hearth_shared::session::ServerSession::Welcome { user, .. }) => {
            c.me = user
        }
        other => panic!("expected welcome, got {other:?}"),
    }
    c
}

/// Whether `who` going offline is in what `watcher` received.
fn went_offline(who: UserId) -> impl Fn(&ServerMsg) -> bool {
    move |m| matches!(m, ServerMsg::Friends(ServerFriends::Presence { user, online: false }) if *user == who)
}

/// The kernel's state of the server's end of the connection from `client` (from
/// /proc/net/tcp: "01" is ESTABLISHED), or `None` once it is gone.
fn server_end_state(server: std::net::SocketAddr, client: std::net::SocketAddr) -> Option<String> {
    let hex = |a: std::net::SocketAddr| match a.ip() {
        std::net::IpAddr::V4(ip) => {
            format!("{:08X}:{:04X}", u32::from_le_bytes(ip.octets()), a.port())
        }
        std::net::IpAddr::V6(_) => unreachable!("the test server is on 127.0.0.1"),
    };
    let (local, remote) = (hex(server), hex(client));
    let table = std::fs::read_to_string("/proc/net/tcp").expect("/proc/net/tcp");
    table.lines().skip(1).find_map(|l| {
        let f: Vec<&str> = l.split_whitespace().collect();
        (f.get(1) == Some(&local.as_str()) && f.get(2) == Some(&remote.as_str()))
            .then(|| f[3].to_owned())
    })
}

/// Waits, without reading a byte (reading would unstick the server), until the server's end
/// of `stalled` is no longer ESTABLISHED; panics after `CLOSE_WITHIN`.
async fn ends_soon(server: &TestServer, stalled: &Client) {
    let client = match stalled.ws.get_ref() {
        MaybeTlsStream::Plain(tcp) => tcp.local_addr().expect("addr"),
        _ => unreachable!("plain TCP"),
    };
    let deadline = Instant::now() + CLOSE_WITHIN;
    loop {
        let state = server_end_state(server.addr, client);
        if state.as_deref() != Some("01") {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the server's end was still ESTABLISHED {CLOSE_WITHIN:?} after it gave up on it"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_socket_whose_queue_overflows_is_closed_within_5_s() {
    let server = TestServer::start_with(settings()).await;
    let mut alice = server.user("alice").await;
    let mut bob = server.user("bob").await;
    let conv = befriend(&mut alice, &mut bob).await;
    let stalled = slow_reader(&server, &bob.cookie.clone()).await;
    bob.ws.close(None).await.expect("close");
    let big = "x".repeat(hearth_shared::MAX_MESSAGE_CHARS);
    let started = Instant::now();
    let gone = went_offline(stalled.me.id);
    while !alice.backlog_has(&gone) {
        assert!(started.elapsed() < DEADLINE * 3, "bob was never dropped");
        alice.post(conv, &big).await.expect("posted");
    }
    let dropped = Instant::now();
    ends_soon(&server, &stalled).await;
    eprintln!(
        "dropped after {:?} of posting; socket closed {:?} later",
        dropped - started,
        dropped.elapsed()
    );
}

#[tokio::test]
async fn a_client_that_stops_reading_in_a_sync_is_closed_within_5_s() {
    let server = TestServer::start_with(settings()).await;
    let mut alice = server.user("alice").await;
    let mut bob = server.user("bob").await;
    let conv = befriend(&mut alice, &mut bob).await;
    let big = "y".repeat(hearth_shared::MAX_MESSAGE_CHARS);
    for _ in 0..1200 {
        alice.post(conv, &big).await.expect("posted");
    }
    let mut stalled = slow_reader(&server, &bob.cookie.clone()).await;
    bob.ws.close(None).await.expect("close");
    alice.clear_backlog();
    let req_id = stalled.req();
    stalled
        .send(ClientMsg::Chat(ClientChat::Sync {
            req_id,
            cursors: vec![Cursor {
                conversation: conv,
                after: hearth_shared::Seq(0),
            }],
        }))
        .await;
    let asked = Instant::now();
    let gone = went_offline(stalled.me.id);
    alice.recv_until(|m| gone(m).then_some(())).await;
    let offline = asked.elapsed();
    ends_soon(&server, &stalled).await;
    eprintln!(
        "offline {offline:?} after the sync; socket closed {:?} after the sync",
        asked.elapsed()
    );
    assert!(offline < CLOSE_WITHIN, "offline only after {offline:?}");
}
