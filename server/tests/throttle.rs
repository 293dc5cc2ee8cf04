//! Limits on log-in and sign-up, tried from two addresses (127.0.0.1 and 127.0.0.2): a
//! guesser slows only themselves, never the owner elsewhere, and one address cannot mint
//! accounts without end.

mod common;

use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use common::TestServer;
use hearth_server::Settings;
use serde_json::json;

/// A client whose connections come from `127.0.0.<last>`.
fn from(last: u8) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(IpAddr::V4(Ipv4Addr::new(127, 0, 0, last)))
        .build()
        .expect("client")
}

/// Posts `body` to `path` and returns the status, the error code and `Retry-After`.
async fn post(
    client: &reqwest::Client,
    server: &TestServer,
    path: &str,
    body: serde_json::Value,
) -> (u16, String, Option<u64>) {
    let res = client
        .post(server.url(path))
        .json(&body)
        .send()
        .await
        .expect("request");
    let status = res.status().as_u16();
    let retry = res
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok()?.parse().ok());
    let body: serde_json::Value = res.json().await.unwrap_or_default();
    let code = body["code"].as_str().unwrap_or_default().to_owned();
    (status, code, retry)
}

fn login(password: &str) -> serde_json::Value {
    json!({"username": "alice", "password": password})
}

#[tokio::test]
async fn wrong_passwords_slow_that_address_and_never_lock_out_the_owner() {
    let settings = Settings {
        login_free_failures: 3,
        login_first_wait: Duration::from_secs(30),
        ..common::quick_settings()
    };
    let server = TestServer::start_with(settings).await;
    server.signup("alice").await;
    let (guesser, owner) = (from(1), from(2));
    let mut answers = Vec::new();
    for _ in 0..12 {
        let r = post(&guesser, &server, "/api/login", login("wrong-password")).await;
        answers.push(r.0);
    }
    let mut expected = vec![401; 4];
    expected.resize(12, 429);
    assert_eq!(
        answers, expected,
        "four failures answered, then the address waits"
    );
    let r = post(&guesser, &server, "/api/login", login("password123")).await;
    assert_eq!(
        (r.0, r.1.as_str()),
        (429, "rate_limited"),
        "the guesser waits, even with the right password"
    );
    assert!(
        r.2.is_some_and(|s| (29..=30).contains(&s)),
        "Retry-After: {r:?}"
    );
    let r = post(&owner, &server, "/api/login", login("password123")).await;
    assert_eq!(r.0, 200, "the owner on another address logs in: {r:?}");
    let r = post(
        &guesser,
        &server,
        "/api/login",
        json!({"username": "bob", "password": "x2345678"}),
    )
    .await;
    assert_eq!(
        r.0, 401,
        "another account from the same address is not held up: {r:?}"
    );
}

#[tokio::test]
async fn one_address_may_only_make_so_many_accounts() {
    let settings = Settings {
        signups_per_ip_per_hour: 2,
        ..common::quick_settings()
    };
    let server = TestServer::start_with(settings).await;
    let (spammer, friend) = (from(1), from(2));
    let signup = |name: &str| json!({"username": name, "password": "password123"});
    for name in ["bot1", "bot2"] {
        let r = post(&spammer, &server, "/api/signup", signup(name)).await;
        assert_eq!(r.0, 201, "{r:?}");
    }
    let r = post(&spammer, &server, "/api/signup", signup("bot3")).await;
    assert_eq!((r.0, r.1.as_str()), (429, "rate_limited"), "{r:?}");
    assert!(r.2.is_some_and(|s| s > 3000), "about an hour: {r:?}");
    let r = post(&friend, &server, "/api/signup", signup("carol")).await;
    assert_eq!(r.0, 201, "another address is not affected: {r:?}");
}
