//! The UI's state: one `Reducible` store per domain with an `Action` enum, free of the DOM
//! so every rule is a host unit test.

pub mod call;
pub mod chat;
pub mod friends;
pub mod mesh;
pub mod recordings;
pub mod rooms;
pub mod session;
