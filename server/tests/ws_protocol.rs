//! The WebSocket's guards: Origin, cookie, handshake, bad and oversized frames, idle timeout.

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
