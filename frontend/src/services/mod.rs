//! Talking to the server and the browser's storage. No yew here: these would survive a
//! change of UI framework.

pub mod api;
pub mod cache;
pub mod outbox;
pub mod settings;
pub mod socket;

/// Saves `value` under `key` in localStorage; a failure (storage full or blocked) is logged
/// with the browser's reason. serde's text is left out: formatting it would bring every
/// message of serde_json's parser (and std::io's) into the bundle.
pub fn save_local<T: serde::Serialize>(key: &str, value: T, what: &str) {
    use gloo::storage::{errors::StorageError, LocalStorage, Storage};
    if let Err(e) = LocalStorage::set(key, value) {
        let why = match e {
            StorageError::JsError(e) => e.message,
            _ => "no JSON form".to_owned(),
        };
        gloo::console::warn!(format!("could not save {what}: {why}"));
    }
}

/// Milliseconds since the Unix epoch, from the browser's clock.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// A fresh id for a message: the time (milliseconds, 11 hex digits), then a random UUID's
/// 32 hex digits from the browser's crypto. Ids that start with the time land together in
/// the server's index of client ids (one page written per batch of posts, not one each).
pub fn new_client_id() -> hearth_shared::ClientMsgId {
    let random = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.random_uuid().replace('-', ""))
        .unwrap_or_else(|| format!("{:016x}", js_sys::Math::random().to_bits()));
    hearth_shared::ClientMsgId(format!("{:011x}{random}", now_ms() as u64))
}
