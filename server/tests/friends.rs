//! Friend requests and presence, seen live on both sides.

mod common;

use common::{befriend, Client, TestServer};
use hearth_shared::friends::{ClientFriends, ServerFriends};
use hearth_shared::session::ErrorCode;
use hearth_shared::ServerMsg;

#[tokio::test]
async fn a_request_shows_on_both_sides_and_accepting_makes_both_friends_online() {
    let server = TestServer::start().await;
    let mut a = server.user("alice").await;
    let mut b = server.user("bob").await;
    a.friends_cmd(|req_id| ClientFriends::Request {
        req_id,
        username: "bob".into(),
    })
    .await
    .expect("sent");
    let alice = a.me.clone();
    b.recv_until(|m| match m {
        ServerMsg::Friends(ServerFriends::Roster(r)) if r.incoming == vec![alice.clone()] => {
            Some(())
        }
        _ => None,
    })
    .await;
    befriend_after_request(&mut a, &mut b).await;
}

async fn befriend_after_request(a: &mut Client, b: &mut Client) {
    let from = a.me.id;
    b.friends_cmd(|req_id| ClientFriends::Accept { req_id, user: from })
        .await
        .expect("accepted");
    let bob = b.me.id;
    let online = a
        .recv_until(|m| match m {
            ServerMsg::Friends(ServerFriends::Roster(r)) => r
                .friends
                .iter()
                .find(|f| f.user.id == bob)
                .map(|f| f.online),
            _ => None,
        })
        .await;
    assert!(online, "bob is shown online to alice");
}

#[tokio::test]
async fn unknown_users_and_self_requests_are_refused() {
    let server = TestServer::start().await;
    let mut a = server.user("alice").await;
    let r = a
        .friends_cmd(|req_id| ClientFriends::Request {
            req_id,
            username: "nobody".into(),
        })
        .await;
    assert_eq!(r, Err(ErrorCode::UserNotFound));
    let r = a
        .friends_cmd(|req_id| ClientFriends::Request {
            req_id,
            username: "alice".into(),
        })
        .await;
    assert_eq!(r, Err(ErrorCode::Conflict));
}

#[tokio::test]
async fn decline_and_cancel_clear_the_request_on_both_sides() {
    let server = TestServer::start().await;
    let mut a = server.user("alice").await;
    let mut b = server.user("bob").await;
    a.friends_cmd(|req_id| ClientFriends::Request {
        req_id,
        username: "bob".into(),
    })
    .await
    .expect("sent");
    let alice = a.me.id;
    b.friends_cmd(|req_id| ClientFriends::Decline {
        req_id,
        user: alice,
    })
    .await
    .expect("declined");
    a.recv_until(|m| match m {
        ServerMsg::Friends(ServerFriends::Roster(r))
            if r.outgoing.is_empty() && r.friends.is_empty() =>
        {
            Some(())
        }
        _ => None,
    })
    .await;
    a.friends_cmd(|req_id| ClientFriends::Request {
        req_id,
        username: "bob".into(),
    })
    .await
    .expect("sent again");
    let bob = b.me.id;
    a.friends_cmd(|req_id| ClientFriends::Cancel { req_id, user: bob })
        .await
        .expect("cancelled");
    b.clear_backlog();
    let r = b
        .friends_cmd(|req_id| ClientFriends::Accept {
            req_id,
            user: alice,
        })
        .await;
    assert_eq!(
        r,
        Err(ErrorCode::Conflict),
        "a cancelled request cannot be accepted"
    );
}

#[tokio::test]
async fn presence_goes_offline_when_the_last_tab_closes() {
    let server = TestServer::start().await;
    let mut a = server.user("alice").await;
    let mut b = server.user("bob").await;
    befriend(&mut a, &mut b).await;
    let b2 = Client::connect(&server, &b.cookie.clone()).await;
    let bob = b.me.id;
    drop(b);
    drop(b2);
    let bob_offline = a
        .recv_until(|m| match m {
            ServerMsg::Friends(ServerFriends::Presence {
                online: false,
                user,
            }) => Some(*user),
            _ => None,
        })
        .await;
    assert_eq!(bob_offline, bob);
}
