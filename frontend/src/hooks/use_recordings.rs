//! `use_recordings()`: the recordings made in this page, with intents to play, close and
//! delete them. The call controller feeds it through `use_call`.

use yew::prelude::*;

use crate::state::recordings::{Recordings, RecordingsAction};

/// The recordings as a component sees them.
#[derive(Clone, PartialEq)]
pub struct RecordingsHandle {
    state: UseReducerHandle<Recordings>,
}

/// The page's recordings.
#[hook]
pub fn use_recordings() -> RecordingsHandle {
    RecordingsHandle {
        state: use_reducer(Recordings::default),
    }
}

impl RecordingsHandle {
    /// The list.
    pub fn state(&self) -> &Recordings {
        &self.state
    }

    /// Where the call controller reports saved recordings.
    pub fn dispatcher(&self) -> UseReducerDispatcher<Recordings> {
        self.state.dispatcher()
    }

    /// Opens one in the player.
    pub fn play(&self, url: String) {
        self.state.dispatch(RecordingsAction::Play(url));
    }

    /// Closes the player.
    pub fn close(&self) {
        self.state.dispatch(RecordingsAction::Close);
    }

    /// Forgets one and frees its file.
    pub fn delete(&self, url: String) {
        let _ = web_sys::Url::revoke_object_url(&url);
        self.state.dispatch(RecordingsAction::Delete(url));
    }
}
