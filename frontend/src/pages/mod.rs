//! Pages compose components and hooks; one per route.

mod call_screen;
pub mod home;
pub mod login;
mod messenger;
