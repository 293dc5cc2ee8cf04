//! Rooms in the store: who may make, join, read, post, rename, remove and leave.

use super::{fixture, friends, id, user, StoreError};
use crate::store::{RoomInfo, Store};
use hearth_shared::session::UserPublic;
use hearth_shared::{ConversationId, Seq};

const MAX: usize = 50;

async fn post(
    store: &Store,
    who: &UserPublic,
    room: ConversationId,
    cid: &str,
) -> Result<Seq, StoreError> {
    store
        .post(who.id, room, id(cid), format!("from {}", who.username))
        .await
        .map(|p| p.message.seq)
}

fn not_in(r: Result<impl std::fmt::Debug, StoreError>) -> bool {
    matches!(r, Err(StoreError::NotInConversation))
}

#[tokio::test]
async fn a_room_is_made_among_the_owners_friends_and_its_members_all_speak() {
    let f = fixture();
    let (alice, bob, carol, dave) = (
        user(&f.store, "alice").await,
        user(&f.store, "bob").await,
        user(&f.store, "carol").await,
        user(&f.store, "dave").await,
    );
    friends(&f.store, &alice, &bob).await;
    friends(&f.store, &alice, &carol).await;
    let stranger = f
        .store
        .create_room(alice.id, "Trip".into(), vec![bob.id, dave.id], MAX)
        .await;
    assert!(
        matches!(stranger, Err(StoreError::NotFriends)),
        "dave is not alice's friend"
    );
    for bad in ["", "   ", &"x".repeat(65), "a\nb"] {
        let r = f
            .store
            .create_room(alice.id, bad.into(), vec![bob.id], MAX)
            .await;
        assert!(matches!(r, Err(StoreError::Conflict(_))), "{bad:?} refused");
    }
    let alone = f
        .store
        .create_room(alice.id, "Me".into(), vec![alice.id], MAX)
        .await;
    assert!(
        matches!(alone, Err(StoreError::Conflict(_))),
        "a room needs two"
    );
    let too_big = f
        .store
        .create_room(alice.id, "Big".into(), vec![bob.id, carol.id], 2)
        .await;
    assert!(
        matches!(too_big, Err(StoreError::Conflict(_))),
        "over the maximum"
    );

    let room = f
        .store
        .create_room(
            alice.id,
            "  Trip ".into(),
            vec![bob.id, carol.id, bob.id],
            MAX,
        )
        .await
        .expect("room");
    assert_eq!(room.name, "Trip");
    assert_eq!(room.owner, alice.id);
    assert_eq!(
        RoomInfo::member_ids(&room),
        vec![alice.id, bob.id, carol.id]
    );
    // bob and carol are not friends, yet both speak in the room they share.
    assert_eq!(
        post(&f.store, &bob, room.id, "b1").await.expect("bob"),
        Seq(1)
    );
    let carols = f
        .store
        .post(carol.id, room.id, id("c1"), "hi".into())
        .await
        .expect("carol");
    assert_eq!(carols.others, vec![alice.id, bob.id]);
    let bobs = f.store.rooms(bob.id).await.expect("rooms");
    assert_eq!(
        (bobs.len(), bobs[0].id, bobs[0].last_seq, bobs[0].unread),
        (1, room.id, Seq(2), 1),
        "bob has not read carol's message"
    );
    assert!(f.store.rooms(dave.id).await.expect("rooms").is_empty());
}

#[tokio::test]
async fn a_non_member_gets_the_same_answer_as_for_a_room_that_does_not_exist() {
    let f = fixture();
    let (alice, bob, dave) = (
        user(&f.store, "alice").await,
        user(&f.store, "bob").await,
        user(&f.store, "dave").await,
    );
    friends(&f.store, &alice, &bob).await;
    friends(&f.store, &alice, &dave).await;
    let room = f
        .store
        .create_room(alice.id, "Trip".into(), vec![bob.id], MAX)
        .await
        .expect("room");
    post(&f.store, &alice, room.id, "a1").await.expect("post");
    for conv in [room.id, ConversationId(9999)] {
        assert!(
            not_in(post(&f.store, &dave, conv, "d1").await),
            "post in {conv:?}"
        );
        assert!(not_in(
            f.store.messages_after(dave.id, conv, Seq(0), 100).await
        ));
        assert!(not_in(f.store.history(dave.id, conv, None, 100).await));
        assert!(not_in(f.store.mark(dave.id, conv, Seq(1), Seq(1)).await));
        assert!(not_in(f.store.audience(dave.id, conv).await));
        assert!(not_in(
            f.store.add_member(dave.id, conv, alice.id, MAX).await
        ));
        assert!(not_in(f.store.leave_room(dave.id, conv).await));
        assert!(not_in(
            f.store.rename_room(dave.id, conv, "Mine".into()).await
        ));
    }
}

#[tokio::test]
async fn a_member_added_later_sees_only_what_was_posted_after() {
    let f = fixture();
    let (alice, bob, carol) = (
        user(&f.store, "alice").await,
        user(&f.store, "bob").await,
        user(&f.store, "carol").await,
    );
    friends(&f.store, &alice, &bob).await;
    friends(&f.store, &bob, &carol).await;
    let room = f
        .store
        .create_room(alice.id, "Trip".into(), vec![bob.id], MAX)
        .await
        .expect("room");
    post(&f.store, &alice, room.id, "a1").await.expect("1");
    post(&f.store, &alice, room.id, "a2").await.expect("2");
    let refused = f.store.add_member(alice.id, room.id, carol.id, MAX).await;
    assert!(
        matches!(refused, Err(StoreError::NotFriends)),
        "carol is bob's friend, not alice's"
    );
    let full = f.store.add_member(bob.id, room.id, carol.id, 2).await;
    assert!(
        matches!(full, Err(StoreError::Conflict(_))),
        "the room is full"
    );
    let after = f
        .store
        .add_member(bob.id, room.id, carol.id, MAX)
        .await
        .expect("add");
    assert_eq!(
        RoomInfo::member_ids(&after),
        vec![alice.id, bob.id, carol.id]
    );
    let carols = f.store.rooms(carol.id).await.expect("rooms");
    assert_eq!(carols[0].unread, 0, "what came before is not unread");
    post(&f.store, &alice, room.id, "a3").await.expect("3");

    let seen = f
        .store
        .messages_after(carol.id, room.id, Seq(0), 100)
        .await
        .expect("sync");
    assert_eq!(seen.iter().map(|m| m.seq).collect::<Vec<_>>(), vec![Seq(3)]);
    let (page, more) = f
        .store
        .history(carol.id, room.id, None, 100)
        .await
        .expect("history");
    assert_eq!((page.len(), more), (1, false), "no older page to ask for");
    let (page, more) = f
        .store
        .history(bob.id, room.id, None, 1)
        .await
        .expect("history");
    assert_eq!((page[0].seq, more), (Seq(3), true));
}

#[tokio::test]
async fn the_owner_removes_and_renames_and_leaving_hands_the_room_on() {
    let f = fixture();
    let (alice, bob, carol) = (
        user(&f.store, "alice").await,
        user(&f.store, "bob").await,
        user(&f.store, "carol").await,
    );
    friends(&f.store, &alice, &bob).await;
    friends(&f.store, &alice, &carol).await;
    let room = f
        .store
        .create_room(alice.id, "Trip".into(), vec![carol.id, bob.id], MAX)
        .await
        .expect("room");
    let not_owner = f.store.remove_member(bob.id, room.id, carol.id).await;
    assert!(matches!(not_owner, Err(StoreError::Conflict(_))));
    let not_owner = f.store.rename_room(bob.id, room.id, "Bob's".into()).await;
    assert!(matches!(not_owner, Err(StoreError::Conflict(_))));
    let renamed = f
        .store
        .rename_room(alice.id, room.id, "Trip 2".into())
        .await
        .expect("rename");
    assert_eq!(renamed.name, "Trip 2");

    let after = f
        .store
        .remove_member(alice.id, room.id, carol.id)
        .await
        .expect("remove");
    assert_eq!(RoomInfo::member_ids(&after), vec![alice.id, bob.id]);
    assert!(
        not_in(post(&f.store, &carol, room.id, "c1").await),
        "removed: no posting"
    );
    assert!(not_in(
        f.store.messages_after(carol.id, room.id, Seq(0), 10).await
    ));
    let alice_says = f
        .store
        .post(alice.id, room.id, id("a1"), "x".into())
        .await
        .expect("post");
    assert_eq!(
        alice_says.others,
        vec![bob.id],
        "carol hears nothing after removal"
    );

    let left = f.store.leave_room(alice.id, room.id).await.expect("leave");
    assert_eq!(left.members, vec![alice.id, bob.id], "who was in it");
    let left = left.room.expect("room");
    assert_eq!(
        (left.owner, left.member_ids()),
        (bob.id, vec![bob.id]),
        "bob owns it now"
    );
    assert_eq!(
        f.store
            .leave_room(bob.id, room.id)
            .await
            .expect("leave")
            .room,
        None
    );
    assert!(
        f.store.rooms(bob.id).await.expect("rooms").is_empty(),
        "gone with the last"
    );
    assert!(not_in(
        f.store.messages_after(bob.id, room.id, Seq(0), 10).await
    ));
}
