//! The Hearth server library: `run` serves the web app, the HTTP API and the WebSocket.

pub mod store;
