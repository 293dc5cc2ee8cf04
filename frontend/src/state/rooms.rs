//! The rooms the user is in, as the server last listed them, and the last room command's
//! failure.

use std::rc::Rc;

use yew::Reducible;

use hearth_shared::rooms::Room;
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
}

impl RoomsState {
    /// The room with this conversation, if the user is in it.
    pub fn room(&self, id: ConversationId) -> Option<&Room> {
        self.rooms.iter().find(|r| r.id == id)
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
}

impl Reducible for RoomsState {
    type Action = RoomsAction;

    fn reduce(self: Rc<Self>, action: RoomsAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            RoomsAction::List(rooms) => {
                next.rooms = rooms;
                next.loaded = true;
            }
            RoomsAction::Failed(message) => next.error = Some(message),
            RoomsAction::ClearError if next.error.is_none() => return self,
            RoomsAction::ClearError => next.error = None,
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
}
