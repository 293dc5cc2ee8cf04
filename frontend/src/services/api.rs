//! The HTTP API: sign up, log in, log out, who am I. The session cookie is HttpOnly, so
//! this code never sees it; the browser sends it.

use gloo::net::http::{Request, Response};
use hearth_shared::api::{ApiError, Credentials, Me};
use hearth_shared::session::UserPublic;

/// A failed API call, in words a person can act on.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiFailure {
    /// The server's stable code (or `network`).
    pub code: String,
    /// What to show.
    pub message: String,
}

fn network(e: impl std::fmt::Display) -> ApiFailure {
    ApiFailure {
        code: "network".into(),
        message: format!("Cannot reach the server ({e}). Check your connection."),
    }
}

async fn failure(res: Response) -> ApiFailure {
    match res.json::<ApiError>().await {
        Ok(e) => ApiFailure {
            code: e.code,
            message: e.message,
        },
        Err(_) => ApiFailure {
            code: "http".into(),
            message: format!("The server answered {}.", res.status()),
        },
    }
}

async fn credentials(path: &str, creds: &Credentials) -> Result<UserPublic, ApiFailure> {
    let res = Request::post(path)
        .json(creds)
        .map_err(network)?
        .send()
        .await
        .map_err(network)?;
    if res.ok() {
        res.json::<Me>().await.map(|m| m.user).map_err(network)
    } else {
        Err(failure(res).await)
    }
}

/// Creates an account and signs in.
pub async fn signup(creds: &Credentials) -> Result<UserPublic, ApiFailure> {
    credentials("/api/signup", creds).await
}

/// Signs in.
pub async fn login(creds: &Credentials) -> Result<UserPublic, ApiFailure> {
    credentials("/api/login", creds).await
}

/// Ends the session (and the server closes its sockets).
pub async fn logout() -> Result<(), ApiFailure> {
    let res = Request::post("/api/logout").send().await.map_err(network)?;
    if res.ok() {
        Ok(())
    } else {
        Err(failure(res).await)
    }
}

/// The signed-in user, or `None` when there is no valid session.
pub async fn me() -> Result<Option<UserPublic>, ApiFailure> {
    let res = Request::get("/api/me").send().await.map_err(network)?;
    match res.status() {
        200 => res
            .json::<Me>()
            .await
            .map(|m| Some(m.user))
            .map_err(network),
        401 => Ok(None),
        _ => Err(failure(res).await),
    }
}
