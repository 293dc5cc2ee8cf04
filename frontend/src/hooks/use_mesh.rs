//! `use_mesh()`: the room call controller wired to the messenger's socket, as a handle with
//! intent methods (`join`, `go_live`, `watch`, `leave`, `toggle_mic`, ...) and the state its screen shows; and
//! the ringtone while a room call rings this user.

use std::rc::Rc;

use yew::prelude::*;

use super::Messenger;
use crate::state::mesh::MeshState;
use crate::state::recordings::{Recordings, RecordingsAction};
use crate::state::rooms::RoomsAction;
use crate::webrtc::mesh::{MeshCall, MeshEvent, Part};
use crate::webrtc::ringtone::Ringtone;
use hearth_shared::call::{CallKind, ClientCall, RoomCallInfo, FRIENDS_STAGE};
use hearth_shared::{ConversationId, UserId};

/// The room call as a component sees it; equal while its state is.
#[derive(Clone)]
pub struct MeshHandle {
    /// What the call screen shows.
    pub state: UseReducerHandle<MeshState>,
    /// Whether this browser can share a screen (asked once).
    pub can_share: bool,
    /// Whether this browser can record (asked once).
    pub can_record: bool,
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
    /// Go live in this room (a broadcast: this side sends, members watch).
    GoLive(ConversationId),
    /// Watch the broadcast in this room.
    Watch(ConversationId),
    /// Go live to all one's friends (a broadcast in no room).
    GoLiveToFriends,
    /// Watch this friend's broadcast to friends.
    WatchFriend(UserId),
    /// Refuse the ringing call.
    Decline(RoomCallInfo),
    /// Leave the call.
    Leave,
    /// Microphone on or off.
    ToggleMic,
    /// Camera on or off.
    ToggleCamera,
    /// Share a screen in place of the camera.
    ShareScreen,
    /// Stop sharing it.
    StopSharing,
    /// Record the call (`true`: sound only).
    Record(bool),
    /// Stop recording and save the file.
    StopRecording,
    /// A screenshot of someone's picture (None: one's own).
    Screenshot(Option<UserId>),
    /// Use another microphone (`audio`) or camera (`video`): its device id.
    Device(&'static str, String),
    /// This participant's tile brought a new picture into view.
    Shown(UserId),
}

/// Sets up room calls for the signed-in page; saved recordings go to `recordings`.
#[hook]
pub fn use_mesh(messenger: &Messenger, recordings: UseReducerDispatcher<Recordings>) -> MeshHandle {
    let state = use_reducer(MeshState::default);
    let link = messenger.link();
    let ctl = {
        let dispatch = state.dispatcher();
        let (send_link, join_link) = (Rc::downgrade(&link), Rc::downgrade(&link));
        let me = link.me.clone();
        use_memo((), move |_| {
            MeshCall::new(
                me,
                move |cmd| send_link.upgrade().is_some_and(|l| l.send_call(cmd)),
                move |room, kind, part, host, rejoin| {
                    join_link
                        .upgrade()
                        .is_some_and(|l| l.join_room(room, (kind, part, host), rejoin))
                },
                move |e| match e {
                    // The recordings outlive the call: they are the page's, not the screen's.
                    MeshEvent::Saved(saved) => recordings.dispatch(RecordingsAction::Saved(saved)),
                    MeshEvent::RecordingStopped => {
                        recordings.dispatch(RecordingsAction::Saving);
                        dispatch.dispatch(MeshEvent::RecordingStopped);
                    }
                    e => dispatch.dispatch(e),
                },
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
    // A room call ringing this user rings out loud until it is answered, declined or over.
    let ringing = messenger.rooms.ringing.as_ref().map(|(c, _)| c.id.clone());
    use_effect_with(ringing, |ringing| {
        let tone = ringing.as_ref().and_then(|_| Ringtone::start());
        move || drop(tone)
    });
    let (can_share, can_record) = *use_memo((), |_| {
        (MeshCall::can_share_screen(), MeshCall::can_record())
    });
    MeshHandle {
        state,
        can_share,
        can_record,
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
                self.ctl.join(room, kind, Part::Call);
            }
            MeshIntent::GoLive(room) => self.ctl.join(room, CallKind::Video, Part::Live),
            MeshIntent::Watch(room) => self.ctl.join(room, CallKind::Video, Part::Watch),
            MeshIntent::GoLiveToFriends => {
                self.ctl.join(FRIENDS_STAGE, CallKind::Video, Part::Live);
            }
            MeshIntent::WatchFriend(host) => self.ctl.watch_friend(host),
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
            MeshIntent::ShareScreen => self.ctl.share_screen(),
            MeshIntent::StopSharing => self.ctl.stop_sharing(),
            MeshIntent::Record(audio_only) => {
                let rooms = self.messenger.rooms.clone();
                let name = self.state.room.and_then(|id| {
                    rooms
                        .rooms
                        .iter()
                        .find(|r| r.id == id)
                        .map(|r| r.name.clone())
                });
                self.ctl
                    .start_recording(audio_only, name.as_deref().unwrap_or("call"));
            }
            MeshIntent::StopRecording => self.ctl.stop_recording(),
            MeshIntent::Screenshot(user) => self.ctl.screenshot(user),
            MeshIntent::Device(kind, id) => self.ctl.switch_device(kind, id),
            MeshIntent::Shown(user) => self.ctl.shown(user),
        }
    }

    /// The intents as a callback, for components.
    pub fn callback(&self) -> Callback<MeshIntent> {
        let this = self.clone();
        Callback::from(move |i| this.act(i))
    }
}
