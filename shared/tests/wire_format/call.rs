//! Golden JSON: call signaling, media state, recording, and call records.

use super::*;

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
        (
            "accept",
            ClientCall::Accept {
                call_id: call_id(),
                req_id: None,
            },
        ),
        (
            "decline",
            ClientCall::Decline {
                call_id: call_id(),
                req_id: None,
            },
        ),
        (
            "hangup",
            ClientCall::Hangup {
                call_id: call_id(),
                req_id: None,
            },
        ),
    ] {
        golden(
            ClientMsg::Call(msg),
            json!({"domain":"call","type":tag,"call_id":"c0ffee"}),
        );
    }
    golden(
        ClientMsg::Call(ClientCall::Description {
            call_id: call_id(),
            to: None,
            description: offer(),
        }),
        json!({"domain":"call","type":"description","call_id":"c0ffee",
               "description":{"type":"offer","sdp":"v=0\r\n"}}),
    );
    golden(
        ClientMsg::Call(ClientCall::Candidate {
            call_id: call_id(),
            to: None,
            candidate: Some(candidate()),
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
    golden(
        ClientMsg::Call(ClientCall::Resume {
            call_id: call_id(),
            peer: UserId(2),
            kind: CallKind::Video,
            caller: true,
            seconds: 83,
        }),
        json!({"domain":"call","type":"resume","call_id":"c0ffee","peer":2,"kind":"video",
               "caller":true,"seconds":83}),
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
            from: None,
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
            from: None,
            candidate: Some(candidate()),
        }),
        json!({"domain":"call","type":"candidate","call_id":"c0ffee",
               "candidate":{"candidate":CANDIDATE,"sdpMid":"0","sdpMLineIndex":0}}),
    );
    golden(
        ServerMsg::Call(ServerCall::Media {
            call_id: call_id(),
            from: None,
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
            from: None,
            on: false,
        }),
        json!({"domain":"call","type":"recording","call_id":"c0ffee","on":false}),
    );
    golden(
        ServerMsg::Call(ServerCall::Resumed { call_id: call_id() }),
        json!({"domain":"call","type":"resumed","call_id":"c0ffee"}),
    );
    for (reason, wire) in [
        (EndReason::Declined, "declined"),
        (EndReason::Cancelled, "cancelled"),
        (EndReason::Missed, "missed"),
        (EndReason::HungUp, "hung_up"),
        (EndReason::Busy, "busy"),
        (EndReason::Disconnected, "disconnected"),
        (EndReason::AnsweredElsewhere, "answered_elsewhere"),
        (EndReason::Removed, "removed"),
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
        participants: Vec::new(),
        broadcast: false,
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
        // The web client reads an outcome only inside its call entry.
        let record = json!({"kind":"voice","outcome":{"outcome":wire}});
        let read = CallRecord::from_json(&record.to_string()).expect("from_json decodes");
        assert_eq!(read.outcome, outcome);
    }
    for broken in [r#"{"outcome":"completed"}"#, r#"{"outcome":"lost"}"#] {
        let record = format!(r#"{{"kind":"voice","outcome":{broken}}}"#);
        assert!(CallRecord::from_json(&record).is_err(), "{record}");
    }
}

#[test]
fn browser_candidate_json_passes_through() {
    // Exactly what RTCIceCandidate.toJSON() gives in Chromium, including a null sdpMid.
    let from_browser =
        json!({"candidate":CANDIDATE,"sdpMid":null,"sdpMLineIndex":0,"usernameFragment":"abcd"});
    let c: IceCandidate = serde_json::from_value(from_browser.clone()).expect("decodes");
    assert_eq!(c.sdp_mid, None);
    assert_eq!(c.username_fragment.as_deref(), Some("abcd"));
    // The web client reads it with its own reader, which must agree.
    let lean = IceCandidate::from_json(&from_browser.to_string()).expect("from_json decodes");
    assert_eq!(lean, c);
    assert!(
        IceCandidate::from_json(r#"{"sdpMid":"0"}"#).is_err(),
        "no candidate line"
    );
}
