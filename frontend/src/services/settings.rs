//! The user's call settings (audio processing), kept in localStorage.

use gloo::storage::{LocalStorage, Storage};

use crate::webrtc::media::MediaPrefs;

const KEY: &str = "hearth.media_prefs";

/// The saved settings, or the defaults (everything on).
pub fn load() -> MediaPrefs {
    LocalStorage::get(KEY).unwrap_or_default()
}

/// Saves the settings.
pub fn save(prefs: MediaPrefs) {
    super::save_local(KEY, prefs, "settings");
}
