//! How big a room call may grow and how its media travels: a mesh up to `mesh_max`, then
//! (unless `--sfu off`) the SFU, which a call does not leave until it ends.

use hearth_shared::call::Via;

/// Whether room calls use the server's media relay (the SFU).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SfuUse {
    /// Never (the server runs none, or `--sfu off`): a call is full at the mesh's size.
    Off,
    /// Once the call grows past the mesh's size.
    Auto,
    /// From the start.
    Always,
}

/// How big a room call may grow, and how its media travels.
#[derive(Debug, Clone, Copy)]
pub struct RoomLimits {
    /// The most participants of a mesh.
    pub mesh_max: usize,
    /// When the SFU is used.
    pub sfu: SfuUse,
    /// The most participants of a call through the SFU.
    pub sfu_max: usize,
    /// The most viewers of a broadcast through the SFU.
    pub max_viewers: usize,
}

impl RoomLimits {
    /// How a call of `n` participants travels, when it travelled `via` so far: a call on
    /// the SFU stays there until it ends (see `docs/protocol.md`), a mesh moves once it grows
    /// past `mesh_max`. `None`: `n` is too many.
    pub fn via(&self, n: usize, via: Via) -> Option<Via> {
        let via = match self.sfu {
            SfuUse::Off => Via::Mesh,
            SfuUse::Always => Via::Sfu,
            SfuUse::Auto if n > self.mesh_max => Via::Sfu,
            SfuUse::Auto => via,
        };
        let max = match via {
            Via::Mesh => self.mesh_max,
            Via::Sfu => self.sfu_max,
        };
        (n <= max).then_some(via)
    }

    /// The most participants a call may have.
    pub(super) fn max(&self) -> usize {
        match self.sfu {
            SfuUse::Off => self.mesh_max,
            _ => self.sfu_max,
        }
    }
}
