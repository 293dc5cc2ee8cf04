//! Group commit: posts queued together are stored in one transaction; a refused post is
//! refused before anything of it is written, and a failed write undoes the whole batch.

use super::{fixture, friends, id, user, StoreError};

#[tokio::test]
async fn posts_waiting_together_are_committed_together_and_a_refused_one_alone_fails() {
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
    assert_eq!(
        batches - batches_before,
        1,
        "every post queued while the database was busy, in one commit"
    );
}

#[tokio::test]
async fn a_write_that_fails_fails_its_whole_batch_and_stores_none_of_it() {
    let f = fixture();
    let (a, b) = (user(&f.store, "alice").await, user(&f.store, "bob").await);
    let conv = friends(&f.store, &a, &b).await;
    // The disk "fills up" while the 5th of 10 posts, queued behind a busy database, is written.
    let all = {
        let guard = f.store.conn.lock().expect("lock");
        guard
            .execute_batch(
                "CREATE TEMP TRIGGER full BEFORE INSERT ON messages WHEN NEW.text = 'm4'
                 BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;",
            )
            .expect("trigger");
        let posts: Vec<_> = (0..10)
            .map(|i| {
                f.store
                    .post(a.id, conv, id(&format!("w{i}")), format!("m{i}"))
            })
            .collect();
        let mut all = Box::pin(futures_util::future::join_all(posts));
        assert!(futures_util::FutureExt::now_or_never(&mut all).is_none());
        all
    };
    let results = all.await;
    assert!(
        results.iter().all(|r| matches!(r, Err(StoreError::Task))),
        "no post of a rolled-back batch is acknowledged: {results:?}"
    );
    let (page, _) = f
        .store
        .history(a.id, conv, None, 50)
        .await
        .expect("history");
    assert!(page.is_empty(), "nothing of it stored: {page:?}");
    // The clients retry with the same ids once the disk has room: every post, gap-free.
    f.store
        .call(|db| Ok(db.execute_batch("DROP TRIGGER temp.full")?))
        .await
        .expect("drop trigger");
    for i in 0..10 {
        let stored = f
            .store
            .post(a.id, conv, id(&format!("w{i}")), format!("m{i}"))
            .await;
        assert_eq!(stored.expect("stored").message.seq.0, i + 1);
    }
}

#[tokio::test]
async fn the_log_reaches_the_database_file_without_a_commit_waiting_for_it() {
    let f = fixture();
    let (a, b) = (user(&f.store, "alice").await, user(&f.store, "bob").await);
    let conv = friends(&f.store, &a, &b).await;
    for i in 0..300 {
        let posted = f
            .store
            .post(a.id, conv, id(&format!("c{i}")), format!("m{i}"));
        posted.await.expect("posted");
    }
    // Far below the fallback threshold: only the checkpoint thread copies these in. A copy of
    // the database file alone (without its log) has them once it has.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    let copy = f.path.with_file_name("copy.db");
    loop {
        std::fs::copy(&f.path, &copy).expect("copy the database file");
        let db = rusqlite::Connection::open(&copy).expect("open the copy");
        let n: u32 = (db.query_row("SELECT COUNT(*) FROM messages", [], |r| r.get(0))).unwrap_or(0);
        if n == 300 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the database file has {n} of 300 posts after 5 s"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}
