//! `/api/stream-key`: the signed-in user's key for publishing a broadcast from OBS (WHIP).
//! `GET` says whether they have one, `POST` makes a new one (shown once, in place of the
//! old), `DELETE` revokes it; either ends a broadcast published with the old one. Cookie-authenticated, same-origin only.

use warp::http::StatusCode;
use warp::{Filter, Rejection, Reply};

use super::api::{same_origin, session_user, with_state};
use super::errors::internal;
use crate::auth::session::{self, COOKIE};
use crate::state::AppState;
use hearth_shared::api::StreamKey;

/// The routes of `/api/stream-key` (under `/api`).
pub fn routes(state: AppState) -> impl Filter<Extract = (impl Reply,), Error = Rejection> + Clone {
    let at = warp::path("stream-key")
        .and(warp::path::end())
        .and(same_origin(state.clone()))
        .and(warp::cookie::optional(COOKIE));
    let get = (at.clone())
        .and(warp::get())
        .and(with_state(state.clone()))
        .and_then(status);
    let make = (at.clone())
        .and(warp::post())
        .and(with_state(state.clone()))
        .and_then(make);
    let revoke = at
        .and(warp::delete())
        .and(with_state(state))
        .and_then(revoke);
    get.or(make).or(revoke)
}

async fn status(cookie: Option<String>, state: AppState) -> Result<warp::reply::Json, Rejection> {
    let user = session_user(cookie, &state).await?;
    let made = state
        .store
        .stream_key_made(user.id)
        .await
        .map_err(internal)?;
    Ok(warp::reply::json(&StreamKey {
        key: None,
        created_ms: made,
    }))
}

async fn make(cookie: Option<String>, state: AppState) -> Result<impl Reply, Rejection> {
    let user = session_user(cookie, &state).await?;
    let (key, hash) = session::new_token().map_err(internal)?;
    let made = state
        .store
        .set_stream_key(user.id, hash)
        .await
        .map_err(internal)?;
    crate::whip::stop_all(&state, user.id).await;
    tracing::info!("user {} made a new stream key", user.id.0);
    let body = StreamKey {
        key: Some(key),
        created_ms: Some(made),
    };
    Ok(warp::reply::with_status(
        warp::reply::json(&body),
        StatusCode::CREATED,
    ))
}

async fn revoke(cookie: Option<String>, state: AppState) -> Result<impl Reply, Rejection> {
    let user = session_user(cookie, &state).await?;
    state
        .store
        .revoke_stream_key(user.id)
        .await
        .map_err(internal)?;
    crate::whip::stop_all(&state, user.id).await;
    tracing::info!("user {} revoked their stream key", user.id.0);
    Ok(warp::reply::with_status(
        warp::reply::json(&StreamKey {
            key: None,
            created_ms: None,
        }),
        StatusCode::OK,
    ))
}
