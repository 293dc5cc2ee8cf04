//! The user's stream key for going live from OBS: made anew or revoked on request; the key
//! itself is known only in the answer that made it, so it is shown until the page forgets.

use yew::prelude::*;

use crate::services::api;

/// What the stream key panel shows.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum KeyState {
    /// Nothing asked yet.
    #[default]
    Idle,
    /// A request is on its way.
    Busy,
    /// The new key, to copy into OBS.
    Made(String),
    /// Revoked: no key works now.
    Revoked,
    /// The server refused or could not be reached.
    Failed(String),
}

/// The panel's state, and `ask("POST")` for a new key or `ask("DELETE")` to revoke it.
#[hook]
pub fn use_stream_key() -> (KeyState, Callback<&'static str>) {
    let state = use_state(KeyState::default);
    let ask = {
        let state = state.clone();
        use_callback((), move |method: &'static str, _| {
            state.set(KeyState::Busy);
            let state = state.clone();
            wasm_bindgen_futures::spawn_local(async move {
                state.set(match api::stream_key(method).await {
                    Ok(Some(key)) => KeyState::Made(key),
                    Ok(None) => KeyState::Revoked,
                    Err(e) => KeyState::Failed(e.message),
                });
            });
        })
    };
    ((*state).clone(), ask)
}
