//! Golden JSON for every message variant: a wire change shows up here in review.
//! Each case checks both directions: the value serializes to exactly this JSON, and this JSON
//! deserializes back to the value.

use hearth_shared::chat::{ClientChat, Cursor, Message, ServerChat};
use hearth_shared::friends::{ClientFriends, Friend, Roster, ServerFriends};
use hearth_shared::session::{ClientSession, ErrorCode, Heartbeat, ServerSession, UserPublic};
use hearth_shared::*;
use serde::{de::DeserializeOwned, Serialize};
use serde_json::{json, Value};
use std::fmt::Debug;

fn golden<T: Serialize + DeserializeOwned + PartialEq + Debug>(value: T, wire: Value) {
    let encoded = serde_json::to_value(&value).expect("serializes");
    assert_eq!(encoded, wire, "encoding of {value:?}");
    let decoded: T = serde_json::from_value(wire).expect("deserializes");
    assert_eq!(decoded, value);
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
        }),
        json!({"domain":"session","type":"welcome","protocol":1,
               "user":{"id":1,"username":"alice"},
               "heartbeat":{"interval_ms":15000,"timeout_ms":45000}}),
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
    let newer_domain: ServerMsg =
        serde_json::from_value(json!({"domain":"calls","type":"ring","call_id":"x"}))
            .expect("unknown domain decodes");
    assert_eq!(newer_domain, ServerMsg::Unknown);
    let newer_type: ServerMsg =
        serde_json::from_value(json!({"domain":"chat","type":"reaction","emoji":"x"}))
            .expect("unknown type decodes");
    assert_eq!(newer_type, ServerMsg::Chat(ServerChat::Unknown));
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
