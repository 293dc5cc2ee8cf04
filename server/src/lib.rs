//! The Hearth server library: accounts, friends, durable chat and live presence, served by
//! warp on tokio. `main.rs` parses the config and calls [`run`]; tests call it on port 0.
//!
//! Dependency direction: `routes -> ws, whip -> hub -> store`.

pub mod assets;
pub mod auth;
pub mod config;
pub mod csp;
pub mod fdlimit;
pub mod hub;
pub mod lan;
pub mod limits;
pub mod routes;
pub mod server;
pub mod sfu;
pub mod state;
pub mod store;
pub mod tls;
pub mod turn;
pub mod whip;
pub mod ws;

pub use server::run;
pub use state::{AppState, Settings};
