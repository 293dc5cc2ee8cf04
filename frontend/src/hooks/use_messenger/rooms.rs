//! The messenger's room intents: make a room, add and remove members, rename, leave. Each answer
//! comes back as a fresh rooms list, or as an error shown where rooms are managed.

use super::Messenger;
use crate::state::rooms::RoomsAction;
use hearth_shared::rooms::ClientRooms;
use hearth_shared::{ClientMsg, ConversationId, ReqId, UserId};

impl Messenger {
    fn rooms_cmd(&self, make: impl FnOnce(ReqId) -> ClientRooms) {
        self.rooms.dispatch(RoomsAction::ClearError);
        if !self.link.rooms_request(|req| ClientMsg::Rooms(make(req))) {
            self.rooms.dispatch(RoomsAction::Failed(
                "You are offline; try again once connected.".into(),
            ));
        }
    }

    /// Makes a room named `name` with some friends.
    pub fn create_room(&self, name: String, members: Vec<UserId>) {
        let name = name.trim().to_owned();
        if name.is_empty() || members.is_empty() {
            self.rooms.dispatch(RoomsAction::Failed(
                "A room needs a name and at least one friend.".into(),
            ));
            return;
        }
        self.rooms_cmd(|req_id| ClientRooms::Create {
            req_id,
            name,
            members,
        });
    }

    /// Adds a friend to a room.
    pub fn add_member(&self, room: ConversationId, user: UserId) {
        self.rooms_cmd(|req_id| ClientRooms::Add { req_id, room, user });
    }

    /// Removes a member (the owner only).
    pub fn remove_member(&self, room: ConversationId, user: UserId) {
        self.rooms_cmd(|req_id| ClientRooms::Remove { req_id, room, user });
    }

    /// Renames a room (the owner only).
    pub fn rename_room(&self, room: ConversationId, name: String) {
        let name = name.trim().to_owned();
        if name.is_empty() {
            self.rooms
                .dispatch(RoomsAction::Failed("A room needs a name.".into()));
            return;
        }
        self.rooms_cmd(|req_id| ClientRooms::Rename { req_id, room, name });
    }

    /// Leaves a room, and closes it if it is open.
    pub fn leave_room(&self, room: ConversationId) {
        if self.chat.active == Some(room) {
            self.close();
        }
        self.rooms_cmd(|req_id| ClientRooms::Leave { req_id, room });
    }
}
