//! Chat store rules.

use super::*;

const ME: UserId = UserId(1);
const FRIEND: UserId = UserId(2);
const C: ConversationId = ConversationId(7);

fn msg(seq: u32, author: UserId, client_id: &str) -> Message {
    Message {
        conversation: C,
        seq: Seq(seq),
        author,
        client_id: ClientMsgId(client_id.into()),
        text: format!("m{seq}"),
        call: None,
        sent_at_ms: 0,
    }
}

fn started() -> Rc<ChatState> {
    Rc::new(ChatState::default()).reduce(ChatAction::Start(ME, vec![]))
}

fn pending(id: &str) -> Pending {
    Pending {
        conversation: C,
        client_id: ClientMsgId(id.into()),
        text: "hi".into(),
        created_ms: 0.0,
    }
}

#[test]
fn messages_from_the_friend_count_as_unread_unless_open() {
    let s = started().reduce(ChatAction::Posted(msg(1, FRIEND, "a")));
    assert_eq!(s.conv(C).map(|c| c.unread), Some(1));
    let s = s.reduce(ChatAction::Open(C));
    assert_eq!(s.conv(C).map(|c| c.unread), Some(0));
    let s = s.reduce(ChatAction::Posted(msg(2, FRIEND, "b")));
    assert_eq!(s.conv(C).map(|c| c.unread), Some(0), "seen as it arrives");
}

#[test]
fn a_caught_up_duplicate_is_not_counted_twice() {
    let s = started()
        .reduce(ChatAction::Posted(msg(1, FRIEND, "a")))
        .reduce(ChatAction::Posted(msg(1, FRIEND, "a")));
    assert_eq!(
        s.conv(C).map(|c| (c.unread, c.messages.len())),
        Some((1, 1))
    );
}

#[test]
fn my_stored_message_leaves_the_outbox() {
    let s = started().reduce(ChatAction::Queue(pending("x")));
    assert_eq!(s.outgoing(C).count(), 1);
    let s = s.reduce(ChatAction::Posted(msg(1, ME, "x")));
    assert_eq!(s.outgoing(C).count(), 0);
    assert_eq!(
        s.conv(C).map(|c| c.unread),
        Some(0),
        "my own message is not unread"
    );
}

#[test]
fn delivery_follows_the_friends_marks() {
    let m = msg(2, ME, "x");
    let s = started().reduce(ChatAction::Posted(m.clone()));
    assert_eq!(s.delivery(&m), Delivery::Sent);
    let marks = |d, r| ChatAction::Marks {
        conversation: C,
        user: FRIEND,
        delivered: Seq(d),
        read: Seq(r),
    };
    let s = s.reduce(marks(2, 0));
    assert_eq!(s.delivery(&m), Delivery::Delivered);
    let s = s.reduce(marks(2, 2));
    assert_eq!(s.delivery(&m), Delivery::Read);
    let s = s.reduce(marks(1, 1));
    assert_eq!(s.delivery(&m), Delivery::Read, "marks never go back");
}

#[test]
fn roster_sets_unread_and_my_read_mark_clears_it() {
    use hearth_shared::session::UserPublic;
    let friend = Friend {
        user: UserPublic {
            id: FRIEND,
            username: "bob".into(),
        },
        online: true,
        conversation: C,
        last_seq: Seq(3),
        unread: 3,
    };
    let s = started().reduce(ChatAction::Roster(vec![friend]));
    assert_eq!(s.conv(C).map(|c| (c.unread, c.last_seq)), Some((3, Seq(3))));
    let s = s.reduce(ChatAction::Marks {
        conversation: C,
        user: ME,
        delivered: Seq(3),
        read: Seq(3),
    });
    assert_eq!(s.conv(C).map(|c| c.unread), Some(0), "read on another tab");
}

#[test]
fn in_a_room_only_the_typists_own_message_clears_typing() {
    let carol = UserId(3);
    let s = started().reduce(ChatAction::Typing(
        C,
        Typing {
            user: carol,
            token: 1,
        },
    ));
    let s = s.reduce(ChatAction::Posted(msg(1, FRIEND, "a")));
    assert_eq!(
        s.conv(C).and_then(|c| c.typing).map(|t| t.user),
        Some(carol)
    );
    let s = s.reduce(ChatAction::Posted(msg(2, carol, "b")));
    assert_eq!(s.conv(C).and_then(|c| c.typing), None);
}

#[test]
fn only_the_newest_typing_timer_clears_typing() {
    let typing = |token| {
        ChatAction::Typing(
            C,
            Typing {
                user: UserId(2),
                token,
            },
        )
    };
    let s = started().reduce(typing(1)).reduce(typing(2));
    let s = s.reduce(ChatAction::TypingExpired(C, 1));
    assert_eq!(s.conv(C).and_then(|c| c.typing).map(|t| t.token), Some(2));
    let s = s.reduce(ChatAction::TypingExpired(C, 2));
    assert_eq!(s.conv(C).and_then(|c| c.typing), None);
}

#[test]
fn a_refused_message_stays_visible_until_discarded() {
    let s = started()
        .reduce(ChatAction::Queue(pending("x")))
        .reduce(ChatAction::Failed(
            ClientMsgId("x".into()),
            "you are not friends".into(),
        ));
    assert_eq!(s.outbox[0].failed.as_deref(), Some("you are not friends"));
    let s = s.reduce(ChatAction::Discard(ClientMsgId("x".into())));
    assert!(s.outbox.is_empty());
}

#[test]
fn pages_mark_the_conversation_loaded() {
    let s = started().reduce(ChatAction::Loading(C));
    assert!(s.conv(C).is_some_and(|c| c.loading));
    let s = s.reduce(ChatAction::Page {
        conversation: C,
        messages: vec![msg(5, FRIEND, "e"), msg(4, ME, "d")],
        has_more: true,
    });
    let c = s.conv(C).expect("conv");
    assert!(c.loaded && !c.loading && c.has_more);
    assert_eq!(
        c.messages.keys().map(|s| s.0).collect::<Vec<_>>(),
        vec![4, 5]
    );
}

#[test]
fn call_entries_read_like_a_phone_log() {
    use hearth_shared::call::{CallKind, CallOutcome, CallRecord};
    let rec = |kind, outcome| CallRecord {
        kind,
        outcome,
        participants: Vec::new(),
        broadcast: false,
    };
    let video_missed = rec(CallKind::Video, CallOutcome::Missed);
    assert_eq!(call_label(&video_missed, false), "Missed video call");
    assert_eq!(call_label(&video_missed, true), "Video call, no answer");
    let voice_done = rec(CallKind::Voice, CallOutcome::Completed { seconds: 201 });
    assert_eq!(call_label(&voice_done, true), "Voice call, 3:21");
    let room_call = CallRecord {
        participants: vec!["alice".into(), "bob".into(), "carol".into()],
        broadcast: false,
        ..rec(CallKind::Video, CallOutcome::Completed { seconds: 723 })
    };
    assert_eq!(
        call_label(&room_call, false),
        "Video call, 12:03 \u{2014} alice, bob, carol"
    );
    let live = |participants: &[&str]| CallRecord {
        participants: participants.iter().map(|p| p.to_string()).collect(),
        broadcast: true,
        ..rec(CallKind::Video, CallOutcome::Completed { seconds: 300 })
    };
    assert_eq!(
        call_label(&live(&["alice", "bob", "carol"]), true),
        "alice was live, 5:00 \u{2014} watched by bob, carol"
    );
    assert_eq!(call_label(&live(&["alice"]), false), "alice was live, 5:00");
    assert_eq!(
        call_label(
            &rec(CallKind::Voice, CallOutcome::Completed { seconds: 3725 }),
            false
        ),
        "Voice call, 1:02:05"
    );
    assert_eq!(
        call_label(&rec(CallKind::Voice, CallOutcome::Declined), false),
        "Declined"
    );
    assert_eq!(
        call_label(&rec(CallKind::Voice, CallOutcome::Declined), true),
        "Voice call declined"
    );
    assert_eq!(
        call_label(&rec(CallKind::Video, CallOutcome::Cancelled), false),
        "Missed video call"
    );
    assert_eq!(
        call_label(&rec(CallKind::Video, CallOutcome::Busy), true),
        "Video call, busy"
    );
}
