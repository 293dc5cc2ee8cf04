//! Golden JSON: broadcasts (protocol 2) — going live in a room or to friends, watching, the
//! live notices, and the entry a broadcast leaves.

use super::call_rooms::{info, wire_info};
use super::*;

#[test]
fn broadcasts() {
    golden(
        ClientMsg::Call(ClientCall::GoLive {
            req_id: ReqId(7),
            room: ConversationId(9),
        }),
        json!({"domain":"call","type":"go_live","req_id":7,"room":9}),
    );
    golden(
        ClientMsg::Call(ClientCall::JoinRoom {
            req_id: ReqId(9),
            room: ConversationId(9),
            kind: CallKind::Video,
            call_id: Some(CallId("c0ffee".into())),
            with: vec![UserId(1)],
            seconds: Some(60),
            host: Some(UserId(1)),
        }),
        json!({"domain":"call","type":"join_room","req_id":9,"room":9,"kind":"video","call_id":"c0ffee","with":[1],"seconds":60,"host":1}),
    );
    golden(
        ClientMsg::Call(ClientCall::Watch {
            req_id: ReqId(8),
            room: ConversationId(9),
        }),
        json!({"domain":"call","type":"watch","req_id":8,"room":9}),
    );
    let live = RoomCallInfo {
        via: Via::Sfu,
        host: Some(UserId(1)),
        ..info()
    };
    let mut wire = wire_info();
    wire["via"] = json!("sfu");
    wire["host"] = json!(1);
    golden(
        ServerMsg::Call(ServerCall::RoomCall {
            room: ConversationId(9),
            call: Some(live),
        }),
        json!({"domain":"call","type":"room_call","room":9,"call":wire}),
    );
    golden(
        ServerMsg::Call(ServerCall::Ended {
            call_id: CallId("c0ffee".into()),
            reason: EndReason::BroadcastEnded,
        }),
        json!({"domain":"call","type":"ended","call_id":"c0ffee","reason":"broadcast_ended"}),
    );
    golden(
        CallRecord {
            kind: CallKind::Video,
            outcome: CallOutcome::Completed { seconds: 300 },
            participants: vec!["alice".into(), "bob".into()],
            broadcast: true,
        },
        json!({"kind":"video","outcome":{"outcome":"completed","seconds":300},
               "participants":["alice","bob"],"broadcast":true}),
    );
}

#[test]
fn broadcasts_to_friends() {
    golden(
        ClientMsg::Call(ClientCall::GoLiveToFriends {
            req_id: ReqId(3),
            rejoin: None,
        }),
        json!({"domain":"call","type":"go_live_to_friends","req_id":3}),
    );
    golden(
        ClientMsg::Call(ClientCall::WatchFriend {
            req_id: ReqId(4),
            host: UserId(1),
            rejoin: None,
        }),
        json!({"domain":"call","type":"watch_friend","req_id":4,"host":1}),
    );
    // Back after a lost connection (or a restart): the broadcast's id and this side's word.
    golden(
        ClientMsg::Call(ClientCall::GoLiveToFriends {
            req_id: ReqId(5),
            rejoin: Some(StageRejoin {
                call_id: CallId("c1".into()),
                with: vec![UserId(2), UserId(3)],
                seconds: 40,
            }),
        }),
        json!({"domain":"call","type":"go_live_to_friends","req_id":5,
               "rejoin":{"call_id":"c1","with":[2,3],"seconds":40}}),
    );
    golden(
        ClientMsg::Call(ClientCall::WatchFriend {
            req_id: ReqId(6),
            host: UserId(1),
            rejoin: Some(StageRejoin {
                call_id: CallId("c1".into()),
                with: vec![UserId(1)],
                seconds: 12,
            }),
        }),
        json!({"domain":"call","type":"watch_friend","req_id":6,"host":1,
               "rejoin":{"call_id":"c1","with":[1],"seconds":12}}),
    );
    let live = RoomCallInfo {
        room: FRIENDS_STAGE,
        via: Via::Sfu,
        host: Some(UserId(1)),
        ..info()
    };
    let mut wire = wire_info();
    wire["room"] = json!(0);
    wire["via"] = json!("sfu");
    wire["host"] = json!(1);
    golden(
        ServerMsg::Call(ServerCall::FriendLive {
            host: UserId(1),
            call: Some(live),
        }),
        json!({"domain":"call","type":"friend_live","host":1,"call":wire}),
    );
    golden(
        ServerMsg::Call(ServerCall::FriendLive {
            host: UserId(1),
            call: None,
        }),
        json!({"domain":"call","type":"friend_live","host":1,"call":null}),
    );
}
