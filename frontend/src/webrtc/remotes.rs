//! The other participants of a call, as both call controllers hold them: a map from each
//! one to the one peer connection with them (`webrtc::peer`; none when their media comes
//! through the media relay), what arrives from them and what they said they send. A direct
//! call holds one (the friend, from the moment the connection is prepared), a room call one
//! per other participant, in the order they came.

use web_sys::MediaStream;

use super::peer::{ConnState, Peer};
use super::stats::Totals;
use hearth_shared::session::UserPublic;
use hearth_shared::UserId;

/// One other participant.
pub struct Remote {
    pub user: UserId,
    pub name: String,
    /// The connection to them (None: their media comes through the media relay).
    pub peer: Option<Peer>,
    /// Their picture and sound, once they arrive.
    pub stream: Option<MediaStream>,
    /// Their microphone is on.
    pub audio: bool,
    /// Their camera (or screen) picture is on.
    pub video: bool,
    /// Their picture is a shared screen.
    pub screen: bool,
    /// Their received totals at the last speaker sample.
    pub heard: Option<Totals>,
    /// The totals the connection's quality was last worked out from.
    pub graded: Option<Totals>,
    /// Something of theirs arrived through the relay: until then their tile there waits,
    /// since their own connection to the relay may not be up (or never come up).
    pub arrived: bool,
    /// The state their tile was last told while their media comes through the relay.
    pub told: Option<ConnState>,
}

impl Remote {
    /// `user` on `peer` (None: through the relay), sending a microphone and a camera until
    /// they say otherwise.
    pub fn new(user: &UserPublic, peer: Option<Peer>) -> Remote {
        Remote {
            user: user.id,
            name: user.username.clone(),
            peer,
            stream: None,
            audio: true,
            video: true,
            screen: false,
            heard: None,
            graded: None,
            arrived: false,
            told: None,
        }
    }

    /// How their tile shows the connection when their media comes through the relay, whose
    /// connection is in state `relay`: as that, but connecting until something of theirs
    /// arrived, unless they said they send nothing.
    pub fn via_relay(&self, relay: ConnState) -> ConnState {
        let waits = !self.arrived && (self.audio || self.video);
        match relay {
            ConnState::Connected if waits => ConnState::Connecting,
            state => state,
        }
    }
}

/// The other participants by user, in the order they came.
#[derive(Default)]
pub struct Remotes(Vec<Remote>);

impl Remotes {
    /// Adds `r`, replacing any connection to the same user.
    pub fn put(&mut self, r: Remote) {
        self.remove(r.user);
        self.0.push(r);
    }

    /// Takes `user` out; their connection closes when it is dropped.
    pub fn remove(&mut self, user: UserId) -> Option<Remote> {
        let at = self.0.iter().position(|r| r.user == user)?;
        Some(self.0.remove(at))
    }

    pub fn get(&self, user: UserId) -> Option<&Remote> {
        self.0.iter().find(|r| r.user == user)
    }

    pub fn get_mut(&mut self, user: UserId) -> Option<&mut Remote> {
        self.0.iter_mut().find(|r| r.user == user)
    }

    pub fn contains(&self, user: UserId) -> bool {
        self.get(user).is_some()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Remote> {
        self.0.iter()
    }

    pub fn iter_mut(&mut self) -> std::slice::IterMut<'_, Remote> {
        self.0.iter_mut()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Everyone out, connections closed.
    pub fn clear(&mut self) {
        self.0.clear();
    }
}

impl<'a> IntoIterator for &'a Remotes {
    type Item = &'a Remote;
    type IntoIter = std::slice::Iter<'a, Remote>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn carol() -> Remote {
        let user = UserPublic {
            id: UserId(3),
            username: "carol".into(),
        };
        Remote::new(&user, None)
    }

    #[test]
    fn a_relayed_tile_connects_once_something_of_theirs_arrived() {
        let mut r = carol();
        // This side's relay connection is up, but nothing of carol's came through it:
        // hers may never come up.
        assert_eq!(r.via_relay(ConnState::Connected), ConnState::Connecting);
        r.arrived = true;
        assert_eq!(r.via_relay(ConnState::Connected), ConnState::Connected);
    }

    #[test]
    fn a_relayed_tile_is_never_better_connected_than_the_relay() {
        let mut r = carol();
        r.arrived = true;
        for state in [ConnState::New, ConnState::Connecting, ConnState::Failed] {
            assert_eq!(r.via_relay(state), state);
        }
    }

    #[test]
    fn someone_who_sends_nothing_waits_for_nothing() {
        let mut r = carol();
        (r.audio, r.video) = (false, false);
        assert_eq!(r.via_relay(ConnState::Connected), ConnState::Connected);
    }
}
