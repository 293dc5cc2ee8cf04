//! The room call as its screen shows it: this side's picture and a tile per other
//! participant (name, picture, muted and camera-off marks), fed by `MeshEvent`s.

use std::rc::Rc;

use web_sys::MediaStream;
use yew::Reducible;

use crate::webrtc::mesh::MeshEvent;
use crate::webrtc::peer::ConnState;
use hearth_shared::session::UserPublic;
use hearth_shared::ConversationId;

/// One other participant.
#[derive(Debug, Clone, PartialEq)]
pub struct Tile {
    /// Who.
    pub user: UserPublic,
    /// Their picture and sound, once they arrive.
    pub stream: Option<MediaStream>,
    /// Microphone on.
    pub audio: bool,
    /// Camera on.
    pub video: bool,
    /// The connection to them is up.
    pub connected: bool,
}

/// The room call store.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MeshState {
    /// The room whose call this tab is in (or joining).
    pub room: Option<ConversationId>,
    /// Still opening the devices or waiting for the server.
    pub joining: bool,
    /// This side's picture.
    pub local: Option<MediaStream>,
    /// This side's microphone on.
    pub audio: bool,
    /// This side's camera on.
    pub video: bool,
    /// The others, in the order they came.
    pub tiles: Vec<Tile>,
    /// Who is speaking (their tile is highlighted).
    pub speaker: Option<hearth_shared::UserId>,
    /// Something missing (no camera, ...).
    pub warning: Option<String>,
    /// Why the last call ended for this side, until the next one.
    pub notice: Option<String>,
}

impl MeshState {
    fn tile(&mut self, user: hearth_shared::UserId) -> Option<&mut Tile> {
        self.tiles.iter_mut().find(|t| t.user.id == user)
    }
}

impl Reducible for MeshState {
    type Action = MeshEvent;

    fn reduce(self: Rc<Self>, e: MeshEvent) -> Rc<Self> {
        let mut s = (*self).clone();
        match e {
            MeshEvent::Joining(room) => {
                s = MeshState {
                    room: Some(room),
                    joining: true,
                    ..MeshState::default()
                }
            }
            MeshEvent::In(_) => s.joining = false,
            MeshEvent::LocalStream(stream) => s.local = Some(stream),
            MeshEvent::LocalMedia { audio, video } => (s.audio, s.video) = (audio, video),
            MeshEvent::Joined(user) if s.tile(user.id).is_none() => s.tiles.push(Tile {
                user,
                stream: None,
                audio: true,
                video: true,
                connected: false,
            }),
            MeshEvent::Joined(_) => return self,
            MeshEvent::Stream(user, stream) => match s.tile(user) {
                Some(t) => t.stream = Some(stream),
                None => return self,
            },
            MeshEvent::Media { user, audio, video } => match s.tile(user) {
                Some(t) => (t.audio, t.video) = (audio, video),
                None => return self,
            },
            MeshEvent::Connection(user, state) => match s.tile(user) {
                Some(t) => t.connected = state == ConnState::Connected,
                None => return self,
            },
            MeshEvent::Left(user) => {
                s.tiles.retain(|t| t.user.id != user);
                if s.speaker == Some(user) {
                    s.speaker = None;
                }
            }
            MeshEvent::Speaker(who) => s.speaker = who,
            MeshEvent::Warning(w) => s.warning = Some(w),
            MeshEvent::Ended(why) => {
                s = MeshState {
                    notice: (!why.is_empty()).then_some(why),
                    ..MeshState::default()
                }
            }
        }
        Rc::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hearth_shared::UserId;

    fn user(id: u32, name: &str) -> UserPublic {
        UserPublic {
            id: UserId(id),
            username: name.into(),
        }
    }

    fn run(events: Vec<MeshEvent>) -> Rc<MeshState> {
        events
            .into_iter()
            .fold(Rc::new(MeshState::default()), |s, e| s.reduce(e))
    }

    #[test]
    fn participants_come_and_go_with_their_marks() {
        let s = run(vec![
            MeshEvent::Joining(ConversationId(9)),
            MeshEvent::Joined(user(2, "bob")),
            MeshEvent::Joined(user(3, "carol")),
            MeshEvent::Joined(user(2, "bob")),
            MeshEvent::Media {
                user: UserId(3),
                audio: false,
                video: true,
            },
            MeshEvent::Connection(UserId(3), ConnState::Connected),
            MeshEvent::Left(UserId(2)),
        ]);
        assert_eq!(s.room, Some(ConversationId(9)));
        assert_eq!(s.tiles.len(), 1);
        let carol = &s.tiles[0];
        assert_eq!(
            (
                carol.user.username.as_str(),
                carol.audio,
                carol.video,
                carol.connected
            ),
            ("carol", false, true, true)
        );
    }

    #[test]
    fn ending_clears_the_call_and_keeps_why() {
        let s = run(vec![
            MeshEvent::Joining(ConversationId(9)),
            MeshEvent::Joined(user(2, "bob")),
            MeshEvent::Ended("This call is full (4 people)".into()),
        ]);
        assert_eq!(s.room, None);
        assert!(s.tiles.is_empty());
        assert_eq!(s.notice.as_deref(), Some("This call is full (4 people)"));
        let left = s.reduce(MeshEvent::Ended(String::new()));
        assert_eq!(left.notice, None);
    }

    #[test]
    fn news_of_someone_not_in_the_call_changes_nothing() {
        let s = run(vec![MeshEvent::Joining(ConversationId(9))]);
        let after = s.clone().reduce(MeshEvent::Left(UserId(7)));
        assert_eq!(after, s);
        let after = s.clone().reduce(MeshEvent::Media {
            user: UserId(7),
            audio: false,
            video: false,
        });
        assert!(Rc::ptr_eq(&after, &s));
    }
}
