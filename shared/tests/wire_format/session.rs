//! Golden JSON: the handshake, errors and error codes.

use super::*;

#[test]
fn client_session() {
    golden(
        ClientMsg::Session(ClientSession::Hello { protocol: 1 }),
        json!({"domain":"session","type":"hello","protocol":1}),
    );
    golden(
        ClientMsg::Session(ClientSession::Ping),
        json!({"domain":"session","type":"ping"}),
    );
}

#[test]
fn server_session() {
    golden(
        ServerMsg::Session(ServerSession::Welcome {
            protocol: 1,
            user: alice(),
            heartbeat: Heartbeat {
                interval_ms: 15000,
                timeout_ms: 45000,
            },
            ice_servers: vec![IceServer {
                urls: vec!["turn:turn.example:3478".into()],
                username: Some("u".into()),
                credential: Some("p".into()),
            }],
        }),
        json!({"domain":"session","type":"welcome","protocol":1,
               "user":{"id":1,"username":"alice"},
               "heartbeat":{"interval_ms":15000,"timeout_ms":45000},
               "ice_servers":[{"urls":["turn:turn.example:3478"],"username":"u","credential":"p"}]}),
    );
    // A server from before calls sent no ice_servers: still readable.
    let old = both(json!({"domain":"session","type":"welcome","protocol":1,
        "user":{"id":1,"username":"alice"},"heartbeat":{"interval_ms":1,"timeout_ms":2}}));
    assert!(
        matches!(old, ServerMsg::Session(ServerSession::Welcome { ice_servers, .. }) if ice_servers.is_empty())
    );
    golden(
        ServerMsg::Session(ServerSession::IceServers {
            ice_servers: vec![IceServer {
                urls: vec!["turn:turn.example:3478?transport=udp".into()],
                username: Some("1767225600:7".into()),
                credential: Some("c2VjcmV0".into()),
            }],
        }),
        json!({"domain":"session","type":"ice_servers",
               "ice_servers":[{"urls":["turn:turn.example:3478?transport=udp"],
                               "username":"1767225600:7","credential":"c2VjcmV0"}]}),
    );
    golden(
        ServerMsg::Session(ServerSession::Pong),
        json!({"domain":"session","type":"pong"}),
    );
    golden(
        ServerMsg::Session(ServerSession::Ack { req_id: ReqId(4) }),
        json!({"domain":"session","type":"ack","req_id":4}),
    );
    golden(
        ServerMsg::Session(ServerSession::Error {
            req_id: Some(ReqId(4)),
            call_id: None,
            code: ErrorCode::NotFriends,
            message: "you are not friends".into(),
            retry_after_ms: None,
        }),
        json!({"domain":"session","type":"error","req_id":4,"code":"not_friends",
               "message":"you are not friends"}),
    );
    golden(
        ServerMsg::Session(ServerSession::Error {
            req_id: None,
            call_id: None,
            code: ErrorCode::BadFrame,
            message: "x".into(),
            retry_after_ms: None,
        }),
        json!({"domain":"session","type":"error","code":"bad_frame","message":"x"}),
    );
    golden(
        ServerMsg::Session(ServerSession::Error {
            req_id: Some(ReqId(9)),
            call_id: None,
            code: ErrorCode::RateLimited,
            message: "slow down".into(),
            retry_after_ms: Some(1500),
        }),
        json!({"domain":"session","type":"error","req_id":9,"code":"rate_limited",
               "message":"slow down","retry_after_ms":1500}),
    );
    // A refused call command names the call (and its request, when it had one).
    golden(
        ServerMsg::Session(ServerSession::Error {
            req_id: Some(ReqId(3)),
            call_id: Some(hearth_shared::call::CallId("c0ffee".into())),
            code: ErrorCode::NoSuchCall,
            message: "no such call".into(),
            retry_after_ms: None,
        }),
        json!({"domain":"session","type":"error","req_id":3,"call_id":"c0ffee",
               "code":"no_such_call","message":"no such call"}),
    );
}

#[test]
fn every_error_code() {
    let codes = [
        (ErrorCode::BadFrame, "bad_frame"),
        (ErrorCode::FrameTooLarge, "frame_too_large"),
        (ErrorCode::Handshake, "handshake"),
        (ErrorCode::Invalid, "invalid"),
        (ErrorCode::UserNotFound, "user_not_found"),
        (ErrorCode::NotFriends, "not_friends"),
        (ErrorCode::NotInConversation, "not_in_conversation"),
        (ErrorCode::Conflict, "conflict"),
        (ErrorCode::RateLimited, "rate_limited"),
        (ErrorCode::NoSuchCall, "no_such_call"),
        (ErrorCode::Internal, "internal"),
    ];
    for (code, wire) in codes {
        golden(code, json!(wire));
    }
}
