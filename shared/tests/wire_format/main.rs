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
    seed_corpus(&value, &wire);
    if let Some(msg) = (&value as &dyn Any).downcast_ref::<ServerMsg>() {
        assert_eq!(&lean(&wire), msg, "ServerMsg::from_json of {wire}");
    }
    lean_struct(&value, &wire);
    let decoded: T = serde_json::from_value(wire).expect("deserializes");
    assert_eq!(decoded, value);
}

/// The structs the web client reads with readers of their own read the same through them.
fn lean_struct<T: Any + PartialEq + Debug>(value: &T, wire: &Value) {
    let text = wire.to_string();
    let any = value as &dyn Any;
    let read: Box<dyn Any> = if any.is::<Message>() {
        Box::new(Message::from_json(&text).expect("Message::from_json decodes"))
    } else if any.is::<CallRecord>() {
        Box::new(CallRecord::from_json(&text).expect("CallRecord::from_json decodes"))
    } else if any.is::<RoomCallInfo>() {
        Box::new(RoomCallInfo::from_json(&text).expect("RoomCallInfo::from_json decodes"))
    } else if any.is::<IceCandidate>() {
        Box::new(IceCandidate::from_json(&text).expect("IceCandidate::from_json decodes"))
    } else {
        return;
    };
    assert_eq!(
        read.downcast_ref::<T>(),
        Some(value),
        "the lean reader of {text}"
    );
}

/// With `HEARTH_FUZZ_CORPUS=<dir>` (set by `bench/fuzz.sh`), writes each golden frame into
/// `<dir>/client_msg/` or `<dir>/server_msg/`, so the fuzzers start from real frames.
fn seed_corpus<T: Any>(value: &T, wire: &Value) {
    let Ok(dir) = std::env::var("HEARTH_FUZZ_CORPUS") else {
        return;
    };
    let any = value as &dyn Any;
    let target = if any.is::<ServerMsg>() {
        "server_msg"
    } else if any.is::<hearth_shared::ClientMsg>() {
        "client_msg"
    } else {
        return;
    };
    let dir = std::path::Path::new(&dir).join(target);
    std::fs::create_dir_all(&dir).expect("corpus folder");
    let text = wire.to_string();
    let name = format!("{:016x}", {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        text.hash(&mut h);
        h.finish()
    });
    std::fs::write(dir.join(name), text).expect("corpus file");
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

mod broadcasts;
mod call;
mod call_rooms;
mod chat;
mod friends;
mod rooms;
mod session;

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
    // The server's own entries (`call:<id>`) are out of the clients' reach.
    assert!(!ClientMsgId("call:5f2c".into()).is_valid());
}
