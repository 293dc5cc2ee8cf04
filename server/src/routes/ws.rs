//! `GET /ws`: checks Origin and the session cookie before upgrading.

use warp::http::StatusCode;
use warp::{Filter, Rejection, Reply};

use super::errors::reject;
use super::origin;
use crate::auth::session::{hash_token, COOKIE};
use crate::state::AppState;
use crate::ws::Peer;

/// The WebSocket route (the `/ws` prefix is matched by the caller).
pub fn route(state: AppState) -> impl Filter<Extract = (impl Reply,), Error = Rejection> + Clone {
    warp::path::end()
        .and(warp::header::optional::<String>("origin"))
        .and(warp::header::optional::<String>("host"))
        .and(warp::cookie::optional(COOKIE))
        .and(warp::ws())
        .and(warp::any().map(move || state.clone()))
        .and_then(upgrade)
}

async fn upgrade(
    origin: Option<String>,
    host: Option<String>,
    token: Option<String>,
    ws: warp::ws::Ws,
    state: AppState,
) -> Result<impl Reply, Rejection> {
    let origin_ok = origin.is_some_and(|o| origin::allowed(&o, host.as_deref(), &state.settings));
    if !origin_ok {
        return Err(reject(
            StatusCode::FORBIDDEN,
            "bad_origin",
            "this origin may not open a connection",
        ));
    }
    let Some(token) = token else {
        return Err(reject(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "log in first",
        ));
    };
    let session = hash_token(&token);
    let user = state
        .store
        .session_user(session.clone())
        .await
        .map_err(super::errors::internal)?
        .ok_or_else(|| {
            reject(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "your session has ended; log in again",
            )
        })?;
    // The protocol limit (64 KiB) is checked per frame with an error reply; tungstenite's
    // own limit is higher so such a frame can be read and answered instead of killing the
    // connection.
    let ws = ws.max_frame_size(1 << 20).max_message_size(1 << 20);
    Ok(ws.on_upgrade(move |socket| crate::ws::serve(socket, state, Peer { user, session })))
}
