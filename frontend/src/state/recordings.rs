//! The recordings made in this page: saved ones (newest first), the one playing, and how
//! many are still being saved. Kept until the page closes; the files themselves are blobs
//! of this page, so deleting one also frees its memory (the hook revokes its URL).

use std::rc::Rc;

use yew::Reducible;

use crate::webrtc::recording::Recorded;

/// The recordings list.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Recordings {
    /// Newest first.
    pub items: Vec<Recorded>,
    /// The URL of the one in the player.
    pub playing: Option<String>,
    /// Recordings stopped but not saved yet.
    pub saving: u32,
    /// Why the last one could not be saved.
    pub error: Option<String>,
}

/// Changes to the list.
#[derive(Debug, Clone, PartialEq)]
pub enum RecordingsAction {
    /// A recording stopped and is being saved.
    Saving,
    /// It is saved (and opens in the player), or it failed.
    Saved(Result<Recorded, String>),
    /// Open one in the player.
    Play(String),
    /// Close the player.
    Close,
    /// Forget one.
    Delete(String),
}

impl Recordings {
    /// The one in the player.
    pub fn playing(&self) -> Option<&Recorded> {
        let url = self.playing.as_ref()?;
        self.items.iter().find(|r| &r.url == url)
    }
}

impl Reducible for Recordings {
    type Action = RecordingsAction;

    fn reduce(self: Rc<Self>, action: RecordingsAction) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            RecordingsAction::Saving => s.saving += 1,
            RecordingsAction::Saved(result) => {
                s.saving = s.saving.saturating_sub(1);
                match result {
                    Ok(r) => {
                        s.playing = Some(r.url.clone());
                        s.items.insert(0, r);
                        s.error = None;
                    }
                    Err(e) => s.error = Some(format!("The recording could not be saved: {e}")),
                }
            }
            RecordingsAction::Play(url) if s.items.iter().any(|r| r.url == url) => {
                s.playing = Some(url);
            }
            RecordingsAction::Play(_) => return self,
            RecordingsAction::Close => {
                s.playing = None;
                s.error = None;
            }
            RecordingsAction::Delete(url) => {
                s.items.retain(|r| r.url != url);
                if s.playing.as_ref() == Some(&url) {
                    s.playing = None;
                }
            }
        }
        Rc::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(url: &str) -> Recorded {
        Recorded {
            url: url.into(),
            name: format!("{url}.webm"),
            bytes: 1000,
            duration_ms: Some(5000.0),
            audio_only: false,
        }
    }

    fn act(s: Rc<Recordings>, a: RecordingsAction) -> Rc<Recordings> {
        s.reduce(a)
    }

    #[test]
    fn a_saved_recording_goes_first_and_opens_in_the_player() {
        let s = Rc::new(Recordings::default());
        let s = act(s, RecordingsAction::Saving);
        assert_eq!(s.saving, 1);
        let s = act(s, RecordingsAction::Saved(Ok(rec("a"))));
        let s = act(s, RecordingsAction::Saving);
        let s = act(s, RecordingsAction::Saved(Ok(rec("b"))));
        assert_eq!(s.saving, 0);
        let urls: Vec<&str> = s.items.iter().map(|r| r.url.as_str()).collect();
        assert_eq!(urls, ["b", "a"]);
        assert_eq!(s.playing().map(|r| r.url.as_str()), Some("b"));
    }

    #[test]
    fn play_close_and_delete() {
        let s = Rc::new(Recordings::default());
        let s = act(s, RecordingsAction::Saved(Ok(rec("a"))));
        let s = act(s, RecordingsAction::Saved(Ok(rec("b"))));
        let s = act(s, RecordingsAction::Play("a".into()));
        assert_eq!(s.playing.as_deref(), Some("a"));
        let unchanged = act(s.clone(), RecordingsAction::Play("gone".into()));
        assert!(Rc::ptr_eq(&unchanged, &s));
        let s = act(s, RecordingsAction::Delete("a".into()));
        assert_eq!((s.items.len(), s.playing.clone()), (1, None));
        let s = act(s, RecordingsAction::Play("b".into()));
        let s = act(s, RecordingsAction::Close);
        assert_eq!(s.playing, None);
    }

    #[test]
    fn a_failed_save_says_why_and_keeps_the_list() {
        let s = Rc::new(Recordings::default());
        let s = act(s, RecordingsAction::Saved(Ok(rec("a"))));
        let s = act(s, RecordingsAction::Saving);
        let s = act(s, RecordingsAction::Saved(Err("no space".into())));
        assert_eq!(s.items.len(), 1);
        assert_eq!(s.saving, 0);
        assert!(s.error.as_deref().is_some_and(|e| e.contains("no space")));
        let s = act(s, RecordingsAction::Close);
        assert_eq!(s.error, None, "closing the notice dismisses it");
        assert_eq!(s.items.len(), 1);
    }
}
