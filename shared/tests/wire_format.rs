//! Golden JSON for every message variant: a wire change shows up here in review.
//! Each case checks both directions: the value serializes to exactly this JSON, and this JSON
//! deserializes back to the value. Server messages must also read the same through
//! `ServerMsg::from_json`, the lean decoder the web client uses.

use hearth_shared::call::*;
use hearth_shared::chat::{ClientChat, Cursor, Message, ServerChat};
use hearth_shared::friends::{ClientFriends, Friend, Roster, ServerFriends};
use hearth_shared::session::{ClientSession, ErrorCode, Heartbeat, ServerSession, UserPublic};
use hearth_shared::*;
use serde::{de::DeserializeOwned, Serialize};
use serde_json::{json, Value};
use std::any::Any;
use std::fmt::Debug;

fn golden<T: Serialize + DeserializeOwned + PartialEq + Debug + Any>(value: T, wire: Value) {
    let encoded = serde_json::to_value(&value).expect("serializes");
    assert_eq!(encoded, wire, "encoding of {value:?}");
    if let Some(msg) = (&value as &dyn Any).downcast_ref::<ServerMsg>() {
        assert_eq!(&lean(&wire), msg, "ServerMsg::from_json of {wire}");
    }
    let decoded: T = serde_json::from_value(wire).expect("deserializes");
    assert_eq!(decoded, value);
}

/// Both decoders, which must agree.
fn both(wire: Value) -> ServerMsg {
    let derived: ServerMsg = serde_json::from_value(wire.clone()).expect("derived decodes");
    assert_eq!(lean(&wire), derived, "the two decoders disagree on {wire}");
    derived
}

fn lean(wire: &Value) -> ServerMsg {
    ServerMsg::from_json(&wire.to_string()).expect("from_json decodes")
}

fn alice() -> UserPublic {
    UserPublic {
        id: UserId(1),
        username: "alice".into(),
    }
}

fn message() -> Message {
    Message {
        conversation: ConversationId(7),
        seq: Seq(3),
        author: UserId(1),
        client_id: ClientMsgId("c-1".into()),
        text: "hi <b>".into(),
        call: None,
        sent_at_ms: 1_790_000_000_000,
    }
}

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
            code: ErrorCode::NotFriends,
            message: "you are not friends".into(),
        }),
        json!({"domain":"session","type":"error","req_id":4,"code":"not_friends",
               "message":"you are not friends"}),
    );
    golden(
        ServerMsg::Session(ServerSession::Error {
            req_id: None,
            code: ErrorCode::BadFrame,
            message: "x".into(),
        }),
        json!({"domain":"session","type":"error","code":"bad_frame","message":"x"}),
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

#[test]
fn client_friends() {
    golden(
        ClientMsg::Friends(ClientFriends::Request {
            req_id: ReqId(1),
            username: "bob".into(),
        }),
        json!({"domain":"friends","type":"request","req_id":1,"username":"bob"}),
    );
    let by_user = [
        (
            "accept",
            ClientFriends::Accept {
                req_id: ReqId(2),
                user: UserId(9),
            },
        ),
        (
            "decline",
            ClientFriends::Decline {
                req_id: ReqId(2),
                user: UserId(9),
            },
        ),
        (
            "cancel",
            ClientFriends::Cancel {
                req_id: ReqId(2),
                user: UserId(9),
            },
        ),
        (
            "remove",
            ClientFriends::Remove {
                req_id: ReqId(2),
                user: UserId(9),
            },
        ),
    ];
    for (tag, msg) in by_user {
        golden(
            ClientMsg::Friends(msg),
            json!({"domain":"friends","type":tag,"req_id":2,"user":9}),
        );
    }
}

#[test]
fn server_friends() {
    golden(
        ServerMsg::Friends(ServerFriends::Roster(Roster {
            friends: vec![Friend {
                user: alice(),
                online: true,
                conversation: ConversationId(7),
                last_seq: Seq(12),
                unread: 3,
            }],
            incoming: vec![alice()],
            outgoing: vec![],
        })),
        json!({"domain":"friends","type":"roster",
               "friends":[{"user":{"id":1,"username":"alice"},"online":true,
                           "conversation":7,"last_seq":12,"unread":3}],
               "incoming":[{"id":1,"username":"alice"}],"outgoing":[]}),
    );
    golden(
        ServerMsg::Friends(ServerFriends::Presence {
            user: UserId(1),
            online: false,
        }),
        json!({"domain":"friends","type":"presence","user":1,"online":false}),
    );
}

#[test]
fn client_chat() {
    golden(
        ClientMsg::Chat(ClientChat::Post {
            req_id: ReqId(5),
            conversation: ConversationId(7),
            client_id: ClientMsgId("c-1".into()),
            text: "hello".into(),
        }),
        json!({"domain":"chat","type":"post","req_id":5,"conversation":7,
               "client_id":"c-1","text":"hello"}),
    );
    golden(
        ClientMsg::Chat(ClientChat::Sync {
            req_id: ReqId(6),
            cursors: vec![Cursor {
                conversation: ConversationId(7),
                after: Seq(10),
            }],
        }),
        json!({"domain":"chat","type":"sync","req_id":6,
               "cursors":[{"conversation":7,"after":10}]}),
    );
    golden(
        ClientMsg::Chat(ClientChat::History {
            req_id: ReqId(8),
            conversation: ConversationId(7),
            before: Some(Seq(40)),
            limit: 50,
        }),
        json!({"domain":"chat","type":"history","req_id":8,"conversation":7,
               "before":40,"limit":50}),
    );
    golden(
        ClientMsg::Chat(ClientChat::Typing {
            conversation: ConversationId(7),
        }),
        json!({"domain":"chat","type":"typing","conversation":7}),
    );
    golden(
        ClientMsg::Chat(ClientChat::Delivered {
            conversation: ConversationId(7),
            seq: Seq(3),
        }),
        json!({"domain":"chat","type":"delivered","conversation":7,"seq":3}),
    );
    golden(
        ClientMsg::Chat(ClientChat::Read {
            conversation: ConversationId(7),
            seq: Seq(3),
        }),
        json!({"domain":"chat","type":"read","conversation":7,"seq":3}),
    );
}

#[test]
fn history_without_before_omits_it() {
    golden(
        ClientMsg::Chat(ClientChat::History {
            req_id: ReqId(8),
            conversation: ConversationId(7),
            before: None,
            limit: 50,
        }),
        json!({"domain":"chat","type":"history","req_id":8,"conversation":7,"limit":50}),
    );
}

#[test]
fn server_chat() {
    let wire_message = json!({"conversation":7,"seq":3,"author":1,"client_id":"c-1",
                              "text":"hi <b>","sent_at_ms":1_790_000_000_000_u64});
    golden(
        ServerMsg::Chat(ServerChat::Posted { message: message() }),
        json!({"domain":"chat","type":"posted","message":wire_message}),
    );
    golden(
        ServerMsg::Chat(ServerChat::Page {
            req_id: ReqId(8),
            conversation: ConversationId(7),
            messages: vec![message()],
            has_more: false,
        }),
        json!({"domain":"chat","type":"page","req_id":8,"conversation":7,
               "messages":[wire_message],"has_more":false}),
    );
    golden(
        ServerMsg::Chat(ServerChat::Typing {
            conversation: ConversationId(7),
            user: UserId(1),
        }),
        json!({"domain":"chat","type":"typing","conversation":7,"user":1}),
    );
    golden(
        ServerMsg::Chat(ServerChat::Marks {
            conversation: ConversationId(7),
            user: UserId(1),
            delivered: Seq(5),
            read: Seq(4),
        }),
        json!({"domain":"chat","type":"marks","conversation":7,"user":1,
               "delivered":5,"read":4}),
    );
}

#[test]
fn unknown_server_messages_decode_as_unknown() {
    let newer_domain = both(json!({"domain":"calls","type":"ring","call_id":"x"}));
    assert_eq!(newer_domain, ServerMsg::Unknown);
    let newer_type = both(json!({"domain":"chat","type":"reaction","emoji":"x"}));
    assert_eq!(newer_type, ServerMsg::Chat(ServerChat::Unknown));
    // Fields are found wherever they are, even before the tags.
    let reordered = both(json!({"req_id":9,"type":"ack","domain":"session"}));
    assert_eq!(
        reordered,
        ServerMsg::Session(ServerSession::Ack { req_id: ReqId(9) })
    );
}

#[test]
fn broken_server_messages_are_errors_in_both_decoders() {
    for wire in [
        json!({"domain":"chat"}),
        json!({"type":"posted"}),
        json!({"domain":"session","type":"ack"}),
        json!({"domain":"call","type":"media","call_id":"c","audio":"yes","video":true}),
        json!({"domain":"chat","type":"posted","message":{"seq":1}}),
        json!([1, 2]),
    ] {
        assert!(
            serde_json::from_value::<ServerMsg>(wire.clone()).is_err(),
            "derived: {wire}"
        );
        assert!(
            ServerMsg::from_json(&wire.to_string()).is_err(),
            "from_json: {wire}"
        );
    }
    assert!(ServerMsg::from_json("{\"domain\":").is_err());
}

#[test]
fn unknown_client_messages_are_errors() {
    assert!(serde_json::from_value::<ClientMsg>(json!({"domain":"chat","type":"nope"})).is_err());
    assert!(serde_json::from_value::<ClientMsg>(json!({"type":"post"})).is_err());
}

#[test]
fn api_bodies() {
    use hearth_shared::api::{ApiError, Credentials, Me};
    golden(
        Credentials {
            username: "alice".into(),
            password: "correct horse".into(),
        },
        json!({"username":"alice","password":"correct horse"}),
    );
    golden(
        Me { user: alice() },
        json!({"user":{"id":1,"username":"alice"}}),
    );
    golden(
        ApiError {
            code: "bad_credentials".into(),
            message: "wrong username or password".into(),
        },
        json!({"code":"bad_credentials","message":"wrong username or password"}),
    );
}

#[test]
fn validation_rules() {
    use hearth_shared::api::{password_is_valid, username_is_valid};
    assert!(username_is_valid("al_i-ce9"));
    assert!(!username_is_valid("al"));
    assert!(!username_is_valid(&"a".repeat(33)));
    assert!(!username_is_valid("al ice"));
    assert!(!username_is_valid("ålice"));
    assert!(password_is_valid("12345678"));
    assert!(!password_is_valid("1234567"));
    assert!(!password_is_valid(&"x".repeat(129)));
    assert!(ClientMsgId("a-b_9".into()).is_valid());
    assert!(!ClientMsgId(String::new()).is_valid());
    assert!(!ClientMsgId("a b".into()).is_valid());
}

fn call_id() -> CallId {
    CallId("c0ffee".into())
}

fn offer() -> SessionDescription {
    SessionDescription {
        kind: SdpType::Offer,
        sdp: "v=0\r\n".into(),
    }
}

fn candidate() -> IceCandidate {
    IceCandidate {
        candidate: "candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host".into(),
        sdp_mid: Some("0".into()),
        sdp_m_line_index: Some(0),
        username_fragment: None,
    }
}

const CANDIDATE: &str = "candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host";

#[test]
fn client_call() {
    golden(
        ClientMsg::Call(ClientCall::Invite {
            req_id: ReqId(3),
            callee: UserId(2),
            kind: CallKind::Video,
        }),
        json!({"domain":"call","type":"invite","req_id":3,"callee":2,"kind":"video"}),
    );
    for (tag, msg) in [
        ("accept", ClientCall::Accept { call_id: call_id() }),
        ("decline", ClientCall::Decline { call_id: call_id() }),
        ("hangup", ClientCall::Hangup { call_id: call_id() }),
    ] {
        golden(
            ClientMsg::Call(msg),
            json!({"domain":"call","type":tag,"call_id":"c0ffee"}),
        );
    }
    golden(
        ClientMsg::Call(ClientCall::Description {
            call_id: call_id(),
            description: offer(),
        }),
        json!({"domain":"call","type":"description","call_id":"c0ffee",
               "description":{"type":"offer","sdp":"v=0\r\n"}}),
    );
    golden(
        ClientMsg::Call(ClientCall::Candidate {
            call_id: call_id(),
            candidate: candidate(),
        }),
        json!({"domain":"call","type":"candidate","call_id":"c0ffee",
               "candidate":{"candidate":CANDIDATE,"sdpMid":"0","sdpMLineIndex":0}}),
    );
    golden(
        ClientMsg::Call(ClientCall::Media {
            call_id: call_id(),
            audio: false,
            video: true,
            screen: true,
        }),
        json!({"domain":"call","type":"media","call_id":"c0ffee","audio":false,"video":true,
               "screen":true}),
    );
    // A client from before screen sharing sent no `screen`.
    let old: ClientMsg = serde_json::from_value(
        json!({"domain":"call","type":"media","call_id":"c0ffee","audio":true,"video":true}),
    )
    .expect("decodes");
    assert!(matches!(
        old,
        ClientMsg::Call(ClientCall::Media { screen: false, .. })
    ));
    golden(
        ClientMsg::Call(ClientCall::Recording {
            call_id: call_id(),
            on: true,
        }),
        json!({"domain":"call","type":"recording","call_id":"c0ffee","on":true}),
    );
}

#[test]
fn server_call() {
    let info = CallInfo {
        id: call_id(),
        peer: alice(),
        kind: CallKind::Voice,
        conversation: ConversationId(7),
    };
    let wire_info =
        json!({"id":"c0ffee","peer":{"id":1,"username":"alice"},"kind":"voice","conversation":7});
    golden(
        ServerMsg::Call(ServerCall::Outgoing {
            req_id: ReqId(3),
            call: info.clone(),
        }),
        json!({"domain":"call","type":"outgoing","req_id":3,"call":wire_info}),
    );
    golden(
        ServerMsg::Call(ServerCall::Incoming { call: info }),
        json!({"domain":"call","type":"incoming","call":wire_info}),
    );
    golden(
        ServerMsg::Call(ServerCall::Connected {
            call_id: call_id(),
            polite: true,
        }),
        json!({"domain":"call","type":"connected","call_id":"c0ffee","polite":true}),
    );
    golden(
        ServerMsg::Call(ServerCall::Description {
            call_id: call_id(),
            description: SessionDescription {
                kind: SdpType::Rollback,
                sdp: String::new(),
            },
        }),
        json!({"domain":"call","type":"description","call_id":"c0ffee","description":{"type":"rollback","sdp":""}}),
    );
    golden(
        ServerMsg::Call(ServerCall::Candidate {
            call_id: call_id(),
            candidate: candidate(),
        }),
        json!({"domain":"call","type":"candidate","call_id":"c0ffee",
               "candidate":{"candidate":CANDIDATE,"sdpMid":"0","sdpMLineIndex":0}}),
    );
    golden(
        ServerMsg::Call(ServerCall::Media {
            call_id: call_id(),
            audio: true,
            video: false,
            screen: false,
        }),
        json!({"domain":"call","type":"media","call_id":"c0ffee","audio":true,"video":false,
               "screen":false}),
    );
    let old =
        both(json!({"domain":"call","type":"media","call_id":"c0ffee","audio":true,"video":true}));
    assert!(matches!(
        old,
        ServerMsg::Call(ServerCall::Media { screen: false, .. })
    ));
    golden(
        ServerMsg::Call(ServerCall::Recording {
            call_id: call_id(),
            on: false,
        }),
        json!({"domain":"call","type":"recording","call_id":"c0ffee","on":false}),
    );
    for (reason, wire) in [
        (EndReason::Declined, "declined"),
        (EndReason::Cancelled, "cancelled"),
        (EndReason::Missed, "missed"),
        (EndReason::HungUp, "hung_up"),
        (EndReason::Busy, "busy"),
        (EndReason::Disconnected, "disconnected"),
        (EndReason::AnsweredElsewhere, "answered_elsewhere"),
    ] {
        golden(
            ServerMsg::Call(ServerCall::Ended {
                call_id: call_id(),
                reason,
            }),
            json!({"domain":"call","type":"ended","call_id":"c0ffee","reason":wire}),
        );
    }
}

#[test]
fn call_records_ride_on_messages() {
    let mut m = message();
    m.text = String::new();
    m.call = Some(CallRecord {
        kind: CallKind::Video,
        outcome: CallOutcome::Completed { seconds: 201 },
    });
    golden(
        m,
        json!({"conversation":7,"seq":3,"author":1,"client_id":"c-1","text":"",
               "call":{"kind":"video","outcome":{"outcome":"completed","seconds":201}},
               "sent_at_ms":1_790_000_000_000_u64}),
    );
    for (outcome, wire) in [
        (CallOutcome::Missed, "missed"),
        (CallOutcome::Declined, "declined"),
        (CallOutcome::Cancelled, "cancelled"),
        (CallOutcome::Busy, "busy"),
    ] {
        golden(outcome, json!({"outcome":wire}));
    }
}

#[test]
fn browser_candidate_json_passes_through() {
    // Exactly what RTCIceCandidate.toJSON() gives in Chromium, including a null sdpMid.
    let from_browser =
        json!({"candidate":CANDIDATE,"sdpMid":null,"sdpMLineIndex":0,"usernameFragment":"abcd"});
    let c: IceCandidate = serde_json::from_value(from_browser).expect("decodes");
    assert_eq!(c.sdp_mid, None);
    assert_eq!(c.username_fragment.as_deref(), Some("abcd"));
}
