//! Broadcasts: a room call where one member is live (its host, who alone sends media) and
//! the others watch (they receive only). It starts with `go_live`, rings nobody (members see
//! the room's call with its host), travels through the SFU (one upload, however many watch)
//! or, on a server without one, the seed's way: a connection from the host to each viewer,
//! up to the mesh's size. Only the host and a viewer signal each other; the host leaving
//! ends it for everyone.

use super::{Place, RoomLimits, SfuUse};
use crate::hub::calls::CallError;
use hearth_shared::call::Via;
use hearth_shared::UserId;

/// What a member asks of their room's call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Role {
    /// Join the call running there, or start one (everyone sends).
    #[default]
    Call,
    /// Go live: start a broadcast, as its host.
    Live,
    /// Watch the broadcast running there.
    Watch,
}

impl Role {
    /// Whether this fits the room's running call, whose host is `host` (none: a call).
    pub(super) fn fits(self, host: Option<UserId>) -> Result<(), CallError> {
        match (self, host) {
            (Role::Call, None) | (Role::Watch, Some(_)) => Ok(()),
            (Role::Call, Some(_)) => Err(CallError::Broadcast(
                "someone is live in this room: watch instead",
            )),
            (Role::Live, _) => Err(CallError::Broadcast(
                "a call or a broadcast is running in this room",
            )),
            (Role::Watch, None) => Err(CallError::NoSuchCall),
        }
    }

    /// Whether `user` may take this part at `place`: a host's broadcast to friends is only
    /// theirs to go live in and others' to watch (no call runs there).
    pub(super) fn fits_place(self, place: Place, user: UserId) -> Result<(), CallError> {
        match (self, place) {
            (_, Place::Room(_)) => Ok(()),
            (Role::Live, Place::Friends(host)) if host == user => Ok(()),
            (Role::Watch, Place::Friends(host)) if host != user => Ok(()),
            _ => Err(CallError::WrongState),
        }
    }
}

impl RoomLimits {
    /// How a broadcast with `n` in it (its host and the viewers) travels: through the SFU
    /// when the server runs one, else a connection from the host to each viewer. `None`:
    /// too many viewers.
    pub fn broadcast_via(&self, n: usize) -> Option<Via> {
        match self.sfu {
            SfuUse::Off => (n <= self.mesh_max).then_some(Via::Mesh),
            _ => (n <= self.max_viewers + 1).then_some(Via::Sfu),
        }
    }

    /// The most viewers of a broadcast.
    pub(super) fn viewers_max(&self) -> usize {
        match self.sfu {
            SfuUse::Off => self.mesh_max.saturating_sub(1),
            _ => self.max_viewers,
        }
    }
}
