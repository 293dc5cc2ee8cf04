//! TURN REST credentials: username `<unix expiry>:<user id>`, password
//! base64(HMAC-SHA1(secret, username)). The relay checks them with the same shared secret,
//! so Hearth never stores per-user TURN passwords and a leaked credential dies by itself.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine;
use hearth_shared::call::IceServer;
use hearth_shared::UserId;
use ring::hmac;

/// A shared secret. Its `Debug` never shows the value, so it cannot reach a log by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret, trimmed of surrounding whitespace (a file's final newline, say).
    pub fn new(value: &str) -> Result<Secret, String> {
        let v = value.trim();
        if v.is_empty() {
            return Err("the TURN secret is empty".into());
        }
        Ok(Secret(v.to_owned()))
    }

    /// The value, for the relay's configuration and for signing.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(redacted)")
    }
}

/// Where a relay is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RelayUrl {
    /// A `turn:` or `turns:` URL, possibly with `?transport=udp|tcp`.
    Fixed(String),
    /// The coturn Hearth runs, on the host the browser used to reach Hearth (for a server
    /// reached by several names or addresses, each browser gets the one it can reach).
    SameHost {
        /// coturn's port.
        port: u16,
        /// `udp` or `tcp`.
        transport: &'static str,
    },
}

impl RelayUrl {
    /// The URL for a browser that reached Hearth at `host` (no port; IPv6 in brackets).
    pub fn resolve(&self, host: &str) -> String {
        match self {
            RelayUrl::Fixed(url) => url.clone(),
            RelayUrl::SameHost { port, transport } => {
                format!("turn:{host}:{port}?transport={transport}")
            }
        }
    }
}

/// The TURN relays Hearth hands out, and how to sign for them.
#[derive(Debug, Clone)]
pub struct Turn {
    /// The relays' URLs.
    pub urls: Vec<RelayUrl>,
    /// The secret shared with the relay.
    pub secret: Secret,
    /// How long a credential is valid.
    pub ttl: Duration,
}

/// The password for `username`: base64(HMAC-SHA1(secret, username)).
pub fn password(secret: &Secret, username: &str) -> String {
    let key = hmac::Key::new(
        hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY,
        secret.expose().as_bytes(),
    );
    let tag = hmac::sign(&key, username.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(tag.as_ref())
}

/// Seconds since the Unix epoch.
pub fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl Turn {
    /// The relay entry for `user`, valid from `now` (Unix seconds) for the configured time;
    /// `host` is the host the user's browser reached Hearth at.
    pub fn ice_server(&self, user: UserId, now: u64, host: &str) -> IceServer {
        let username = format!("{}:{}", now + self.ttl.as_secs(), user.0);
        IceServer {
            urls: self.urls.iter().map(|u| u.resolve(host)).collect(),
            credential: Some(password(&self.secret, &username)),
            username: Some(username),
        }
    }

    /// When a connection should get fresh credentials: at half their life, so a call that
    /// restarts ICE late in the window still has time left.
    pub fn refresh_every(&self) -> Duration {
        (self.ttl / 2).max(Duration::from_secs(1))
    }
}

/// Checks a TURN URL: `turn:` or `turns:`, a host, and at most `?transport=udp|tcp`.
pub fn check_url(url: &str) -> Result<String, String> {
    let url = url.trim();
    let rest = url
        .strip_prefix("turn:")
        .or_else(|| url.strip_prefix("turns:"))
        .ok_or_else(|| format!("{url:?}: a TURN URL starts with turn: or turns:"))?;
    let (host, query) = rest.split_once('?').unwrap_or((rest, ""));
    if host.is_empty() || host.contains('/') || host.contains('@') {
        return Err(format!(
            "{url:?}: expected turn:host[:port][?transport=udp|tcp]"
        ));
    }
    if !matches!(query, "" | "transport=udp" | "transport=tcp") {
        return Err(format!(
            "{url:?}: the only option is ?transport=udp or ?transport=tcp"
        ));
    }
    Ok(url.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_matches_a_fixed_vector() {
        // python3: base64(hmac.new(b'north-wind', b'1767225600:7', sha1).digest())
        let secret = Secret::new("north-wind\n").expect("secret");
        assert_eq!(
            password(&secret, "1767225600:7"),
            "CaOhYX4mLPNaMZDFQdrP0lMUMH8="
        );
    }

    #[test]
    fn ice_server_names_the_expiry_and_the_user() {
        let turn = Turn {
            urls: vec![
                RelayUrl::Fixed("turns:relay.example:5349".into()),
                RelayUrl::SameHost {
                    port: 3478,
                    transport: "udp",
                },
            ],
            secret: Secret::new("north-wind").expect("secret"),
            ttl: Duration::from_secs(3600),
        };
        let s = turn.ice_server(UserId(7), 1_767_222_000, "192.168.1.5");
        assert_eq!(s.username.as_deref(), Some("1767225600:7"));
        assert_eq!(
            s.credential.as_deref(),
            Some("CaOhYX4mLPNaMZDFQdrP0lMUMH8=")
        );
        assert_eq!(
            s.urls,
            [
                "turns:relay.example:5349",
                "turn:192.168.1.5:3478?transport=udp"
            ]
        );
        assert_eq!(turn.refresh_every(), Duration::from_secs(1800));
    }

    #[test]
    fn secrets_stay_out_of_debug_output() {
        let turn = Turn {
            urls: vec![],
            secret: Secret::new("hunter2-very-secret").expect("secret"),
            ttl: Duration::from_secs(60),
        };
        assert!(!format!("{turn:?}").contains("hunter2"));
        assert!(Secret::new("  \n").is_err());
    }

    #[test]
    fn turn_urls_are_checked() {
        assert!(check_url("turn:relay.example:3478").is_ok());
        assert!(check_url("turns:relay.example:5349?transport=tcp").is_ok());
        assert!(check_url("turn:127.0.0.1:3478?transport=udp").is_ok());
        assert!(check_url("stun:relay.example").is_err());
        assert!(check_url("turn:").is_err());
        assert!(check_url("turn:relay.example?transport=sctp").is_err());
        assert!(check_url("turn:user@relay.example").is_err());
    }
}
