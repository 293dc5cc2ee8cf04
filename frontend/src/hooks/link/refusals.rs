//! What the link does with the server's refusals: a refusal a resend cannot fix fails the
//! message; a post refused as one too many waits in the outbox and is resent, in order, once
//! the server's budget has refilled; the rest are routed to whoever asked.

use std::collections::HashSet;

use gloo::timers::callback::Timeout;

use super::{remove_from_outbox, Intent, Link};
use crate::services::outbox;
use crate::state::chat::ChatAction;
use crate::state::friends::FriendsAction;
use crate::state::rooms::RoomsAction;
use hearth_shared::session::ErrorCode;
use hearth_shared::ClientMsgId;

/// Refusals that a resend cannot fix.
fn permanent(code: ErrorCode) -> bool {
    matches!(
        code,
        ErrorCode::NotFriends
            | ErrorCode::NotInConversation
            | ErrorCode::Invalid
            | ErrorCode::BadFrame
    )
}

impl Link {
    /// Posts refused as too many at once stay in the outbox; resend what is not in flight
    /// after `ms` (once, however many were refused).
    pub(super) fn resend_outbox_after(&self, ms: u32) {
        if self.resend_timer.borrow().is_some() {
            return;
        }
        let weak = self.weak_self.borrow().clone();
        let timer = Timeout::new(ms, move || {
            let Some(link) = weak.upgrade() else { return };
            link.resend_timer.replace(None);
            let in_flight: HashSet<ClientMsgId> = link
                .in_flight
                .borrow()
                .values()
                .filter_map(|i| match i {
                    Intent::Post(id) => Some(id.clone()),
                    _ => None,
                })
                .collect();
            for p in outbox::load(link.me.id) {
                if !in_flight.contains(&p.client_id) {
                    link.post(&p);
                }
            }
        });
        self.resend_timer.replace(Some(timer));
    }

    pub(super) fn on_error(&self, intent: Intent, code: ErrorCode, message: String) {
        match intent {
            Intent::Post(id) if permanent(code) => {
                remove_from_outbox(self.me.id, &id);
                self.chat.dispatch(ChatAction::Failed(id, message));
            }
            Intent::Post(_) => {} // stays in the outbox; resent on the next connection
            Intent::Friends => self.friends.dispatch(FriendsAction::Failed(message)),
            Intent::Rooms => self.rooms.dispatch(RoomsAction::Failed(message)),
            Intent::Call => {
                if let Some(ctl) = self.call_ctl() {
                    ctl.invite_refused(message);
                }
            }
            Intent::JoinRoom => {
                if let Some(mesh) = self.mesh.borrow().clone() {
                    mesh.refused(message);
                }
            }
            Intent::History(conv) => {
                self.loading.borrow_mut().remove(&conv);
                gloo::console::warn!(format!("history of {conv} refused: {message}"));
            }
            Intent::Other => gloo::console::warn!(format!("server error: {message}")),
        }
    }
}
