//! The rooms the user is in, as the server last listed them, the calls running in them, a
//! room call ringing this user, and the last room command's failure.

use std::rc::Rc;

use yew::Reducible;

use hearth_shared::call::{CallId, RoomCallInfo};
use hearth_shared::rooms::Room;
use hearth_shared::session::UserPublic;
use hearth_shared::ConversationId;

/// The rooms store.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RoomsState {
    /// By name.
    pub rooms: Vec<Room>,
    /// Whether the first list has arrived.
    pub loaded: bool,
    /// The last room command's failure, shown where rooms are managed.
    pub error: Option<String>,
    /// The calls running in the user's rooms.
    pub calls: Vec<RoomCallInfo>,
    /// A room call ringing this user, and who started it.
    pub ringing: Option<(RoomCallInfo, UserPublic)>,
}

impl RoomsState {
    /// The room with this conversation, if the user is in it.
    pub fn room(&self, id: ConversationId) -> Option<&Room> {
        self.rooms.iter().find(|r| r.id == id)
    }

    /// The call running in room `id`, if any.
    pub fn call(&self, id: ConversationId) -> Option<&RoomCallInfo> {
        self.calls.iter().find(|c| c.room == id)
    }
}

/// Changes to the rooms store.
#[derive(Debug, Clone, PartialEq)]
pub enum RoomsAction {
    /// A fresh list from the server.
    List(Vec<Room>),
    /// A room command failed.
    Failed(String),
    /// A new command went out; clear the error.
    ClearError,
    /// The call in a room now (None: there is none).
    Call(ConversationId, Option<RoomCallInfo>),
    /// A room call rings this user.
    Ringing(RoomCallInfo, UserPublic),
    /// This call stopped ringing (joined, declined, timed out, over).
    StopRinging(CallId),
    /// The user joins a call: whatever rang stops ringing on this tab.
    RingAnswered,
}

impl Reducible for RoomsState {
    type Action = RoomsAction;

    fn reduce(self: Rc<Self>, action: RoomsAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            RoomsAction::List(rooms) => {
                // A room the user is no longer in takes its call and its ring with it.
                next.calls.retain(|c| rooms.iter().any(|r| r.id == c.room));
                if let Some((call, _)) = &next.ringing {
                    if !rooms.iter().any(|r| r.id == call.room) {
                        next.ringing = None;
                    }
                }
                next.rooms = rooms;
                next.loaded = true;
            }
            RoomsAction::Failed(message) => next.error = Some(message),
            RoomsAction::ClearError if next.error.is_none() => return self,
            RoomsAction::ClearError => next.error = None,
            RoomsAction::Call(room, call) => {
                next.calls.retain(|c| c.room != room);
                next.calls.extend(call);
            }
            RoomsAction::Ringing(call, by) => next.ringing = Some((call, by)),
            RoomsAction::StopRinging(id) => match &next.ringing {
                Some((call, _)) if call.id == id => next.ringing = None,
                _ => return self,
            },
            RoomsAction::RingAnswered if next.ringing.is_none() => return self,
            RoomsAction::RingAnswered => next.ringing = None,
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hearth_shared::session::UserPublic;
    use hearth_shared::{Seq, UserId};

    fn trip(members: &[(u32, &str)]) -> Room {
        Room {
            id: ConversationId(7),
            name: "Trip".into(),
            owner: UserId(1),
            members: members
                .iter()
                .map(|&(id, name)| UserPublic {
                    id: UserId(id),
                    username: name.into(),
                })
                .collect(),
            last_seq: Seq(0),
            unread: 0,
        }
    }

    #[test]
    fn a_new_list_replaces_the_old_one_whole() {
        let s = Rc::new(RoomsState::default())
            .reduce(RoomsAction::List(vec![trip(&[(1, "alice"), (2, "bob")])]));
        assert!(s.loaded);
        assert_eq!(s.room(ConversationId(7)).map(|r| r.members.len()), Some(2));
        // Removed from the room: the next list leaves it out, and so does the store.
        let s = s.reduce(RoomsAction::List(Vec::new()));
        assert!(s.room(ConversationId(7)).is_none());
    }

    #[test]
    fn a_failure_shows_until_the_next_command() {
        let s = Rc::new(RoomsState::default()).reduce(RoomsAction::Failed("full".into()));
        assert_eq!(s.error.as_deref(), Some("full"));
        let s = s.reduce(RoomsAction::ClearError);
        assert_eq!(s.error, None);
        let same = s.clone().reduce(RoomsAction::ClearError);
        assert!(Rc::ptr_eq(&s, &same), "nothing to clear changes nothing");
    }

    #[test]
    fn room_calls_show_per_room_and_leave_with_the_room() {
        use hearth_shared::call::{CallId, CallKind, RoomCallInfo};
        let alice = UserPublic {
            id: UserId(1),
            username: "alice".into(),
        };
        let call = RoomCallInfo {
            id: CallId("c".into()),
            room: ConversationId(7),
            kind: CallKind::Video,
            participants: vec![alice.clone()],
            via: Default::default(),
            host: None,
        };
        let s = Rc::new(RoomsState::default())
            .reduce(RoomsAction::List(vec![trip(&[(1, "alice"), (2, "bob")])]))
            .reduce(RoomsAction::Call(ConversationId(7), Some(call.clone())))
            .reduce(RoomsAction::Ringing(call.clone(), alice));
        assert_eq!(s.call(ConversationId(7)), Some(&call));
        let same = s
            .clone()
            .reduce(RoomsAction::StopRinging(CallId("other".into())));
        assert!(Rc::ptr_eq(&s, &same), "another call's end leaves the ring");
        let stopped = s
            .clone()
            .reduce(RoomsAction::StopRinging(CallId("c".into())));
        assert!(stopped.ringing.is_none());
        let over = stopped.reduce(RoomsAction::Call(ConversationId(7), None));
        assert!(over.call(ConversationId(7)).is_none());
        // Removed from the room while its call rings: both go.
        let gone = s.reduce(RoomsAction::List(Vec::new()));
        assert!(gone.calls.is_empty() && gone.ringing.is_none());
    }
}
