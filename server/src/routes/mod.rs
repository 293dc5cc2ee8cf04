//! warp filters only: they parse requests, call into auth/store/ws, and shape responses.

mod api;
mod errors;
mod origin;
mod static_files;
mod ws;

use std::net::SocketAddr;

use warp::Filter;

use crate::state::AppState;

/// The client's address, put into each request by the accept loop.
#[derive(Debug, Clone, Copy)]
pub struct PeerAddr(pub SocketAddr);

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
