//! WHIP ingest (issue 13, RFC 9725) over real HTTP and the real SFU: a publisher outside the
//! browser (a str0m client) posts its offer with alice's stream key, alice is then live in
//! the room, a member watches and receives its media, and `DELETE` ends it for them. A
//! missing, wrong, replaced or revoked key gets 401 and starts nothing; keys are stored
//! hashed. Posted to `friends`, the stream goes live to alice's friends, whom only they watch.

mod common;
#[path = "common/media_client.rs"]
mod media_client;

use common::calls::{from_sfu, to_sfu};
use common::rooms::{enter, trip};
use common::{befriend, with_sfu, Client, TestServer};
use hearth_shared::api::StreamKey;
use hearth_shared::call::{ClientCall, EndReason, SdpType, ServerCall};
use hearth_shared::session::{ClientSession, ErrorCode, ServerSession};
use hearth_shared::{ClientMsg, ConversationId, ServerMsg};
use media_client::{run_until, MediaClient};
use reqwest::StatusCode;
use str0m::media::MediaKind;

/// A new stream key for the user of `cookie`.
async fn make_key(server: &TestServer, cookie: &str) -> String {
    let res = reqwest::Client::new()
        .post(server.url("/api/stream-key"))
        .header("cookie", cookie)
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), StatusCode::CREATED);
    let made: StreamKey = res.json().await.expect("json");
    assert!(made.created_ms.is_some());
    made.key.expect("the key, shown once")
}

/// `POST /api/whip/<room>` with this offer and `Authorization` value.
async fn post_offer(
    server: &TestServer,
    room: ConversationId,
    auth: Option<String>,
    sdp: String,
) -> reqwest::Response {
    post_to(server, &room.0.to_string(), auth, sdp).await
}

/// `POST /api/whip/<stage>` (a room's id, or `friends`).
async fn post_to(
    server: &TestServer,
    stage: &str,
    auth: Option<String>,
    sdp: String,
) -> reqwest::Response {
    let mut req = reqwest::Client::new()
        .post(server.url(&format!("/api/whip/{stage}")))
        .header("content-type", "application/sdp")
        .body(sdp);
    if let Some(auth) = auth {
        req = req.header("authorization", auth);
    }
    req.send().await.expect("request")
}

fn bearer(key: &str) -> Option<String> {
    Some(format!("Bearer {key}"))
}

/// What `c` is told of the room's call next: its host, if someone is live.
async fn live_host(c: &mut Client) -> Option<hearth_shared::UserId> {
    c.recv_until(|m| match m {
        ServerMsg::Call(ServerCall::RoomCall { call, .. }) => Some(call.as_ref()?.host),
        _ => None,
    })
    .await
}

#[tokio::test]
async fn a_whip_publisher_goes_live_and_a_member_watches_it() {
    let server = TestServer::start_with(with_sfu()).await;
    let (a, mut b, _c, room) = trip(&server).await;
    let key = make_key(&server, &a.cookie).await;

    let mut m = vec![MediaClient::new().await, MediaClient::new().await];
    let offer = m[0].first_offer(Some(MediaKind::Audio));
    let res = post_offer(&server, room, bearer(&key), offer).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let kind = res.headers().get("content-type").expect("a type");
    assert_eq!(kind, "application/sdp");
    let location = (res.headers().get("location").expect("the session's URL"))
        .to_str()
        .expect("text")
        .to_owned();
    assert!(location.starts_with(&format!("/api/whip/{}/", room.0)));
    m[0].take_answer(&res.text().await.expect("the answer"));

    assert_eq!(live_host(&mut b).await, Some(a.me.id), "alice is live");
    let seen = enter(&mut b, |req_id| ClientCall::Watch { req_id, room })
        .await
        .expect("bob watches");
    let call = seen.id;
    to_sfu(&mut b, &call, SdpType::Offer, m[1].first_offer(None)).await;
    m[1].take_answer(&from_sfu(&mut b, SdpType::Answer).await);
    run_until(&mut m, "both connected", |m| m.iter().all(|c| c.connected)).await;
    let offer = from_sfu(&mut b, SdpType::Offer).await;
    assert_eq!(offer.matches("m=audio").count(), 1, "its microphone");
    to_sfu(&mut b, &call, SdpType::Answer, m[1].answer(&offer)).await;
    run_until(&mut m, "bob receiving the publisher", |m| {
        m[1].frames() >= 20
    })
    .await;

    // A trickled candidate is taken; one that cannot be read is refused.
    let http = reqwest::Client::new();
    let trickle = |frag: &str| {
        http.patch(server.url(&location))
            .header("authorization", format!("Bearer {key}"))
            .header("content-type", "application/trickle-ice-sdpfrag")
            .body(frag.to_owned())
            .send()
    };
    let ok = "a=ice-ufrag:x\r\na=candidate:1 1 udp 2113929471 127.0.0.1 9 typ host\r\n";
    assert_eq!(
        trickle(ok).await.expect("patch").status(),
        StatusCode::NO_CONTENT
    );
    let bad = "a=candidate:nonsense\r\n";
    assert_eq!(
        trickle(bad).await.expect("patch").status(),
        StatusCode::BAD_REQUEST
    );

    // Only the key's holder can stop it.
    let stop = |auth: String| {
        http.delete(server.url(&location))
            .header("authorization", auth)
            .send()
    };
    let res = stop("Bearer not-the-key".into()).await.expect("delete");
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let res = stop(format!("Bearer {key}")).await.expect("delete");
    assert_eq!(res.status(), StatusCode::OK);
    let why = b
        .recv_until(|m| match m {
            ServerMsg::Call(ServerCall::Ended { reason, .. }) => Some(*reason),
            _ => None,
        })
        .await;
    assert_eq!(why, EndReason::BroadcastEnded);
    let res = stop(format!("Bearer {key}")).await.expect("delete");
    assert_eq!(res.status(), StatusCode::NOT_FOUND, "it is gone");
}

#[tokio::test]
async fn a_whip_publisher_goes_live_to_friends_and_only_a_friend_watches_it() {
    let server = TestServer::start_with(with_sfu()).await;
    let mut alice = server.user("alice").await;
    let mut bob = server.user("bob").await;
    let mut carol = server.user("carol").await;
    befriend(&mut alice, &mut bob).await;
    let host = alice.me.id;
    let key = make_key(&server, &alice.cookie).await;

    let mut m = vec![MediaClient::new().await, MediaClient::new().await];
    let offer = m[0].first_offer(Some(MediaKind::Audio));
    let res = post_to(&server, "friends", bearer(&key), offer).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let location = (res.headers().get("location").expect("the session's URL"))
        .to_str()
        .expect("text")
        .to_owned();
    assert!(location.starts_with("/api/whip/friends/"), "{location}");
    m[0].take_answer(&res.text().await.expect("the answer"));

    let live = bob
        .recv_until(|m| match m {
            ServerMsg::Call(ServerCall::FriendLive { host: h, call }) if *h == host => {
                call.as_ref().map(|c| c.host)
            }
            _ => None,
        })
        .await;
    assert_eq!(live, Some(host), "bob hears that alice is live");
    let refused = enter(&mut carol, |req_id| ClientCall::WatchFriend {
        req_id,
        host,
        rejoin: None,
    })
    .await;
    assert_eq!(refused.err().map(|e| e.0), Some(ErrorCode::NotFriends));
    let seen = enter(&mut bob, |req_id| ClientCall::WatchFriend {
        req_id,
        host,
        rejoin: None,
    })
    .await
    .expect("bob watches");
    to_sfu(&mut bob, &seen.id, SdpType::Offer, m[1].first_offer(None)).await;
    m[1].take_answer(&from_sfu(&mut bob, SdpType::Answer).await);
    run_until(&mut m, "both connected", |m| m.iter().all(|c| c.connected)).await;
    let offer = from_sfu(&mut bob, SdpType::Offer).await;
    to_sfu(&mut bob, &seen.id, SdpType::Answer, m[1].answer(&offer)).await;
    run_until(&mut m, "bob receiving the publisher", |m| {
        m[1].frames() >= 20
    })
    .await;

    let res = reqwest::Client::new()
        .delete(server.url(&location))
        .header("authorization", format!("Bearer {key}"))
        .send()
        .await
        .expect("delete");
    assert_eq!(res.status(), StatusCode::OK);
    let why = bob
        .recv_until(|m| match m {
            ServerMsg::Call(ServerCall::Ended { reason, .. }) => Some(*reason),
            _ => None,
        })
        .await;
    assert_eq!(why, EndReason::BroadcastEnded);
}

#[tokio::test]
async fn a_missing_wrong_replaced_or_revoked_key_gets_401_and_publishes_nothing() {
    let server = TestServer::start_with(with_sfu()).await;
    let (a, mut b, _c, room) = trip(&server).await;
    let mut m = MediaClient::new().await;
    let offer = m.first_offer(Some(MediaKind::Audio));

    let old = make_key(&server, &a.cookie).await;
    let key = make_key(&server, &a.cookie).await;
    let revoked = {
        let res = reqwest::Client::new()
            .delete(server.url("/api/stream-key"))
            .header("cookie", &a.cookie)
            .send()
            .await
            .expect("request");
        assert_eq!(res.status(), StatusCode::OK);
        key
    };
    let wrong = "0".repeat(64);
    for (auth, what) in [
        (None, "no key"),
        (Some("Basic abc".to_owned()), "not a bearer"),
        (bearer(&wrong), "a wrong key"),
        (bearer(&old), "a replaced key"),
        (bearer(&revoked), "a revoked key"),
    ] {
        let res = post_offer(&server, room, auth, offer.clone()).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{what}");
    }
    let watched = enter(&mut b, |req_id| ClientCall::Watch { req_id, room }).await;
    assert_eq!(
        watched.map(|_| ()).map_err(|e| e.0),
        Err(ErrorCode::NoSuchCall),
        "nobody is live"
    );

    // Neither key is in the database file, only their hashes.
    let db = rusqlite::Connection::open(server.data.join("hearth.db")).expect("db");
    let dump: Vec<Vec<u8>> = db
        .prepare("SELECT key_hash FROM stream_keys")
        .expect("sql")
        .query_map([], |r| r.get(0))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("rows");
    assert!(dump.is_empty(), "revoked: no key left");
    let key = make_key(&server, &a.cookie).await;
    let stored: Vec<u8> = db
        .query_row("SELECT key_hash FROM stream_keys", [], |r| r.get(0))
        .expect("one key");
    assert_eq!(stored.len(), 32, "a SHA-256");
    assert!(!String::from_utf8_lossy(&stored).contains(&key));
}

#[tokio::test]
async fn only_a_member_of_the_room_can_publish_there_and_only_where_nobody_is_live() {
    let server = TestServer::start_with(with_sfu()).await;
    let (mut a, _b, _c, room) = trip(&server).await;
    let dave = server.signup("dave").await;
    let key = make_key(&server, &dave).await;
    let mut m = MediaClient::new().await;
    let offer = m.first_offer(Some(MediaKind::Audio));
    let res = post_offer(&server, room, bearer(&key), offer.clone()).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND, "dave is no member");

    // A call runs in the room: going live there is refused.
    common::rooms::join_room(&mut a, room, Default::default())
        .await
        .expect("alice starts a call");
    let alice_key = make_key(&server, &a.cookie).await;
    let res = post_offer(&server, room, bearer(&alice_key), offer.clone()).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);

    // Not an offer's media type: refused before anything starts.
    let res = reqwest::Client::new()
        .post(server.url(&format!("/api/whip/{}", room.0)))
        .header("authorization", format!("Bearer {key}"))
        .header("content-type", "text/plain")
        .body(offer)
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test]
async fn the_stream_key_needs_a_session_and_is_shown_only_once() {
    let server = TestServer::start_with(with_sfu()).await;
    let cookie = server.signup("alice").await;
    let http = reqwest::Client::new();
    let res = http
        .get(server.url("/api/stream-key"))
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let status = |c: &str| {
        http.get(server.url("/api/stream-key"))
            .header("cookie", c)
            .send()
    };
    let none: StreamKey = status(&cookie)
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(none.created_ms, None);
    make_key(&server, &cookie).await;
    let some: StreamKey = status(&cookie)
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert!(some.created_ms.is_some());
    assert_eq!(some.key, None, "the key itself is never shown again");
    let res = http
        .post(server.url("/api/stream-key"))
        .header("cookie", &cookie)
        .header("origin", "http://evil.example")
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::FORBIDDEN, "from another site");
}

#[tokio::test]
async fn a_publisher_that_goes_away_without_a_word_ends_its_broadcast() {
    let server = TestServer::start_with(with_sfu()).await;
    let (a, mut b, _c, room) = trip(&server).await;
    let key = make_key(&server, &a.cookie).await;
    let mut m = vec![MediaClient::new().await];
    let offer = m[0].first_offer(Some(MediaKind::Audio));
    let res = post_offer(&server, room, bearer(&key), offer).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    m[0].take_answer(&res.text().await.expect("the answer"));
    run_until(&mut m, "connected", |m| m[0].connected && m[0].sent >= 10).await;
    assert_eq!(live_host(&mut b).await, Some(a.me.id), "alice is live");
    // OBS quits: no DELETE, its packets just stop. The SFU gives a connection up 15 s
    // after its last ICE check (str0m's ICE-lite).
    let went = std::time::Instant::now();
    drop(m);
    // bob's socket pings once a second meanwhile, as a tab does, and reads what comes.
    let mut beat = tokio::time::interval(std::time::Duration::from_secs(1));
    let ended = loop {
        beat.tick().await;
        assert!(
            went.elapsed() < std::time::Duration::from_secs(40),
            "ended in time"
        );
        b.send(ClientMsg::Session(ClientSession::Ping)).await;
        let seen = b
            .recv_until(|m| match m {
                ServerMsg::Call(ServerCall::RoomCall { call: None, .. }) => Some(true),
                ServerMsg::Session(ServerSession::Pong) => Some(false),
                _ => None,
            })
            .await;
        if seen {
            break went.elapsed();
        }
    };
    eprintln!("the broadcast ended {ended:?} after its publisher went");
}
