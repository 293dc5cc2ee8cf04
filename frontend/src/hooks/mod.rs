//! Hooks that give components handles with intent methods.

mod link;
mod use_messenger;

pub use use_messenger::{use_messenger, Messenger};
