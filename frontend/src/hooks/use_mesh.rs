//! `use_mesh()`: the room call controller wired to the messenger's socket, as a handle with
//! intent methods (`join`, `leave`, `toggle_mic`, ...) and the state its screen shows.

use std::rc::Rc;

use yew::prelude::*;

use super::Messenger;
use crate::state::mesh::MeshState;
use crate::state::rooms::RoomsAction;
use crate::webrtc::mesh::MeshCall;
use hearth_shared::call::{CallKind, ClientCall, RoomCallInfo};
use hearth_shared::ConversationId;

/// The room call as a component sees it; equal while its state is.
#[derive(Clone)]
pub struct MeshHandle {
    /// What the call screen shows.
    pub state: UseReducerHandle<MeshState>,
    ctl: Rc<MeshCall>,
    messenger: Messenger,
}

impl PartialEq for MeshHandle {
    fn eq(&self, other: &Self) -> bool {
        self.state == other.state && Rc::ptr_eq(&self.ctl, &other.ctl)
    }
}

/// What a room call's screen and buttons can do.
#[derive(Debug, Clone, PartialEq)]
pub enum MeshIntent {
    /// Join (or start) the call in this room.
    Join(ConversationId, CallKind),
    /// Refuse the ringing call.
    Decline(RoomCallInfo),
    /// Leave the call.
    Leave,
    /// Microphone on or off.
    ToggleMic,
    /// Camera on or off.
    ToggleCamera,
}

/// Sets up room calls for the signed-in page.
#[hook]
pub fn use_mesh(messenger: &Messenger) -> MeshHandle {
    let state = use_reducer(MeshState::default);
    let link = messenger.link();
    let ctl = {
        let dispatch = state.dispatcher();
        let (send_link, join_link) = (Rc::downgrade(&link), Rc::downgrade(&link));
        let me = link.me.id;
        use_memo((), move |_| {
            MeshCall::new(
                me,
                move |cmd| send_link.upgrade().is_some_and(|l| l.send_call(cmd)),
                move |room, kind| join_link.upgrade().is_some_and(|l| l.join_room(room, kind)),
                move |e| dispatch.dispatch(e),
            )
        })
    };
    {
        let ctl = ctl.clone();
        use_effect_with((), move |_| {
            ctl.set_prefs(crate::services::settings::load());
            link.attach_mesh((*ctl).clone());
            move || {
                ctl.leave();
                link.mesh.replace(None);
            }
        });
    }
    MeshHandle {
        state,
        ctl,
        messenger: messenger.clone(),
    }
}

impl MeshHandle {
    /// Carries out an intent.
    pub fn act(&self, intent: MeshIntent) {
        match intent {
            MeshIntent::Join(room, kind) => {
                self.messenger.rooms.dispatch(RoomsAction::RingAnswered);
                self.ctl.join(room, kind);
            }
            MeshIntent::Decline(call) => {
                let call_id = call.id.clone();
                self.messenger
                    .rooms
                    .dispatch(RoomsAction::StopRinging(call.id));
                self.messenger.link().send_call(ClientCall::Decline {
                    call_id,
                    req_id: None,
                });
            }
            MeshIntent::Leave => self.ctl.leave(),
            MeshIntent::ToggleMic => self.ctl.toggle_mic(),
            MeshIntent::ToggleCamera => self.ctl.toggle_camera(),
        }
    }

    /// The intents as a callback, for components.
    pub fn callback(&self) -> Callback<MeshIntent> {
        let this = self.clone();
        Callback::from(move |i| this.act(i))
    }
}
