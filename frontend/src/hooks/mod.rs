//! Hooks that give components handles with intent methods.

mod link;
mod use_call;
mod use_connection_test;
mod use_leave_guard;
mod use_mesh;
mod use_messenger;
mod use_recordings;
mod use_stream_key;

pub use use_call::{use_call, use_call_screen, CallHandle, CallIntent};
pub use use_connection_test::{use_connection_test, ConnTest};
pub use use_leave_guard::use_leave_guard;
pub use use_mesh::{use_mesh, MeshHandle, MeshIntent};
pub use use_messenger::{use_messenger, Messenger};
pub use use_recordings::{use_recordings, RecordingsHandle};
pub use use_stream_key::{use_stream_key, KeyState};
