//! How big a participant's picture is on a receiver's screen in a call through the media
//! relay: the relay sends a small tile the lowest simulcast layer of that picture, and a
//! large one as much as the network to the receiver carries.

use serde::{Deserialize, Serialize};

/// What a receiver shows one participant's picture as.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tile {
    /// A small tile (the strip beside the speaker in a big call): the lowest layer is enough.
    Thumbnail,
    /// The large spot, or a tile of a small grid: as sharp as the network allows. What the
    /// relay assumes until told otherwise.
    #[default]
    Large,
}
