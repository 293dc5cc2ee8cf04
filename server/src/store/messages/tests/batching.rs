//! Group commit: posts queued together are stored in one transaction, each in a savepoint.

use super::{fixture, friends, id, user, StoreError};

#[tokio::test]
async fn posts_waiting_together_are_committed_together_each_in_its_own_savepoint() {
    let f = fixture();
    let (a, b) = (user(&f.store, "alice").await, user(&f.store, "bob").await);
    let conv = friends(&f.store, &a, &b).await;
    let stranger = user(&f.store, "mallory").await;
    let (batches_before, _) = f.store.post_batches();
    // Hold the database while 200 posts (and one that must fail) queue up behind it.
    let guard = f.store.conn.lock().expect("lock");
    let mut posts: Vec<_> = (0..200)
        .map(|i| {
            f.store
                .post(a.id, conv, id(&format!("g{i}")), format!("m{i}"))
        })
        .collect();
    posts.insert(
        100,
        f.store.post(stranger.id, conv, id("x"), "intruder".into()),
    );
    let mut all = Box::pin(futures_util::future::join_all(posts));
    // One poll queues every post (nothing can be stored while the database is held).
    assert!(futures_util::FutureExt::now_or_never(&mut all).is_none());
    drop(guard);
    let results = all.await;
    assert!(matches!(results[100], Err(StoreError::NotInConversation)));
    let seqs: Vec<u32> = results
        .iter()
        .filter_map(|r| r.as_ref().ok().map(|o| o.message.seq.0))
        .collect();
    assert_eq!(
        seqs,
        (1..=200).collect::<Vec<_>>(),
        "in order, the refused one undone alone"
    );
    let (batches, _) = f.store.post_batches();
    assert!(
        batches - batches_before <= 3,
        "{} commits for 201 posts",
        batches - batches_before
    );
}
