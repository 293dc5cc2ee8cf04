//! A call on the relay shows one person large (the spotlight) and the others as thumbnails
//! beside them: whoever shares a screen, else the last one who spoke (the relay says who,
//! `speaker`). The relay is told how each picture is shown (`shows`), so it sends a
//! thumbnail the low simulcast layer and the spotlight the high one. Checked with every
//! level sample; only changes are sent.

use super::{MeshCall, MeshEvent, Phase};
use hearth_shared::call::{ClientCall, Tile, Via};
use hearth_shared::UserId;

/// Who takes the large spot among `others` (each with whether they share a screen): one
/// who shares, else `spoke` (the last of them who spoke) — with at least two others, and
/// none while this side shares its own screen (it has the spot).
pub fn spot(others: &[(UserId, bool)], spoke: Option<UserId>, sharing: bool) -> Option<UserId> {
    if others.len() < 2 || sharing {
        return None;
    }
    let screen = others.iter().find(|o| o.1).map(|o| o.0);
    screen.or(spoke.filter(|s| others.iter().any(|o| o.0 == *s)))
}

/// How each of `others` is shown: large in the spot, or all large when nobody has it (a
/// grid); thumbnails beside the spot, or beside this side's own shared screen.
pub fn tiles(
    others: &[(UserId, bool)],
    spot: Option<UserId>,
    sharing: bool,
) -> Vec<(UserId, Tile)> {
    let shown = |u: UserId| match spot {
        Some(s) if s != u => Tile::Thumbnail,
        None if sharing => Tile::Thumbnail,
        _ => Tile::Large,
    };
    others.iter().map(|o| (o.0, shown(o.0))).collect()
}

impl MeshCall {
    /// The relay says who speaks: highlighted, and (another) in the spotlight.
    pub(super) fn on_speaker(&self, user: UserId) {
        let me = self.inner.borrow().me.id;
        let other = (user != me).then_some(user);
        if other.is_some() {
            self.inner.borrow_mut().spoke = other;
        }
        self.emit(MeshEvent::Speaker(other));
    }

    /// On the relay: works out the spotlight, and tells the relay how each picture is shown
    /// where that changed.
    pub(super) fn update_tiles(&self) {
        let (call_id, changed, spot) = {
            let mut m = self.inner.borrow_mut();
            let Phase::In(call_id, _) = m.phase.clone() else {
                return;
            };
            if m.via != Via::Sfu {
                return;
            }
            let others: Vec<(UserId, bool)> =
                m.remotes.iter().map(|r| (r.user, r.screen)).collect();
            let sharing = m.sharing.is_some();
            let spot = spot(&others, m.spoke, sharing);
            let now = tiles(&others, spot, sharing);
            let changed: Vec<(UserId, Tile)> = (now.iter())
                .filter(|t| !m.told.contains(t))
                .copied()
                .collect();
            m.told = now;
            let moved = m.spotlight != spot;
            m.spotlight = spot;
            (call_id, changed, moved.then_some(spot))
        };
        for (user, tile) in changed {
            let call_id = call_id.clone();
            self.send(ClientCall::Shows {
                call_id,
                user,
                tile,
            });
        }
        if let Some(spot) = spot {
            self.emit(MeshEvent::Spotlight(spot));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOB: UserId = UserId(2);
    const CAROL: UserId = UserId(3);
    const DAVE: UserId = UserId(4);

    #[test]
    fn the_last_speaker_is_large_and_the_others_thumbnails() {
        let others = [(BOB, false), (CAROL, false), (DAVE, false)];
        let s = spot(&others, Some(CAROL), false);
        assert_eq!(s, Some(CAROL));
        let t = tiles(&others, s, false);
        use Tile::{Large, Thumbnail};
        assert_eq!(t, vec![(BOB, Thumbnail), (CAROL, Large), (DAVE, Thumbnail)]);
    }

    #[test]
    fn a_shared_screen_takes_the_spot_from_the_speaker() {
        let others = [(BOB, false), (CAROL, false), (DAVE, true)];
        assert_eq!(spot(&others, Some(CAROL), false), Some(DAVE));
    }

    #[test]
    fn no_spot_with_one_other_before_anyone_spoke_or_for_someone_gone() {
        assert_eq!(spot(&[(BOB, false)], Some(BOB), false), None);
        let others = [(BOB, false), (CAROL, false)];
        assert_eq!(spot(&others, None, false), None);
        assert_eq!(spot(&others, Some(DAVE), false), None);
        let all_large = tiles(&others, None, false);
        assert!(all_large.iter().all(|t| t.1 == Tile::Large), "a grid");
    }

    #[test]
    fn sharing_this_sides_screen_makes_everyone_else_a_thumbnail() {
        let others = [(BOB, false), (CAROL, false)];
        assert_eq!(spot(&others, Some(BOB), true), None);
        let t = tiles(&others, None, true);
        assert!(t.iter().all(|t| t.1 == Tile::Thumbnail));
    }
}
