//! JSON bodies of the HTTP API under `/api`.

use serde::{Deserialize, Serialize};

use crate::session::UserPublic;

/// `POST /api/signup` and `POST /api/login`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credentials {
    /// 3 to 32 letters, digits, `_` or `-`.
    pub username: String,
    /// 8 to 128 characters.
    pub password: String,
}

/// `GET /api/me`, and the success body of signup and login.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    /// The signed-in user.
    pub user: UserPublic,
}

/// Every non-2xx answer of the API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    /// Stable, for code: `invalid_username`, `invalid_password`, `username_taken`,
    /// `bad_credentials`, `rate_limited`, `unauthorized`, `busy`, `internal`.
    pub code: String,
    /// For people.
    pub message: String,
}

/// Whether a username meets the rules: 3 to 32 letters, digits, `_` or `-`.
pub fn username_is_valid(name: &str) -> bool {
    (3..=32).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Whether a password meets the rules: 8 to 128 characters.
pub fn password_is_valid(password: &str) -> bool {
    (8..=128).contains(&password.chars().count())
}

/// `GET`, `POST` (a new one) and `DELETE` (revoke) `/api/stream-key`: the user's key for
/// publishing a broadcast from OBS (WHIP, `POST /api/whip/<room id>` with
/// `Authorization: Bearer <key>`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreamKey {
    /// The key itself: only in the answer to `POST`, the one time it is shown (the server
    /// keeps only its hash).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// When it was made (Unix ms); none: the user has no key.
    pub created_ms: Option<u64>,
}
