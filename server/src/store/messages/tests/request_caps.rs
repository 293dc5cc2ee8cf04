//! Caps on friend requests, so fresh sign-ups cannot bury one user's list.

use super::{fixture, user, StoreError};
use crate::store::friends::{MAX_SENT_UNANSWERED, MAX_WAITING_FOR_ONE};

#[tokio::test]
async fn requests_waiting_for_one_user_and_sent_by_one_user_are_capped() {
    let f = fixture();
    let target = user(&f.store, "target").await;
    for i in 0..MAX_WAITING_FOR_ONE {
        let fresh = user(&f.store, &format!("signup{i}")).await;
        f.store
            .request_friend(fresh.id, "target".into())
            .await
            .expect("within the cap");
    }
    let one_more = user(&f.store, "one-more").await;
    assert!(matches!(
        f.store.request_friend(one_more.id, "target".into()).await,
        Err(StoreError::Conflict(_))
    ));
    let roster = f.store.roster(target.id).await.expect("roster");
    assert_eq!(roster.incoming.len() as u32, MAX_WAITING_FOR_ONE);

    let sender = user(&f.store, "sender").await;
    for i in 0..MAX_SENT_UNANSWERED {
        f.store
            .request_friend(sender.id, format!("signup{i}"))
            .await
            .expect("within the cap");
    }
    assert!(matches!(
        f.store.request_friend(sender.id, "one-more".into()).await,
        Err(StoreError::Conflict(_))
    ));
    f.store
        .request_friend(sender.id, "signup0".into())
        .await
        .expect("asking again the same is no new request");
}
