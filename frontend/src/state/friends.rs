//! Friends, requests, presence and who is live to friends, as the server last described
//! them.

use std::rc::Rc;

use yew::Reducible;

use hearth_shared::call::RoomCallInfo;
use hearth_shared::friends::Roster;
use hearth_shared::UserId;

/// The friends store.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FriendsState {
    /// The roster (friends with presence, requests both ways).
    pub roster: Roster,
    /// Whether the first roster has arrived.
    pub loaded: bool,
    /// The last friend-command failure, shown under the add-friend field.
    pub error: Option<String>,
    /// The broadcasts to friends running (a friend's, or this user's from any tab), by host.
    pub live: Vec<(UserId, RoomCallInfo)>,
}

impl FriendsState {
    /// `host`'s broadcast to friends, if they are live.
    pub fn live_of(&self, host: UserId) -> Option<&RoomCallInfo> {
        self.live.iter().find(|(h, _)| *h == host).map(|(_, c)| c)
    }
}

/// Changes to the friends store.
#[derive(Debug, Clone, PartialEq)]
pub enum FriendsAction {
    /// A fresh roster from the server.
    Roster(Roster),
    /// A friend came online or went offline.
    Presence(UserId, bool),
    /// A friend command failed.
    Failed(String),
    /// The user dismissed or retried; clear the error.
    ClearError,
    /// `host`'s broadcast to friends, or `None` once it ended.
    Live(UserId, Option<RoomCallInfo>),
    /// Connected again: the server tells anew who is live (what ended meanwhile is gone).
    ForgetLive,
}

impl Reducible for FriendsState {
    type Action = FriendsAction;

    fn reduce(self: Rc<Self>, action: FriendsAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            FriendsAction::Roster(roster) => {
                next.roster = roster;
                next.loaded = true;
            }
            FriendsAction::Presence(user, online) => {
                match next.roster.friends.iter_mut().find(|f| f.user.id == user) {
                    Some(f) if f.online != online => f.online = online,
                    _ => return self,
                }
            }
            FriendsAction::Failed(message) => next.error = Some(message),
            FriendsAction::ClearError => next.error = None,
            FriendsAction::Live(host, call) => {
                next.live.retain(|(h, _)| *h != host);
                next.live.extend(call.map(|c| (host, c)));
            }
            FriendsAction::ForgetLive if next.live.is_empty() => return self,
            FriendsAction::ForgetLive => next.live.clear(),
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hearth_shared::friends::Friend;
    use hearth_shared::session::UserPublic;
    use hearth_shared::{ConversationId, Seq};

    fn roster() -> Roster {
        Roster {
            friends: vec![Friend {
                user: UserPublic {
                    id: UserId(2),
                    username: "bob".into(),
                },
                online: false,
                conversation: ConversationId(1),
                last_seq: Seq(0),
                unread: 0,
            }],
            ..Roster::default()
        }
    }

    #[test]
    fn presence_updates_only_known_friends() {
        let s = Rc::new(FriendsState::default()).reduce(FriendsAction::Roster(roster()));
        assert!(s.loaded);
        let s = s.reduce(FriendsAction::Presence(UserId(2), true));
        assert!(s.roster.friends[0].online);
        let same = s.clone().reduce(FriendsAction::Presence(UserId(9), true));
        assert!(Rc::ptr_eq(&s, &same), "unknown users change nothing");
    }
}
