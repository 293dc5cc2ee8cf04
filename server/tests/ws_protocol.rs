//! The WebSocket's guards: Origin, cookie, handshake, bad and oversized frames (an `error`
//! up to twice the limit, close 1009 beyond, 1007 for text that is not UTF-8, 1002 for a
//! protocol violation), idle timeout.

mod common;

use common::{open_ws, TestServer};
use hearth_shared::session::{ClientSession, ErrorCode, ServerSession};
use hearth_shared::{ClientMsg, ServerMsg};

fn error_code(m: &ServerMsg) -> Option<ErrorCode> {
    match m {
        ServerMsg::Session(ServerSession::Error { code, .. }) => Some(*code),
        _ => None,
    }
}

async fn still_alive(c: &mut common::Client) {
    c.send(ClientMsg::Session(ClientSession::Ping)).await;
    c.recv_until(|m| matches!(m, ServerMsg::Session(ServerSession::Pong)).then_some(()))
        .await;
}

#[tokio::test]
async fn wrong_or_missing_origin_is_refused_with_403() {
    let server = TestServer::start().await;
    let cookie = server.signup("alice").await;
    assert_eq!(
        open_ws(&server, Some("http://evil.example"), Some(&cookie))
            .await
            .err(),
        Some(403)
    );
    assert_eq!(open_ws(&server, None, Some(&cookie)).await.err(), Some(403));
}

#[tokio::test]
async fn no_or_unknown_cookie_is_refused_with_401() {
    let server = TestServer::start().await;
    assert_eq!(
        open_ws(&server, Some(&server.origin()), None).await.err(),
        Some(401)
    );
    let forged = "hearth_session=00000000000000000000000000000000";
    assert_eq!(
        open_ws(&server, Some(&server.origin()), Some(forged))
            .await
            .err(),
        Some(401)
    );
}

#[tokio::test]
async fn malformed_and_unknown_frames_get_an_error_and_the_connection_lives() {
    let server = TestServer::start().await;
    let mut c = server.user("alice").await;
    c.send_raw("{not json").await;
    let code = c.recv_until(error_code).await;
    assert_eq!(code, ErrorCode::BadFrame);
    c.send_raw(r#"{"domain":"chat","type":"launch_rockets","req_id":7}"#)
        .await;
    let (req, code) = c
        .recv_until(|m| match m {
            ServerMsg::Session(ServerSession::Error { req_id, code, .. }) => Some((*req_id, *code)),
            _ => None,
        })
        .await;
    assert_eq!(
        (req, code),
        (Some(hearth_shared::ReqId(7)), ErrorCode::BadFrame),
        "the req_id is echoed when readable"
    );
    c.send_binary().await;
    assert_eq!(c.recv_until(error_code).await, ErrorCode::BadFrame);
    still_alive(&mut c).await;
}

#[tokio::test]
async fn oversized_frames_are_refused_and_the_connection_lives() {
    let server = TestServer::start().await;
    let mut c = server.user("alice").await;
    let big = format!(
        r#"{{"domain":"session","type":"ping","pad":"{}"}}"#,
        "x".repeat(70 * 1024)
    );
    c.send_raw(&big).await;
    assert_eq!(c.recv_until(error_code).await, ErrorCode::FrameTooLarge);
    still_alive(&mut c).await;
}

#[tokio::test]
async fn the_first_frame_must_be_hello() {
    let server = TestServer::start().await;
    let cookie = server.signup("alice").await;
    let ws = open_ws(&server, Some(&server.origin()), Some(&cookie))
        .await
        .expect("upgrade");
    let mut c = common::Client::raw(ws, &cookie);
    c.send(ClientMsg::Session(ClientSession::Ping)).await;
    assert_eq!(c.recv_until(error_code).await, ErrorCode::Handshake);
    assert_eq!(c.closed().await, 1008);
}

#[tokio::test]
async fn a_silent_connection_is_closed_after_the_idle_timeout() {
    let server = TestServer::start().await;
    let mut c = server.user("alice").await;
    // quick_settings(): 3 s idle timeout; the close frame must arrive within the deadline.
    assert_eq!(c.closed().await, 4003);
}

/// Writes raw bytes (a hand-made frame) to the client's socket.
async fn write_raw(c: &mut common::Client, bytes: &[u8]) {
    use tokio::io::AsyncWriteExt;
    match c.ws.get_mut() {
        tokio_tungstenite::MaybeTlsStream::Plain(tcp) => {
            tcp.write_all(bytes).await.expect("write");
        }
        _ => unreachable!("plain TCP in tests"),
    }
}

/// A masked client frame header (FIN set) for `opcode` announcing `len` payload bytes,
/// with an all-zero mask (so the payload goes as is).
fn header(opcode: u8, len: u64) -> Vec<u8> {
    let mut h = vec![0x80 | opcode, 0x80 | 127];
    h.extend_from_slice(&len.to_be_bytes());
    h.extend_from_slice(&[0, 0, 0, 0]);
    h
}

#[tokio::test]
async fn a_frame_over_the_ceiling_is_refused_from_its_header_with_1009() {
    let server = TestServer::start().await;
    let mut c = server.user("alice").await;
    // A gigabyte announced, not a byte of it sent: the answer cannot have waited for it.
    write_raw(&mut c, &header(0x1, 1 << 30)).await;
    assert_eq!(c.closed().await, 1009);
}

#[tokio::test]
async fn a_message_over_the_ceiling_in_fragments_is_refused_with_1009() {
    let server = TestServer::start().await;
    let mut c = server.user("alice").await;
    let piece = vec![b'x'; 60 * 1024];
    let mut first = header(0x1, piece.len() as u64);
    first[0] = 0x01; // text, FIN clear: more fragments follow
    let mut next = header(0x0, piece.len() as u64);
    next[0] = 0x00; // continuation, FIN clear
    write_raw(&mut c, &[first, piece.clone()].concat()).await;
    for _ in 0..2 {
        write_raw(&mut c, &[next.clone(), piece.clone()].concat()).await;
    }
    assert_eq!(c.closed().await, 1009);
}

#[tokio::test]
async fn a_text_frame_that_is_not_utf8_closes_with_1007() {
    let server = TestServer::start().await;
    let mut c = server.user("alice").await;
    write_raw(&mut c, &[header(0x1, 2), vec![0xff, 0xfe]].concat()).await;
    assert_eq!(c.closed().await, 1007);
}

#[tokio::test]
async fn a_reserved_opcode_closes_with_1002() {
    let server = TestServer::start().await;
    let mut c = server.user("alice").await;
    write_raw(&mut c, &[header(0x3, 1), vec![0]].concat()).await;
    assert_eq!(c.closed().await, 1002);
}

#[tokio::test]
async fn a_user_has_a_limited_number_of_sockets() {
    let server = TestServer::start_with(hearth_server::Settings {
        max_sockets_per_user: 2,
        ..common::quick_settings()
    })
    .await;
    let cookie = server.signup("alice").await;
    let origin = server.origin();
    let first = open_ws(&server, Some(&origin), Some(&cookie)).await;
    let _second = open_ws(&server, Some(&origin), Some(&cookie))
        .await
        .expect("second");
    assert_eq!(
        open_ws(&server, Some(&origin), Some(&cookie)).await.err(),
        Some(429),
        "the third is refused, even before any hello"
    );
    let mut first = common::Client::raw(first.expect("first"), &cookie);
    first.ws.close(None).await.expect("close");
    let deadline = tokio::time::Instant::now() + common::DEADLINE;
    while open_ws(&server, Some(&origin), Some(&cookie))
        .await
        .is_err()
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "a closed socket frees its place"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}
