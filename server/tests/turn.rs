//! TURN credentials over the WebSocket: `welcome` carries this user's own time-limited
//! credentials for each relay, signed with the shared secret the relay checks, and a
//! connection that outlives them gets fresh ones before they expire.

mod common;

use std::time::Duration;

use common::{open_ws, Client, TestServer};
use hearth_server::turn::credentials::{password, unix_now, RelayUrl};
use hearth_server::turn::{Secret, Turn};
use hearth_server::Settings;
use hearth_shared::call::IceServer;
use hearth_shared::session::{ClientSession, ServerSession};
use hearth_shared::{ClientMsg, ServerMsg};

fn settings(ttl: Duration) -> Settings {
    Settings {
        turn: Some(Turn {
            urls: vec![
                RelayUrl::Fixed("turns:relay.example:5349?transport=tcp".into()),
                RelayUrl::SameHost {
                    port: 3478,
                    transport: "udp",
                },
            ],
            secret: Secret::new("north-wind").expect("secret"),
            ttl,
        }),
        ..common::quick_settings()
    }
}

/// Checks `server` is a valid credential for `user` expiring `ttl` from about now; returns
/// the expiry.
fn check(server: &IceServer, user: u32, ttl: Duration) -> u64 {
    assert_eq!(
        server.urls,
        [
            "turns:relay.example:5349?transport=tcp",
            "turn:127.0.0.1:3478?transport=udp"
        ],
        "the relay beside hearth is announced on the host the browser used"
    );
    let name = server.username.as_deref().expect("username");
    let (expiry, id) = name.split_once(':').expect("<expiry>:<user id>");
    assert_eq!(id, user.to_string());
    let expiry: u64 = expiry.parse().expect("unix time");
    let expected = unix_now() + ttl.as_secs();
    assert!(expiry.abs_diff(expected) <= 2, "{expiry} vs {expected}");
    let secret = Secret::new("north-wind").expect("secret");
    assert_eq!(
        server.credential.as_deref(),
        Some(password(&secret, name).as_str())
    );
    expiry
}

#[tokio::test]
async fn welcome_carries_per_user_turn_credentials_and_they_are_refreshed() {
    let ttl = Duration::from_secs(4);
    let server = TestServer::start_with(settings(ttl)).await;
    let cookie = server.signup("alice").await;
    let ws = open_ws(&server, Some(&server.origin()), Some(&cookie))
        .await
        .expect("upgrade");
    let mut alice = Client::raw(ws, &cookie);
    alice
        .send(ClientMsg::Session(ClientSession::Hello {
            protocol: hearth_shared::PROTOCOL_VERSION,
        }))
        .await;
    let (user, servers) = match alice.recv().await {
        ServerMsg::Session(ServerSession::Welcome {
            user, ice_servers, ..
        }) => (user, ice_servers),
        other => panic!("expected welcome, got {other:?}"),
    };
    assert_eq!(servers.len(), 1);
    let first = check(&servers[0], user.id.0, ttl);

    // Half the lifetime later, fresh credentials arrive (pings keep the socket alive).
    let fresh = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            alice.send(ClientMsg::Session(ClientSession::Ping)).await;
            let got = tokio::time::timeout(
                Duration::from_millis(500),
                alice.recv_until(|m| match m {
                    ServerMsg::Session(ServerSession::IceServers { ice_servers }) => {
                        Some(ice_servers.clone())
                    }
                    _ => None,
                }),
            )
            .await;
            if let Ok(s) = got {
                return s;
            }
        }
    })
    .await
    .expect("fresh credentials within the lifetime");
    let second = check(&fresh[0], user.id.0, ttl);
    assert!(second > first, "the new credentials expire later");
}

#[tokio::test]
async fn without_turn_welcome_has_no_relay() {
    let server = TestServer::start().await;
    let cookie = server.signup("bob").await;
    let ws = open_ws(&server, Some(&server.origin()), Some(&cookie))
        .await
        .expect("upgrade");
    let mut bob = Client::raw(ws, &cookie);
    bob.send(ClientMsg::Session(ClientSession::Hello {
        protocol: hearth_shared::PROTOCOL_VERSION,
    }))
    .await;
    match bob.recv().await {
        ServerMsg::Session(ServerSession::Welcome { ice_servers, .. }) => {
            assert!(ice_servers.is_empty())
        }
        other => panic!("expected welcome, got {other:?}"),
    }
}
