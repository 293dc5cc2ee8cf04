//! Pages compose components and hooks; one per route.

pub mod home;
pub mod login;
mod messenger;
