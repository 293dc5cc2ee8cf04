//! The Hearth web client: a Yew single-page app.
//!
//! Dependency direction: `pages -> components`, `pages -> hooks -> state/services`.
//! `services/` never imports yew.

pub mod app;
pub mod components;
pub mod hooks;
pub mod pages;
pub mod route;
pub mod services;
pub mod state;
pub mod text;
pub mod webrtc;
