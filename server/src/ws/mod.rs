//! The WebSocket at `/ws` after the upgrade: one task per connection.

mod call;
pub mod call_outs;
mod chat;
mod conn;
mod ctx;
mod friends;
mod reply;
mod rooms;
mod sfu;

pub use conn::{serve, Client};
pub use sfu::sfu_events;

/// A server-side WebSocket over an upgraded hyper connection.
pub type Socket =
    tokio_tungstenite::WebSocketStream<hyper_util::rt::TokioIo<hyper::upgrade::Upgraded>>;
