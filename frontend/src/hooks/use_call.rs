//! `use_call()`: the call controller wired to the messenger's socket, and a handle with the
//! call screen's state and intent methods (`start`, `accept`, `decline`, `hang_up`, ...).

use std::rc::Rc;

use yew::prelude::*;

use super::Messenger;
use crate::services::now_ms;
use crate::state::call::{CallAction, CallState};
use crate::webrtc::call::CallController;
use hearth_shared::call::CallKind;
use hearth_shared::session::UserPublic;

/// The call as a component sees it.
#[derive(Clone)]
pub struct CallHandle {
    /// What to show.
    pub state: UseReducerHandle<CallState>,
    ctl: CallController,
}

impl PartialEq for CallHandle {
    fn eq(&self, other: &Self) -> bool {
        self.state == other.state
    }
}

/// Sets up calling for the signed-in page.
#[hook]
pub fn use_call(messenger: &Messenger) -> CallHandle {
    let state = use_reducer(CallState::default);
    let link = messenger.link();
    let ctl = {
        let dispatch = state.dispatcher();
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
                move |event| dispatch.dispatch(CallAction::Event(event, now_ms())),
            )
        })
    };
    {
        let ctl = (*ctl).clone();
        use_effect_with((), move |_| {
            ctl.set_prefs(crate::services::settings::load());
            link.attach_call(ctl.clone());
            move || {
                ctl.hang_up();
                link.call.replace(None);
            }
        });
    }
    CallHandle {
        state,
        ctl: (*ctl).clone(),
    }
}

impl CallHandle {
    /// Calls a friend.
    pub fn start(&self, peer: UserPublic, kind: CallKind) {
        self.ctl.start(peer, kind);
    }

    /// Answers.
    pub fn accept(&self) {
        self.ctl.accept();
    }

    /// Declines.
    pub fn decline(&self) {
        self.ctl.decline();
    }

    /// Cancels or hangs up.
    pub fn hang_up(&self) {
        self.ctl.hang_up();
    }

    /// Mutes or unmutes.
    pub fn toggle_mic(&self) {
        self.ctl.toggle_mic();
    }

    /// Camera picture off or on.
    pub fn toggle_camera(&self) {
        self.ctl.toggle_camera();
    }

    /// Turns a voice call into a video call.
    pub fn add_video(&self) {
        self.ctl.add_video();
    }

    /// Silences the ringtone.
    pub fn silence(&self) {
        self.ctl.silence();
    }

    /// Switches the microphone (`audio`) or camera (`video`).
    pub fn switch_device(&self, kind: &'static str, id: String) {
        self.ctl.switch_device(kind, id);
    }

    /// Saves audio processing settings and uses them from the next call on.
    pub fn set_prefs(&self, prefs: crate::webrtc::media::MediaPrefs) {
        crate::services::settings::save(prefs);
        self.ctl.set_prefs(prefs);
    }

    /// Closes the "call ended" notice.
    pub fn dismiss(&self) {
        self.state.dispatch(CallAction::Dismiss);
    }
}
