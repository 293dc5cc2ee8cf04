//! Store rules on a real SQLite file: friendship, authorization, idempotency, sequence.

mod batching;
mod request_caps;
mod rooms;

use super::super::{RequestOutcome, Store, StoreError};
use hearth_shared::session::UserPublic;
use hearth_shared::{ClientMsgId, ConversationId, Seq};

struct Fixture {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
    store: Store,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("hearth.db");
    let store = Store::open(&path).expect("open");
    Fixture {
        _dir: dir,
        path,
        store,
    }
}

async fn user(store: &Store, name: &str) -> UserPublic {
    store
        .create_user(name.into(), "hash".into())
        .await
        .expect("create user")
}

async fn friends(store: &Store, a: &UserPublic, b: &UserPublic) -> ConversationId {
    store
        .request_friend(a.id, b.username.clone())
        .await
        .expect("request");
    store.accept_friend(b.id, a.id).await.expect("accept");
    let roster = store.roster(a.id).await.expect("roster");
    roster
        .friends
        .iter()
        .find(|f| f.user.id == b.id)
        .expect("friend listed")
        .conversation
}

fn id(s: &str) -> ClientMsgId {
    ClientMsgId(s.into())
}

#[tokio::test]
async fn usernames_are_unique_ignoring_case() {
    let f = fixture();
    user(&f.store, "alice").await;
    let again = f.store.create_user("ALICE".into(), "h".into()).await;
    assert!(matches!(again, Err(StoreError::Exists)));
}

#[tokio::test]
async fn request_then_accept_makes_friends_on_both_sides() {
    let f = fixture();
    let (a, b) = (user(&f.store, "alice").await, user(&f.store, "bob").await);
    let out = f
        .store
        .request_friend(a.id, "bob".into())
        .await
        .expect("request");
    assert_eq!(out, RequestOutcome::Sent(b.id));
    assert_eq!(
        f.store.roster(b.id).await.expect("r").incoming,
        vec![a.clone()]
    );
    assert_eq!(
        f.store.roster(a.id).await.expect("r").outgoing,
        vec![b.clone()]
    );
    f.store.accept_friend(b.id, a.id).await.expect("accept");
    let ra = f.store.roster(a.id).await.expect("r");
    let rb = f.store.roster(b.id).await.expect("r");
    assert_eq!(ra.friends.len(), 1);
    assert_eq!(rb.friends.len(), 1);
    assert_eq!(ra.friends[0].conversation, rb.friends[0].conversation);
    assert!(ra.outgoing.is_empty() && rb.incoming.is_empty());
}

#[tokio::test]
async fn crossed_requests_become_friends() {
    let f = fixture();
    let (a, b) = (user(&f.store, "alice").await, user(&f.store, "bob").await);
    f.store
        .request_friend(a.id, "bob".into())
        .await
        .expect("a asks");
    let out = f
        .store
        .request_friend(b.id, "alice".into())
        .await
        .expect("b asks");
    assert_eq!(out, RequestOutcome::BecameFriends(a.id));
    assert_eq!(f.store.friend_ids(a.id).await.expect("ids"), vec![b.id]);
}

#[tokio::test]
async fn bad_requests_are_refused() {
    let f = fixture();
    let a = user(&f.store, "alice").await;
    let b = user(&f.store, "bob").await;
    assert!(matches!(
        f.store.request_friend(a.id, "nobody".into()).await,
        Err(StoreError::NoSuchUser)
    ));
    assert!(matches!(
        f.store.request_friend(a.id, "alice".into()).await,
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        f.store.accept_friend(a.id, b.id).await,
        Err(StoreError::Conflict(_))
    ));
    friends(&f.store, &a, &b).await;
    assert!(matches!(
        f.store.request_friend(a.id, "bob".into()).await,
        Err(StoreError::Conflict(_))
    ));
}

#[tokio::test]
async fn decline_and_cancel_remove_the_request() {
    let f = fixture();
    let (a, b) = (user(&f.store, "alice").await, user(&f.store, "bob").await);
    f.store
        .request_friend(a.id, "bob".into())
        .await
        .expect("request");
    f.store.drop_request(a.id, b.id).await.expect("decline");
    assert!(f.store.roster(b.id).await.expect("r").incoming.is_empty());
    assert!(
        f.store.drop_request(a.id, b.id).await.is_err(),
        "nothing left to cancel"
    );
}

#[tokio::test]
async fn posting_assigns_gap_free_sequence_and_is_idempotent() {
    let f = fixture();
    let (a, b) = (user(&f.store, "alice").await, user(&f.store, "bob").await);
    let conv = friends(&f.store, &a, &b).await;
    let first = f
        .store
        .post(a.id, conv, id("m1"), "one".into())
        .await
        .expect("post");
    let second = f
        .store
        .post(b.id, conv, id("m1"), "two".into())
        .await
        .expect("post");
    let again = f
        .store
        .post(a.id, conv, id("m1"), "changed".into())
        .await
        .expect("repost");
    assert_eq!((first.message.seq, second.message.seq), (Seq(1), Seq(2)));
    assert!(first.is_new && second.is_new && !again.is_new);
    assert_eq!(
        again.message, first.message,
        "a resend returns the stored message"
    );
    assert_eq!(first.others, vec![b.id]);
    let all = f
        .store
        .messages_after(a.id, conv, Seq(0), 100)
        .await
        .expect("after");
    assert_eq!(all.iter().map(|m| m.seq.0).collect::<Vec<_>>(), vec![1, 2]);
}

#[tokio::test]
async fn only_friends_in_the_conversation_may_post_or_read() {
    let f = fixture();
    let (a, b, c) = (
        user(&f.store, "alice").await,
        user(&f.store, "bob").await,
        user(&f.store, "carol").await,
    );
    let conv = friends(&f.store, &a, &b).await;
    let intruder = f.store.post(c.id, conv, id("x"), "hi".into()).await;
    assert!(matches!(intruder, Err(StoreError::NotInConversation)));
    assert!(matches!(
        f.store.history(c.id, conv, None, 10).await,
        Err(StoreError::NotInConversation)
    ));
    f.store
        .post(a.id, conv, id("m1"), "before".into())
        .await
        .expect("post");
    f.store.remove_friend(b.id, a.id).await.expect("remove");
    let after_removal = f.store.post(a.id, conv, id("m2"), "after".into()).await;
    assert!(matches!(after_removal, Err(StoreError::NotFriends)));
    let (history, _) = f
        .store
        .history(a.id, conv, None, 10)
        .await
        .expect("history kept");
    assert_eq!(history.len(), 1);
}

#[tokio::test]
async fn history_pages_go_backwards() {
    let f = fixture();
    let (a, b) = (user(&f.store, "alice").await, user(&f.store, "bob").await);
    let conv = friends(&f.store, &a, &b).await;
    for i in 0..5 {
        f.store
            .post(a.id, conv, id(&format!("m{i}")), format!("{i}"))
            .await
            .expect("post");
    }
    let (page, more) = f.store.history(b.id, conv, None, 2).await.expect("page");
    assert_eq!(page.iter().map(|m| m.seq.0).collect::<Vec<_>>(), vec![5, 4]);
    assert!(more);
    let (page, more) = f
        .store
        .history(b.id, conv, Some(Seq(2)), 2)
        .await
        .expect("page");
    assert_eq!(page.iter().map(|m| m.seq.0).collect::<Vec<_>>(), vec![1]);
    assert!(!more);
}

#[tokio::test]
async fn unread_counts_follow_read_marks() {
    let f = fixture();
    let (a, b) = (user(&f.store, "alice").await, user(&f.store, "bob").await);
    let conv = friends(&f.store, &a, &b).await;
    for i in 0..3 {
        f.store
            .post(a.id, conv, id(&format!("m{i}")), "x".into())
            .await
            .expect("post");
    }
    let unread = |r: hearth_shared::friends::Roster| r.friends[0].unread;
    assert_eq!(unread(f.store.roster(b.id).await.expect("r")), 3);
    assert_eq!(
        unread(f.store.roster(a.id).await.expect("r")),
        0,
        "own messages are read"
    );
    let m = f
        .store
        .mark(b.id, conv, Seq(3), Seq(2))
        .await
        .expect("mark");
    assert_eq!(
        (m.delivered, m.read, m.others.clone(), m.moved),
        (Seq(3), Seq(2), vec![a.id], true)
    );
    assert_eq!(unread(f.store.roster(b.id).await.expect("r")), 1);
    let m = f
        .store
        .mark(b.id, conv, Seq(1), Seq(99))
        .await
        .expect("mark");
    assert_eq!(
        (m.delivered, m.read, m.moved),
        (Seq(3), Seq(3), true),
        "marks never go down nor past the end"
    );
    let again = f
        .store
        .mark(b.id, conv, Seq(3), Seq(3))
        .await
        .expect("mark");
    assert!(!again.moved, "the same marks again move nothing");
}

#[tokio::test]
async fn data_survives_reopening_the_file() {
    let f = fixture();
    let (a, b) = (user(&f.store, "alice").await, user(&f.store, "bob").await);
    let conv = friends(&f.store, &a, &b).await;
    f.store
        .post(a.id, conv, id("m1"), "kept".into())
        .await
        .expect("post");
    drop(f.store);
    let reopened = Store::open(&f.path).expect("reopen");
    let kept = reopened
        .messages_after(b.id, conv, Seq(0), 10)
        .await
        .expect("after");
    assert_eq!(kept[0].text, "kept");
    let next = reopened
        .post(b.id, conv, id("m2"), "next".into())
        .await
        .expect("post");
    assert_eq!(next.message.seq, Seq(2));
    assert_eq!(
        reopened
            .user_by_name("Bob".into())
            .await
            .expect("q")
            .map(|u| u.public.id),
        Some(b.id)
    );
}

#[tokio::test]
async fn call_entries_are_stored_once_and_survive_unfriending() {
    use hearth_shared::call::{CallId, CallKind, CallOutcome, CallRecord};
    let f = fixture();
    let (a, b) = (user(&f.store, "alice").await, user(&f.store, "bob").await);
    let conv = friends(&f.store, &a, &b).await;
    assert_eq!(
        f.store
            .conversation_of_friends(b.id, a.id)
            .await
            .expect("friends"),
        conv
    );
    let record = CallRecord {
        kind: CallKind::Video,
        outcome: CallOutcome::Missed,
        participants: Vec::new(),
        broadcast: false,
    };
    let first = f
        .store
        .record_call(a.id, conv, CallId("abc".into()), record.clone())
        .await
        .expect("record");
    f.store.remove_friend(a.id, b.id).await.expect("remove");
    assert!(matches!(
        f.store.conversation_of_friends(a.id, b.id).await,
        Err(StoreError::NotFriends)
    ));
    let again = f
        .store
        .record_call(a.id, conv, CallId("abc".into()), record.clone())
        .await
        .expect("record again");
    assert!(first.is_new && !again.is_new);
    let stored = f
        .store
        .messages_after(b.id, conv, Seq(0), 10)
        .await
        .expect("after");
    assert_eq!(
        (
            stored.len(),
            stored[0].call.clone(),
            stored[0].text.as_str()
        ),
        (1, Some(record), "")
    );
    assert_eq!(f.store.roster(b.id).await.expect("r").friends.len(), 0);
}
