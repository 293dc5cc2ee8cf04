//! The WebSocket at `/ws` after the upgrade: one task per connection.

mod chat;
mod conn;
mod friends;
mod reply;

pub use conn::{serve, Peer};
