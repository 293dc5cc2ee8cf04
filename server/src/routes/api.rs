//! The HTTP API under `/api`: sign up, log in, log out, and who am I; the stream key and
//! WHIP ingest have files of their own.

use std::net::IpAddr;
use std::time::Instant;

use warp::http::{header, StatusCode};
use warp::{Filter, Rejection, Reply};

use super::errors::{internal, rate_limited, reject};
use super::origin::{self, RequestAuthority};
use super::PeerAddr;
use crate::auth::password::HashError;
use crate::auth::session::{self, hash_token, COOKIE};
use crate::state::AppState;
use crate::store::{now_ms, StoreError};
use hearth_shared::api::{password_is_valid, username_is_valid, Credentials, Me};
use hearth_shared::session::UserPublic;

pub(super) fn with_state(
    state: AppState,
) -> impl Filter<Extract = (AppState,), Error = std::convert::Infallible> + Clone {
    warp::any().map(move || state.clone())
}

/// Refuses requests whose Origin header names another site (CSRF defence in depth; the
/// SameSite=Lax cookie is the first line).
pub(super) fn same_origin(state: AppState) -> impl Filter<Extract = (), Error = Rejection> + Clone {
    warp::header::optional::<String>("origin")
        .and(warp::ext::optional::<RequestAuthority>())
        .and_then(move |o: Option<String>, to: Option<RequestAuthority>| {
            let ok = o.is_none_or(|o| origin::allowed(&o, to.as_ref(), &state.settings));
            async move {
                if ok {
                    Ok(())
                } else {
                    Err(reject(
                        StatusCode::FORBIDDEN,
                        "bad_origin",
                        "requests from another site are refused",
                    ))
                }
            }
        })
        .untuple_one()
}

fn json_body() -> impl Filter<Extract = (Credentials,), Error = Rejection> + Clone {
    warp::body::content_length_limit(4 * 1024).and(warp::body::json())
}

/// The routes under `/api` (the prefix is matched by the caller).
pub fn routes(state: AppState) -> impl Filter<Extract = (impl Reply,), Error = Rejection> + Clone {
    let api = warp::any();
    let signup = api
        .and(warp::path("signup"))
        .and(warp::path::end())
        .and(warp::post())
        .and(same_origin(state.clone()))
        .and(warp::ext::optional::<PeerAddr>())
        .and(json_body())
        .and(with_state(state.clone()))
        .and_then(signup);
    let login = api
        .and(warp::path("login"))
        .and(warp::path::end())
        .and(warp::post())
        .and(same_origin(state.clone()))
        .and(warp::ext::optional::<PeerAddr>())
        .and(json_body())
        .and(with_state(state.clone()))
        .and_then(login);
    let logout = api
        .and(warp::path("logout"))
        .and(warp::path::end())
        .and(warp::post())
        .and(same_origin(state.clone()))
        .and(warp::cookie::optional(COOKIE))
        .and(with_state(state.clone()))
        .and_then(logout);
    let me = api
        .and(warp::path("me"))
        .and(warp::path::end())
        .and(warp::get())
        .and(warp::cookie::optional(COOKIE))
        .and(with_state(state.clone()))
        .and_then(me);
    signup
        .or(login)
        .or(logout)
        .or(me)
        .or(super::stream_key::routes(state.clone()))
        .or(super::whip::routes(state))
}

fn hash_error(e: HashError) -> Rejection {
    match e {
        HashError::Busy => reject(StatusCode::SERVICE_UNAVAILABLE, "busy", e.to_string()),
        HashError::Failed => internal(e),
    }
}

/// Creates a session for `user` and answers with the cookie and `Me`.
async fn start_session(
    state: &AppState,
    user: UserPublic,
    status: StatusCode,
) -> Result<warp::reply::Response, Rejection> {
    let (token, hash) = session::new_token().map_err(internal)?;
    let expires = now_ms() + session::SESSION_DAYS * 24 * 3600 * 1000;
    state
        .store
        .create_session(hash, user.id, expires)
        .await
        .map_err(internal)?;
    let body = warp::reply::with_status(warp::reply::json(&Me { user }), status);
    let cookie = session::set_cookie(&token, state.settings.secure_cookies());
    Ok(warp::reply::with_header(body, header::SET_COOKIE, cookie).into_response())
}

async fn signup(
    peer: Option<PeerAddr>,
    creds: Credentials,
    state: AppState,
) -> Result<warp::reply::Response, Rejection> {
    if !username_is_valid(&creds.username) {
        return Err(reject(
            StatusCode::BAD_REQUEST,
            "invalid_username",
            "a username is 3 to 32 letters, digits, _ or -",
        ));
    }
    if !password_is_valid(&creds.password) {
        return Err(reject(
            StatusCode::BAD_REQUEST,
            "invalid_password",
            "a password is 8 to 128 characters",
        ));
    }
    if let Some(PeerAddr(addr)) = peer {
        let mut limits = state.limits.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        if let Some(wait) = limits.signups.retry_after(&addr.ip(), now) {
            return Err(rate_limited(
                "too many new accounts from your address",
                wait,
            ));
        }
        limits.signups.hit(addr.ip(), now);
    }
    let hash = state
        .hasher
        .hash(creds.password)
        .await
        .map_err(hash_error)?;
    let user = match state.store.create_user(creds.username, hash).await {
        Ok(u) => u,
        Err(StoreError::Exists) => {
            return Err(reject(
                StatusCode::CONFLICT,
                "username_taken",
                "that username is taken",
            ));
        }
        Err(e) => return Err(internal(e)),
    };
    start_session(&state, user, StatusCode::CREATED).await
}

/// Refuses a log-in attempt that comes too soon, and counts it against the IP.
fn admit_login(state: &AppState, key: &(Option<IpAddr>, String)) -> Result<(), Rejection> {
    let now = Instant::now();
    let mut limits = state.limits.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(wait) = limits.failures.wait(key, now) {
        return Err(rate_limited("too many wrong passwords", wait));
    }
    if let Some(ip) = key.0 {
        if let Some(wait) = limits.per_ip.retry_after(&ip, now) {
            return Err(rate_limited("too many attempts from your address", wait));
        }
        limits.per_ip.hit(ip, now);
    }
    Ok(())
}

async fn login(
    peer: Option<PeerAddr>,
    creds: Credentials,
    state: AppState,
) -> Result<warp::reply::Response, Rejection> {
    let key = (peer.map(|p| p.0.ip()), creds.username.to_lowercase());
    admit_login(&state, &key)?;
    let stored = state
        .store
        .user_by_name(creds.username)
        .await
        .map_err(internal)?;
    let phc = stored.as_ref().map(|u| u.password_hash.clone());
    let ok = state
        .hasher
        .verify(creds.password, phc)
        .await
        .map_err(hash_error)?;
    let user = stored.filter(|_| ok);
    {
        let mut limits = state.limits.lock().unwrap_or_else(|p| p.into_inner());
        if user.is_some() {
            limits.failures.succeeded(&key);
        } else {
            limits.failures.failed(key, Instant::now());
        }
    }
    match user {
        Some(user) => start_session(&state, user.public, StatusCode::OK).await,
        None => Err(reject(
            StatusCode::UNAUTHORIZED,
            "bad_credentials",
            "wrong username or password",
        )),
    }
}

async fn logout(
    token: Option<String>,
    state: AppState,
) -> Result<warp::reply::Response, Rejection> {
    if let Some(token) = token {
        let hash = hash_token(&token);
        state
            .store
            .delete_session(hash.clone())
            .await
            .map_err(internal)?;
        state.hub.end_session(&hash);
    }
    let reply = warp::reply::with_status(warp::reply(), StatusCode::NO_CONTENT);
    Ok(warp::reply::with_header(
        reply,
        header::SET_COOKIE,
        session::clear_cookie(state.settings.secure_cookies()),
    )
    .into_response())
}

async fn me(token: Option<String>, state: AppState) -> Result<warp::reply::Json, Rejection> {
    let user = session_user(token, &state).await?;
    Ok(warp::reply::json(&Me { user }))
}

/// The user whose session cookie this is; `unauthorized` without a live one.
pub(super) async fn session_user(
    token: Option<String>,
    state: &AppState,
) -> Result<UserPublic, Rejection> {
    let unauthorized = || reject(StatusCode::UNAUTHORIZED, "unauthorized", "not logged in");
    let token = token.ok_or_else(unauthorized)?;
    state
        .store
        .session_user(hash_token(&token))
        .await
        .map_err(internal)?
        .ok_or_else(unauthorized)
}
