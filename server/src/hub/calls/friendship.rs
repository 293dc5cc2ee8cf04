//! A call lives only while its two members are friends: removing a friend ends the call
//! between them at once, so nothing more of it reaches the one who removed the other.

use std::time::Instant;

use super::{Calls, Out};
use hearth_shared::call::EndReason;
use hearth_shared::UserId;

impl Calls {
    /// Ends the call between `a` and `b`, if there is one (ringing or answered).
    pub fn end_between(&mut self, a: UserId, b: UserId, now: Instant) -> Vec<Out> {
        let Some(id) = self.by_user.get(&a).cloned() else {
            return Vec::new();
        };
        let between = self
            .direct(&id)
            .is_some_and(|c| c.is_from_to(a, b) || c.is_from_to(b, a));
        if between {
            self.end_direct(&id, EndReason::HungUp, now)
        } else {
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Invite, Party};
    use super::*;
    use crate::hub::ConnId;
    use hearth_shared::call::{CallId, CallKind, ServerCall};
    use hearth_shared::session::UserPublic;
    use hearth_shared::{ConversationId, ReqId};

    fn user(id: u32) -> UserPublic {
        UserPublic {
            id: UserId(id),
            username: format!("u{id}"),
        }
    }

    #[test]
    fn removing_a_friend_ends_their_call_and_no_other() {
        let now = Instant::now();
        let mut calls = Calls::new(std::time::Duration::from_secs(45));
        let inv = Invite {
            req_id: ReqId(1),
            caller: user(1),
            conn: ConnId(10),
            callee: user(2),
            kind: CallKind::Video,
            conversation: ConversationId(7),
            id: CallId("x".into()),
        };
        calls.invite(inv, now).expect("invite");
        let x = CallId("x".into());
        calls
            .accept(
                Party {
                    user: UserId(2),
                    conn: ConnId(20),
                },
                &x,
                now,
            )
            .expect("accept");
        assert!(calls.end_between(UserId(1), UserId(3), now).is_empty());
        let outs = calls.end_between(UserId(2), UserId(1), now);
        for conn in [ConnId(10), ConnId(20)] {
            assert!(outs.contains(&Out::Conn(
                conn,
                ServerCall::Ended {
                    call_id: x.clone(),
                    reason: EndReason::HungUp
                }
            )));
        }
        assert_eq!(calls.call_of(UserId(1)), None);
        let signal = Party {
            user: UserId(2),
            conn: ConnId(20),
        };
        let media = ServerCall::Recording {
            call_id: x.clone(),
            from: None,
            on: true,
        };
        assert!(
            calls.relay(signal, &x, None, media).is_err(),
            "nothing more passes"
        );
    }
}
