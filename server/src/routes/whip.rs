//! WHIP ingest (RFC 9725) under `/api/whip`: `POST /api/whip/<room id>` (or
//! `/api/whip/friends`) with `Authorization: Bearer <stream key>` and an SDP offer
//! (`application/sdp`) goes live in that room (or to the key owner's friends) and answers
//! `201 Created` with the SFU's answer and the session's URL in `Location`; `PATCH` there
//! trickles candidates (`application/trickle-ice-sdpfrag`), `DELETE` stops. Only the key's
//! owner, a member of the room, can publish there; a missing, wrong or revoked key gets 401.
//! No cookies, so no origin check: the key is the credential.

use bytes::Bytes;
use warp::http::{header, StatusCode};
use warp::{Filter, Rejection, Reply};

use super::api::with_state;
use super::errors::{internal, reject};
use crate::auth::session::hash_token;
use crate::state::AppState;
use crate::whip::{self, Stage, WhipError};
use hearth_shared::session::UserPublic;

/// The largest offer or fragment taken.
const MAX_SDP: u64 = 64 * 1024;

/// The routes under `/api/whip`.
pub fn routes(state: AppState) -> impl Filter<Extract = (impl Reply,), Error = Rejection> + Clone {
    let at = warp::path("whip");
    let auth = warp::header::optional::<String>("authorization");
    let body = warp::header::optional::<String>("content-type")
        .and(warp::body::content_length_limit(MAX_SDP))
        .and(warp::body::bytes());
    let post = (at.and(warp::path::param::<Stage>()).and(warp::path::end()))
        .and(warp::post())
        .and(auth)
        .and(body)
        .and(with_state(state.clone()))
        .and_then(post);
    let session = at
        .and(warp::path::param::<Stage>())
        .and(warp::path::param::<String>())
        .and(warp::path::end());
    let patch = session
        .and(warp::patch())
        .and(auth)
        .and(body)
        .and(with_state(state.clone()))
        .and_then(patch);
    let delete = session
        .and(warp::delete())
        .and(auth)
        .and(with_state(state))
        .and_then(delete);
    post.or(patch).or(delete)
}

/// The owner of the bearer token in `Authorization`; 401 for none, a wrong or a revoked one.
async fn publisher(auth: Option<String>, state: &AppState) -> Result<UserPublic, Rejection> {
    let unauthorized = || {
        reject(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "a valid stream key is needed (Authorization: Bearer <key>)",
        )
    };
    let key = auth
        .as_deref()
        .and_then(|a| a.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .ok_or_else(unauthorized)?;
    (state.store)
        .stream_key_user(hash_token(key))
        .await
        .map_err(internal)?
        .ok_or_else(unauthorized)
}

/// The body as text of the media type `want`.
fn text_of(kind: Option<String>, body: Bytes, want: &str) -> Result<String, Rejection> {
    let kind = kind.unwrap_or_default();
    if kind.split(';').next().map(str::trim) != Some(want) {
        return Err(reject(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            format!("the body must be {want}"),
        ));
    }
    String::from_utf8(body.to_vec()).map_err(|_| {
        reject(
            StatusCode::BAD_REQUEST,
            "bad_request",
            "the body is not UTF-8",
        )
    })
}

fn refused(e: WhipError) -> Rejection {
    let (status, code) = match &e {
        WhipError::NoRelay => (StatusCode::SERVICE_UNAVAILABLE, "no_relay"),
        WhipError::NoRoom => (StatusCode::NOT_FOUND, "not_in_conversation"),
        WhipError::Call(_) => (StatusCode::CONFLICT, "conflict"),
        WhipError::Sdp(crate::sfu::SfuError::Sdp(_)) => (StatusCode::BAD_REQUEST, "invalid"),
        WhipError::Sdp(_) => (StatusCode::SERVICE_UNAVAILABLE, "no_relay"),
        WhipError::NoSession => (StatusCode::NOT_FOUND, "no_such_session"),
        WhipError::Store(_) => return internal(e),
    };
    reject(status, code, e.to_string())
}

async fn post(
    stage: Stage,
    auth: Option<String>,
    kind: Option<String>,
    body: Bytes,
    state: AppState,
) -> Result<warp::reply::Response, Rejection> {
    let user = publisher(auth, &state).await?;
    let offer = text_of(kind, body, "application/sdp")?;
    let (session, answer) = (whip::publish(&state, user, stage, offer).await).map_err(refused)?;
    let mut reply = warp::reply::with_status(answer, StatusCode::CREATED).into_response();
    let headers = reply.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        "application/sdp".parse().map_err(internal)?,
    );
    let location = format!("/api/whip/{stage}/{session}");
    headers.insert(header::LOCATION, location.parse().map_err(internal)?);
    Ok(reply)
}

async fn patch(
    _stage: Stage,
    session: String,
    auth: Option<String>,
    kind: Option<String>,
    body: Bytes,
    state: AppState,
) -> Result<warp::reply::Response, Rejection> {
    let user = publisher(auth, &state).await?;
    let fragment = text_of(kind, body, "application/trickle-ice-sdpfrag")?;
    whip::trickle(&state, &session, user.id, &fragment).map_err(refused)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn delete(
    _stage: Stage,
    session: String,
    auth: Option<String>,
    state: AppState,
) -> Result<warp::reply::Response, Rejection> {
    let user = publisher(auth, &state).await?;
    whip::stop(&state, &session, user.id)
        .await
        .map_err(refused)?;
    Ok(StatusCode::OK.into_response())
}
