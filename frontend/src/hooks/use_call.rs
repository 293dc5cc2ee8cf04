//! `use_call()`: the call controller wired to the messenger's socket, as a handle with intent
//! methods (`start`, `accept`, `decline`, `hang_up`, ...); and `use_call_screen()`, the call
//! screen's state. The state lives in the call screen, not the page, so the events of a call
//! (a quality sample every second, the streams, ...) re-render the call screen alone and
//! never the conversation beside it.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use super::Messenger;
use crate::services::now_ms;
use crate::state::call::{CallAction, CallState};
use crate::state::recordings::{Recordings, RecordingsAction};
use crate::webrtc::call::{CallController, CallEvent};
use hearth_shared::call::CallKind;
use hearth_shared::session::UserPublic;

/// Where the controller's events go: the call screen's reducer, once it is mounted.
type Screen = Rc<RefCell<Option<UseReducerDispatcher<CallState>>>>;

/// The call as a component sees it; equal as long as it is the same call controller.
#[derive(Clone)]
pub struct CallHandle {
    ctl: CallController,
    screen: Screen,
}

impl PartialEq for CallHandle {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.screen, &other.screen)
    }
}

/// What the call screen's buttons ask for.
#[derive(Debug, Clone, PartialEq)]
pub enum CallIntent {
    /// Answer.
    Accept,
    /// Refuse.
    Decline,
    /// Cancel or hang up.
    HangUp,
    /// Mute or unmute.
    ToggleMic,
    /// Camera picture off or on.
    ToggleCamera,
    /// Turn a voice call into a video call.
    AddVideo,
    /// Share a screen, window or tab in place of the camera.
    ShareScreen,
    /// Stop sharing; the camera comes back.
    StopSharing,
    /// A screenshot of the friend's picture, or of one's own.
    Screenshot {
        /// One's own.
        mine: bool,
    },
    /// Record the call (`true`: the sound alone).
    Record(bool),
    /// Stop recording; the file opens in the player once saved.
    StopRecording,
    /// Silence the ringtone.
    Silence,
    /// Use another microphone (`audio`) or camera (`video`): its device id.
    Device(&'static str, String),
    /// Close the "call ended" notice.
    Dismiss,
}

/// Sets up calling for the signed-in page; saved recordings go to `recordings`.
#[hook]
pub fn use_call(messenger: &Messenger, recordings: UseReducerDispatcher<Recordings>) -> CallHandle {
    let link = messenger.link();
    let screen: Screen = (*use_memo((), |_| Rc::new(RefCell::new(None)))).clone();
    let ctl = {
        let screen = screen.clone();
        let weak = Rc::downgrade(&link);
        use_memo((), move |_| {
            let send_link = weak.clone();
            let invite_link = weak;
            CallController::new(
                move |cmd| send_link.upgrade().is_some_and(|l| l.send_call(cmd)),
                move |callee, kind| {
                    invite_link
                        .upgrade()
                        .is_some_and(|l| l.invite(callee, kind))
                },
                move |event| {
                    // The recordings outlive the call: they are the page's, not the screen's.
                    match &event {
                        CallEvent::Saved(saved) => {
                            return recordings.dispatch(RecordingsAction::Saved(saved.clone()))
                        }
                        CallEvent::RecordingStopped => {
                            recordings.dispatch(RecordingsAction::Saving)
                        }
                        _ => {}
                    }
                    let to = screen.borrow().clone();
                    if let Some(to) = to {
                        to.dispatch(CallAction::Event(event, now_ms()));
                    }
                },
            )
        })
    };
    {
        let ctl = (*ctl).clone();
        use_effect_with((), move |_| {
            ctl.set_prefs(crate::services::settings::load());
            ctl.set_me(link.me.username.clone());
            link.attach_call(ctl.clone());
            move || {
                ctl.hang_up();
                link.call.replace(None);
            }
        });
    }
    CallHandle {
        ctl: (*ctl).clone(),
        screen,
    }
}

/// The call screen's state, fed by the controller of `call` while the screen is mounted.
#[hook]
pub fn use_call_screen(call: &CallHandle) -> UseReducerHandle<CallState> {
    let state = use_reducer(CallState::default);
    // Wired during the first render, not in an effect, so no event can slip in between.
    call.screen
        .borrow_mut()
        .get_or_insert_with(|| state.dispatcher());
    {
        let screen = call.screen.clone();
        use_effect_with((), move |_| move || drop(screen.take()));
    }
    state
}

impl CallHandle {
    /// Calls a friend.
    pub fn start(&self, peer: UserPublic, kind: CallKind) {
        self.ctl.start(peer, kind);
    }

    /// Carries out what a button of the call screen asks for.
    pub fn act(&self, intent: CallIntent) {
        let c = &self.ctl;
        match intent {
            CallIntent::Accept => c.accept(),
            CallIntent::Decline => c.decline(),
            CallIntent::HangUp => c.hang_up(),
            CallIntent::ToggleMic => c.toggle_mic(),
            CallIntent::ToggleCamera => c.toggle_camera(),
            CallIntent::AddVideo => c.add_video(),
            CallIntent::ShareScreen => c.share_screen(),
            CallIntent::StopSharing => c.stop_sharing(),
            CallIntent::Screenshot { mine } => c.screenshot(mine),
            CallIntent::Record(audio_only) => c.start_recording(audio_only),
            CallIntent::StopRecording => c.stop_recording(),
            CallIntent::Silence => c.silence(),
            CallIntent::Device(kind, id) => c.switch_device(kind, id),
            CallIntent::Dismiss => {
                if let Some(screen) = self.screen.borrow().as_ref() {
                    screen.dispatch(CallAction::Dismiss);
                }
            }
        }
    }

    /// The intents as a callback, for the call screen.
    pub fn callback(&self) -> Callback<CallIntent> {
        let this = self.clone();
        Callback::from(move |i| this.act(i))
    }

    /// Saves audio processing settings and uses them from the next call on.
    pub fn set_prefs(&self, prefs: crate::webrtc::media::MediaPrefs) {
        crate::services::settings::save(prefs);
        self.ctl.set_prefs(prefs);
    }
}
