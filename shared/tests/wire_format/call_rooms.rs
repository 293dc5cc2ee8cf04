//! Golden JSON: room calls (protocol 2) — joining, ringing, who is in, and signaling that
//! names its addressee and its sender.

use super::*;

fn bob() -> UserPublic {
    UserPublic {
        id: UserId(2),
        username: "bob".into(),
    }
}

pub(super) fn info() -> RoomCallInfo {
    RoomCallInfo {
        id: CallId("c0ffee".into()),
        room: ConversationId(9),
        kind: CallKind::Video,
        participants: vec![alice(), bob()],
        via: Via::Mesh,
        host: None,
    }
}

pub(super) fn wire_info() -> Value {
    json!({"id":"c0ffee","room":9,"kind":"video",
           "participants":[{"id":1,"username":"alice"},{"id":2,"username":"bob"}],"via":"mesh"})
}

#[test]
fn client_room_call() {
    golden(
        ClientMsg::Call(ClientCall::JoinRoom {
            req_id: ReqId(4),
            room: ConversationId(9),
            kind: CallKind::Voice,
            call_id: None,
            with: Vec::new(),
            seconds: None,
            host: None,
        }),
        json!({"domain":"call","type":"join_room","req_id":4,"room":9,"kind":"voice"}),
    );
    golden(
        ClientMsg::Call(ClientCall::JoinRoom {
            req_id: ReqId(5),
            room: ConversationId(9),
            kind: CallKind::Voice,
            call_id: Some(CallId("c0ffee".into())),
            with: Vec::new(),
            seconds: None,
            host: None,
        }),
        json!({"domain":"call","type":"join_room","req_id":5,"room":9,"kind":"voice","call_id":"c0ffee"}),
    );
    golden(
        ClientMsg::Call(ClientCall::JoinRoom {
            req_id: ReqId(6),
            room: ConversationId(9),
            kind: CallKind::Video,
            call_id: Some(CallId("c0ffee".into())),
            with: vec![UserId(2), UserId(3)],
            seconds: Some(95),
            host: None,
        }),
        json!({"domain":"call","type":"join_room","req_id":6,"room":9,"kind":"video","call_id":"c0ffee","with":[2,3],"seconds":95}),
    );
    golden(
        ClientMsg::Call(ClientCall::Description {
            call_id: CallId("c0ffee".into()),
            to: Some(UserId(2)),
            description: SessionDescription {
                kind: SdpType::Answer,
                sdp: "v=0\r\n".into(),
            },
        }),
        json!({"domain":"call","type":"description","call_id":"c0ffee","to":2,
               "description":{"type":"answer","sdp":"v=0\r\n"}}),
    );
    golden(
        ClientMsg::Call(ClientCall::Candidate {
            call_id: CallId("c0ffee".into()),
            to: Some(UserId(3)),
            candidate: None,
        }),
        json!({"domain":"call","type":"candidate","call_id":"c0ffee","to":3,"candidate":null}),
    );
}

#[test]
fn server_room_call() {
    golden(
        ServerMsg::Call(ServerCall::RoomCall {
            room: ConversationId(9),
            call: Some(info()),
        }),
        json!({"domain":"call","type":"room_call","room":9,"call":wire_info()}),
    );
    golden(
        ServerMsg::Call(ServerCall::RoomCall {
            room: ConversationId(9),
            call: None,
        }),
        json!({"domain":"call","type":"room_call","room":9,"call":null}),
    );
    golden(
        ServerMsg::Call(ServerCall::Ringing {
            call: info(),
            by: alice(),
        }),
        json!({"domain":"call","type":"ringing","call":wire_info(),
               "by":{"id":1,"username":"alice"}}),
    );
    golden(
        ServerMsg::Call(ServerCall::Joined {
            req_id: ReqId(4),
            call: info(),
        }),
        json!({"domain":"call","type":"joined","req_id":4,"call":wire_info()}),
    );
    golden(
        ServerMsg::Call(ServerCall::PeerJoined {
            call_id: CallId("c0ffee".into()),
            user: bob(),
        }),
        json!({"domain":"call","type":"peer_joined","call_id":"c0ffee",
               "user":{"id":2,"username":"bob"}}),
    );
    golden(
        ServerMsg::Call(ServerCall::PeerLeft {
            call_id: CallId("c0ffee".into()),
            user: UserId(2),
        }),
        json!({"domain":"call","type":"peer_left","call_id":"c0ffee","user":2}),
    );
    golden(
        ServerMsg::Call(ServerCall::Description {
            call_id: CallId("c0ffee".into()),
            from: Some(UserId(1)),
            description: SessionDescription {
                kind: SdpType::Offer,
                sdp: "v=0\r\n".into(),
            },
        }),
        json!({"domain":"call","type":"description","call_id":"c0ffee","from":1,
               "description":{"type":"offer","sdp":"v=0\r\n"}}),
    );
    // End of candidates passes through as null.
    golden(
        ServerMsg::Call(ServerCall::Candidate {
            call_id: CallId("c0ffee".into()),
            from: Some(UserId(3)),
            candidate: None,
        }),
        json!({"domain":"call","type":"candidate","call_id":"c0ffee","from":3,"candidate":null}),
    );
    golden(
        ServerMsg::Call(ServerCall::Media {
            call_id: CallId("c0ffee".into()),
            from: Some(UserId(2)),
            audio: false,
            video: true,
            screen: false,
        }),
        json!({"domain":"call","type":"media","call_id":"c0ffee","from":2,"audio":false,
               "video":true,"screen":false}),
    );
    golden(
        ServerMsg::Call(ServerCall::Recording {
            call_id: CallId("c0ffee".into()),
            from: Some(UserId(2)),
            on: true,
        }),
        json!({"domain":"call","type":"recording","call_id":"c0ffee","from":2,"on":true}),
    );
}

#[test]
fn a_description_that_could_not_be_applied_is_reported_back() {
    golden(
        ClientMsg::Call(ClientCall::Rejected {
            call_id: CallId("c0ffee".into()),
            to: Some(UserId(1)),
            message: "bad SDP".into(),
        }),
        json!({"domain":"call","type":"rejected","call_id":"c0ffee","to":1,"message":"bad SDP"}),
    );
    golden(
        ServerMsg::Call(ServerCall::Rejected {
            call_id: CallId("c0ffee".into()),
            from: None,
            message: "bad SDP".into(),
        }),
        json!({"domain":"call","type":"rejected","call_id":"c0ffee","message":"bad SDP"}),
    );
}

#[test]
fn a_room_call_entry_names_who_took_part() {
    golden(
        CallRecord {
            kind: CallKind::Video,
            outcome: CallOutcome::Completed { seconds: 723 },
            participants: vec!["alice".into(), "bob".into(), "carol".into()],
            broadcast: false,
        },
        json!({"kind":"video","outcome":{"outcome":"completed","seconds":723},
               "participants":["alice","bob","carol"]}),
    );
}

#[test]
fn call_full_is_an_error_code() {
    golden(ErrorCode::CallFull, json!("call_full"));
}

#[test]
fn sfu_descriptions() {
    let offer = || SessionDescription {
        kind: SdpType::Offer,
        sdp: "v=0\r\n".into(),
    };
    golden(
        ClientMsg::Call(ClientCall::SfuDescription {
            call_id: CallId("c0ffee".into()),
            description: offer(),
        }),
        json!({"domain":"call","type":"sfu_description","call_id":"c0ffee",
               "description":{"type":"offer","sdp":"v=0\r\n"}}),
    );
    golden(
        ServerMsg::Call(ServerCall::SfuDescription {
            call_id: CallId("c0ffee".into()),
            description: offer(),
        }),
        json!({"domain":"call","type":"sfu_description","call_id":"c0ffee",
               "description":{"type":"offer","sdp":"v=0\r\n"}}),
    );
}

#[test]
fn moving_to_the_sfu() {
    golden(
        ServerMsg::Call(ServerCall::ViaSfu {
            call_id: CallId("c0ffee".into()),
        }),
        json!({"domain":"call","type":"via_sfu","call_id":"c0ffee"}),
    );
    // A direct call whose members cannot reach each other asks for the same.
    golden(
        ClientMsg::Call(ClientCall::ViaSfu {
            call_id: CallId("c0ffee".into()),
        }),
        json!({"domain":"call","type":"via_sfu","call_id":"c0ffee"}),
    );
    golden(
        ClientMsg::Call(ClientCall::SeesViaSfu {
            call_id: CallId("c0ffee".into()),
            to: UserId(7),
        }),
        json!({"domain":"call","type":"sees_via_sfu","call_id":"c0ffee","to":7}),
    );
    golden(
        ServerMsg::Call(ServerCall::SeesViaSfu {
            call_id: CallId("c0ffee".into()),
            from: Some(UserId(3)),
        }),
        json!({"domain":"call","type":"sees_via_sfu","call_id":"c0ffee","from":3}),
    );
    for (tile, wire) in [(Tile::Thumbnail, "thumbnail"), (Tile::Large, "large")] {
        golden(
            ClientMsg::Call(ClientCall::Shows {
                call_id: CallId("c0ffee".into()),
                user: UserId(4),
                tile,
            }),
            json!({"domain":"call","type":"shows","call_id":"c0ffee","user":4,"tile":wire}),
        );
    }
    golden(
        ServerMsg::Call(ServerCall::Speaker {
            call_id: CallId("c0ffee".into()),
            user: UserId(4),
        }),
        json!({"domain":"call","type":"speaker","call_id":"c0ffee","user":4}),
    );
    let sfu = RoomCallInfo {
        via: Via::Sfu,
        ..info()
    };
    let mut wire = wire_info();
    wire["via"] = json!("sfu");
    golden(
        ServerMsg::Call(ServerCall::RoomCall {
            room: ConversationId(9),
            call: Some(sfu),
        }),
        json!({"domain":"call","type":"room_call","room":9,"call":wire}),
    );
    // A frame from before the relay (no `via`) is a mesh.
    let mut old = wire_info();
    old.as_object_mut().expect("an object").remove("via");
    let info: RoomCallInfo = serde_json::from_value(old).expect("a call without via");
    assert_eq!(info.via, Via::Mesh);
}
