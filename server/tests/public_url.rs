//! `--public-url` behind a reverse proxy that terminates TLS: the proxy talks plain http to
//! hearth with its own `Host`, and the browser's `Origin` is the public URL's.

mod common;

use common::{open_ws, TestServer};
use hearth_server::Settings;

const PUBLIC: &str = "https://chat.example.com";

fn settings() -> Settings {
    Settings {
        public_origin: Some(PUBLIC.into()),
        ..common::quick_settings()
    }
}

async fn signup(server: &TestServer, origin: &str, extra: &[(&str, &str)]) -> reqwest::Response {
    let mut req = reqwest::Client::new()
        .post(server.url("/api/signup"))
        .header("origin", origin)
        .json(&serde_json::json!({"username": "alice", "password": "password123"}));
    for (k, v) in extra {
        req = req.header(*k, *v);
    }
    req.send().await.expect("request")
}

#[tokio::test]
async fn the_public_origin_is_accepted_whatever_host_the_proxy_sends() {
    let server = TestServer::start_with(settings()).await;
    let res = signup(&server, PUBLIC, &[]).await;
    assert_eq!(res.status(), 201);
    let set_cookie = res
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        set_cookie.contains("; Secure"),
        "the browser is on https: {set_cookie}"
    );
    let cookie = common::cookie_of(&res);
    assert!(open_ws(&server, Some(PUBLIC), Some(&cookie)).await.is_ok());
    // The address hearth listens on is not the origin any more, and forged forwarding
    // headers change nothing.
    assert_eq!(
        open_ws(&server, Some(&server.origin()), Some(&cookie))
            .await
            .err(),
        Some(403)
    );
    let forged = signup(
        &server,
        "https://evil.example",
        &[
            ("x-forwarded-host", "evil.example"),
            ("x-forwarded-proto", "https"),
        ],
    )
    .await;
    assert_eq!(forged.status(), 403);
}
