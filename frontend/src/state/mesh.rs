//! The room call as its screen shows it: this side's picture and a tile per other
//! participant (name, picture, muted and camera-off marks), fed by `MeshEvent`s.

use std::rc::Rc;

use web_sys::MediaStream;
use yew::Reducible;

use crate::webrtc::media::Device;
use crate::webrtc::mesh::{MeshEvent, Part};
use crate::webrtc::peer::ConnState;
use crate::webrtc::recording::RecordingStatus;
use crate::webrtc::snapshot::Shot;
use crate::webrtc::stats::Quality;
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
    /// Camera (or screen) on.
    pub video: bool,
    /// Their picture is a shared screen.
    pub screen: bool,
    /// They are recording the call.
    pub recording: bool,
    /// The connection to them is up.
    pub connected: bool,
    /// How the connection to them is doing, once measured.
    pub quality: Option<Quality>,
}

/// The room call store.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MeshState {
    /// The room whose call this tab is in (or joining).
    pub room: Option<ConversationId>,
    /// In a call, live (a broadcast's host) or watching one.
    pub part: Part,
    /// A broadcast's host, once in it.
    pub host: Option<hearth_shared::UserId>,
    /// Still opening the devices or waiting for the server.
    pub joining: bool,
    /// This side's picture.
    pub local: Option<MediaStream>,
    /// This side's microphone on.
    pub audio: bool,
    /// This side's camera on.
    pub video: bool,
    /// The screen this side shares.
    pub sharing: Option<MediaStream>,
    /// This side's recording, while it runs.
    pub recording: Option<RecordingStatus>,
    /// The last screenshot taken.
    pub shot: Option<Shot>,
    /// The connection to the server is lost; the call goes on.
    pub server_lost: bool,
    /// The microphones and cameras to choose from.
    pub devices: Vec<Device>,
    /// The microphone in use.
    pub mic_id: Option<String>,
    /// The camera in use.
    pub camera_id: Option<String>,
    /// The others, in the order they came.
    pub tiles: Vec<Tile>,
    /// Who is speaking (their tile is highlighted).
    pub speaker: Option<hearth_shared::UserId>,
    /// On the relay: who is shown large, the others beside them.
    pub spotlight: Option<hearth_shared::UserId>,
    /// Something missing (no camera, ...).
    pub warning: Option<String>,
    /// Why the last call ended for this side, until the next one.
    pub notice: Option<String>,
}

impl MeshState {
    /// Who takes the large spot: the first other sharing a screen, else this side's own
    /// shared screen (`Some(None)`), else on the relay the spotlight (the last who spoke);
    /// None: a grid.
    pub fn spot(&self) -> Option<Option<hearth_shared::UserId>> {
        let theirs = self
            .tiles
            .iter()
            .find(|t| t.screen)
            .map(|t| Some(t.user.id));
        let spotlight = self
            .spotlight
            .filter(|u| self.tiles.iter().any(|t| t.user.id == *u));
        (theirs.or(self.sharing.is_some().then_some(None))).or(spotlight.map(Some))
    }

    fn tile(&mut self, user: hearth_shared::UserId) -> Option<&mut Tile> {
        self.tiles.iter_mut().find(|t| t.user.id == user)
    }
}

impl Reducible for MeshState {
    type Action = MeshEvent;

    fn reduce(self: Rc<Self>, e: MeshEvent) -> Rc<Self> {
        let mut s = (*self).clone();
        match e {
            MeshEvent::Joining(room, part) => {
                s = MeshState {
                    room: Some(room),
                    part,
                    joining: true,
                    ..MeshState::default()
                }
            }
            MeshEvent::In(call) => (s.joining, s.host) = (false, call.host),
            MeshEvent::LocalStream(stream) => s.local = Some(stream),
            MeshEvent::LocalMedia { audio, video } => (s.audio, s.video) = (audio, video),
            MeshEvent::Joined(user) if s.tile(user.id).is_none() => s.tiles.push(Tile {
                user,
                stream: None,
                audio: true,
                video: true,
                screen: false,
                recording: false,
                connected: false,
                quality: None,
            }),
            MeshEvent::Joined(_) => return self,
            MeshEvent::Stream(user, stream) => match s.tile(user) {
                Some(t) => t.stream = Some(stream),
                None => return self,
            },
            MeshEvent::Media {
                user,
                audio,
                video,
                screen,
            } => match s.tile(user) {
                Some(t) => (t.audio, t.video, t.screen) = (audio, video, screen),
                None => return self,
            },
            MeshEvent::RemoteRecording(user, on) => match s.tile(user) {
                Some(t) => t.recording = on,
                None => return self,
            },
            MeshEvent::Devices { list, mic, camera } => {
                (s.devices, s.mic_id, s.camera_id) = (list, mic, camera);
            }
            MeshEvent::Quality(user, q) => match s.tile(user) {
                Some(t) => t.quality = Some(q),
                None => return self,
            },
            MeshEvent::Sharing(screen) => s.sharing = screen,
            MeshEvent::ServerLost(lost) => s.server_lost = lost,
            MeshEvent::Screenshot(shot) => s.shot = Some(shot),
            MeshEvent::Recording(status) => s.recording = Some(status),
            MeshEvent::RecordingStopped => s.recording = None,
            // The recordings list keeps the files, not the call screen.
            MeshEvent::Saved(_) => return self,
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
            MeshEvent::Spotlight(who) => s.spotlight = who,
            MeshEvent::Warning(w) => s.warning = Some(w),
            MeshEvent::WarningOver(w) if s.warning.as_ref() == Some(&w) => s.warning = None,
            MeshEvent::WarningOver(_) => return self,
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
            MeshEvent::Joining(ConversationId(9), Part::Call),
            MeshEvent::Joined(user(2, "bob")),
            MeshEvent::Joined(user(3, "carol")),
            MeshEvent::Joined(user(2, "bob")),
            MeshEvent::Media {
                user: UserId(3),
                audio: false,
                video: true,
                screen: false,
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
    fn a_shared_screen_takes_the_spot_and_gives_it_back() {
        let s = run(vec![
            MeshEvent::Joining(ConversationId(9), Part::Call),
            MeshEvent::Joined(user(2, "bob")),
            MeshEvent::Joined(user(3, "carol")),
        ]);
        assert_eq!(s.spot(), None);
        let share = |on| MeshEvent::Media {
            user: UserId(3),
            audio: true,
            video: true,
            screen: on,
        };
        let s = s.reduce(share(true));
        assert_eq!(s.spot(), Some(Some(UserId(3))));
        let s = s.reduce(share(false));
        assert_eq!(s.spot(), None);
        let s = s.reduce(MeshEvent::RemoteRecording(UserId(2), true));
        assert!(s.tiles[0].recording);
    }

    #[test]
    fn ending_clears_the_call_and_keeps_why() {
        let s = run(vec![
            MeshEvent::Joining(ConversationId(9), Part::Call),
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
    fn a_warning_that_is_over_goes_but_not_a_later_one() {
        let over = |w: &str| MeshEvent::WarningOver(w.into());
        let s = run(vec![
            MeshEvent::Joining(ConversationId(9), Part::Call),
            MeshEvent::Warning("No relay".into()),
        ]);
        assert_eq!(s.clone().reduce(over("No relay")).warning, None);
        let s = s.reduce(MeshEvent::Warning("No camera".into()));
        assert_eq!(
            s.reduce(over("No relay")).warning.as_deref(),
            Some("No camera")
        );
    }

    #[test]
    fn news_of_someone_not_in_the_call_changes_nothing() {
        let s = run(vec![MeshEvent::Joining(ConversationId(9), Part::Call)]);
        let after = s.clone().reduce(MeshEvent::Left(UserId(7)));
        assert_eq!(after, s);
        let after = s.clone().reduce(MeshEvent::Media {
            user: UserId(7),
            audio: false,
            video: false,
            screen: false,
        });
        assert!(Rc::ptr_eq(&after, &s));
    }
}
