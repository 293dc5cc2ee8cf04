//! warp filters only: they parse requests, call into auth/store/ws, and shape responses.

mod api;
mod errors;
pub mod origin;
mod static_files;
mod stream_key;
mod whip;
mod ws;

use std::net::SocketAddr;

use warp::Filter;

use crate::state::AppState;

/// The client's address, put into each request by the accept loop.
#[derive(Debug, Clone, Copy)]
pub struct PeerAddr(pub SocketAddr);

/// What a connection holds for its life (its place under the connection caps); an upgraded
/// socket keeps holding it after the HTTP connection has handed it over.
pub type Held = std::sync::Arc<dyn std::any::Any + Send + Sync>;

/// hyper's upgrade handle for a `/ws` request, lifted out of the request by the accept loop
/// so the WebSocket route can finish the upgrade itself (with its own buffer sizes, which
/// warp's `ws()` does not expose).
#[derive(Clone)]
pub struct UpgradeSlot {
    on: std::sync::Arc<std::sync::Mutex<Option<hyper::upgrade::OnUpgrade>>>,
    held: Held,
}

impl UpgradeSlot {
    /// Holds `on`, and what the connection holds.
    pub fn new(on: hyper::upgrade::OnUpgrade, held: Held) -> UpgradeSlot {
        UpgradeSlot {
            on: std::sync::Arc::new(std::sync::Mutex::new(Some(on))),
            held,
        }
    }

    /// Takes the handle (once), with what the socket must hold while it is open.
    pub fn take(&self) -> Option<(hyper::upgrade::OnUpgrade, Held)> {
        let on = self.on.lock().ok()?.take()?;
        Some((on, self.held.clone()))
    }
}

/// Every route the server answers.
pub fn routes(
    state: AppState,
) -> impl Filter<Extract = (impl warp::Reply,), Error = std::convert::Infallible> + Clone {
    // `/api` and `/ws` answer every request under them themselves (JSON errors), so a
    // refusal there never falls through to the web app's catch-all.
    let api = warp::path("api").and(api::routes(state.clone()).recover(errors::recover));
    let ws = warp::path("ws").and(ws::route(state.clone()).recover(errors::recover));
    api.or(ws)
        .or(static_files::route(state))
        .recover(errors::recover)
}
