//! `GET /ws`: checks Origin and the session cookie, then finishes the WebSocket handshake
//! itself so the socket gets small buffers (tungstenite's default read buffer is 128 KiB per
//! connection, allocated up front; warp 0.4 does not let it be changed).

use hyper_util::rt::TokioIo;
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;
use tokio_tungstenite::tungstenite::protocol::{Role, WebSocketConfig};
use tokio_tungstenite::WebSocketStream;
use warp::http::{header, Response, StatusCode};
use warp::{Filter, Rejection, Reply};

use super::errors::{internal, reject};
use super::origin::{self, RequestAuthority};
use super::UpgradeSlot;
use crate::auth::session::{hash_token, COOKIE};
use crate::state::AppState;
use crate::ws::Client;

/// Bytes the socket reads at a time; frames larger than this still arrive whole.
const READ_BUFFER: usize = 4 * 1024;
/// Bytes of frames gathered before a write to the socket: the writer queues what is waiting
/// and flushes once, so a post's echo and its ack leave in one system call. Only a busy
/// socket's buffer grows this far.
const WRITE_BUFFER: usize = 8 * 1024;
/// The ceiling, twice the protocol limit. A frame or message over it is refused from its
/// header, before its payload is read or any room is reserved for it, and the connection is
/// closed with 1009. One between the protocol limit (64 KiB) and this gets an `error` reply
/// and the connection lives on. So a socket buffers at most 128 KiB of input.
const CEILING: usize = 2 * hearth_shared::MAX_FRAME_BYTES;

fn socket_config() -> WebSocketConfig {
    WebSocketConfig::default()
        .read_buffer_size(READ_BUFFER)
        .write_buffer_size(WRITE_BUFFER)
        .max_message_size(Some(CEILING))
        .max_frame_size(Some(CEILING))
}

/// The `Sec-WebSocket-Key` of a valid upgrade request, and the upgrade handle.
fn handshake() -> impl Filter<Extract = (String, UpgradeSlot), Error = Rejection> + Clone {
    warp::header::<String>("connection")
        .and(warp::header::<String>("upgrade"))
        .and(warp::header::<String>("sec-websocket-version"))
        .and(warp::header::<String>("sec-websocket-key"))
        .and(warp::ext::get::<UpgradeSlot>())
        .and_then(
            |conn: String, up: String, version: String, key: String, slot: UpgradeSlot| async move {
                let is_upgrade = conn.to_ascii_lowercase().contains("upgrade")
                    && up.eq_ignore_ascii_case("websocket");
                if is_upgrade && version == "13" {
                    Ok((key, slot))
                } else {
                    Err(reject(
                        StatusCode::BAD_REQUEST,
                        "not_websocket",
                        "expected a WebSocket upgrade",
                    ))
                }
            },
        )
        .untuple_one()
}

/// The WebSocket route (the `/ws` prefix is matched by the caller).
pub fn route(state: AppState) -> impl Filter<Extract = (impl Reply,), Error = Rejection> + Clone {
    warp::path::end()
        .and(warp::get())
        .and(warp::header::optional::<String>("origin"))
        .and(warp::ext::optional::<RequestAuthority>())
        .and(warp::cookie::optional(COOKIE))
        .and(handshake())
        .and(warp::any().map(move || state.clone()))
        .and_then(upgrade)
}

async fn upgrade(
    origin: Option<String>,
    to: Option<RequestAuthority>,
    token: Option<String>,
    key: String,
    slot: UpgradeSlot,
    state: AppState,
) -> Result<Response<String>, Rejection> {
    let origin_ok = origin.is_some_and(|o| origin::allowed(&o, to.as_ref(), &state.settings));
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
        .map_err(internal)?
        .ok_or_else(|| {
            reject(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "your session has ended; log in again",
            )
        })?;
    let slot_taken = state.slots.take(user.id).ok_or_else(|| {
        reject(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_connections",
            "you have too many tabs or devices connected; close some",
        )
    })?;
    let host = origin::browser_host(to.as_ref(), &state.settings);
    let (on_upgrade, held) = slot
        .take()
        .ok_or_else(|| internal("upgrade handle missing"))?;
    tokio::spawn(async move {
        let _held = (slot_taken, held);
        match on_upgrade.await {
            Ok(upgraded) => {
                let io = TokioIo::new(upgraded);
                let socket =
                    WebSocketStream::from_raw_socket(io, Role::Server, Some(socket_config())).await;
                crate::ws::serve(
                    socket,
                    state,
                    Client {
                        user,
                        session,
                        host,
                    },
                )
                .await;
            }
            Err(e) => tracing::debug!("websocket upgrade failed: {e}"),
        }
    });
    Response::builder()
        .status(StatusCode::SWITCHING_PROTOCOLS)
        .header(header::CONNECTION, "upgrade")
        .header(header::UPGRADE, "websocket")
        .header("sec-websocket-accept", derive_accept_key(key.as_bytes()))
        .body(String::new())
        .map_err(internal)
}
