//! A call lives only while its two members are friends: removing a friend ends the call
//! between them at once, so nothing more of it reaches the one who removed the other. A
//! broadcast to friends reaches whoever is a friend of its host now: a new friend hears of
//! it, a removed one stops watching and hears no more.

use std::time::Instant;

use super::call::Members;
use super::{Calls, Out, Place};
use hearth_shared::call::{EndReason, ServerCall};
use hearth_shared::UserId;

impl Calls {
    /// Ends the call between `a` and `b`, if there is one (ringing or answered), and takes
    /// each out of the other's broadcast to friends.
    pub fn end_between(&mut self, a: UserId, b: UserId, now: Instant) -> Vec<Out> {
        let mut out = self.leave_audience(a, b, now);
        out.extend(self.leave_audience(b, a, now));
        let Some(id) = self.by_user.get(&a).cloned() else {
            return out;
        };
        let between = self
            .direct(&id)
            .is_some_and(|c| c.is_from_to(a, b) || c.is_from_to(b, a));
        if between {
            out.extend(self.end_direct(&id, EndReason::HungUp, now));
        }
        out
    }

    /// `a` and `b` became friends: each hears of the other's broadcast to friends, if one
    /// runs, and may watch it.
    pub fn befriended(&mut self, a: UserId, b: UserId) -> Vec<Out> {
        let mut out = self.join_audience(a, b);
        out.extend(self.join_audience(b, a));
        out
    }

    fn join_audience(&mut self, host: UserId, friend: UserId) -> Vec<Out> {
        let Some(call) =
            (self.by_place.get(&Place::Friends(host))).and_then(|id| self.calls.get_mut(id))
        else {
            return Vec::new();
        };
        if let Members::Friends(members) = &mut call.members {
            if !members.contains(&friend) {
                members.push(friend);
            }
        }
        let call = Some(call.info());
        vec![Out::User(friend, ServerCall::FriendLive { host, call })]
    }

    fn leave_audience(&mut self, host: UserId, friend: UserId, now: Instant) -> Vec<Out> {
        let Some(id) = self.by_place.get(&Place::Friends(host)).cloned() else {
            return Vec::new();
        };
        let Some(call) = self.room_mut(&id) else {
            return Vec::new();
        };
        if let Members::Friends(members) = &mut call.members {
            members.retain(|&m| m != friend);
        }
        let seated = call.seats.iter().any(|s| s.user.id == friend);
        let mut out = vec![Out::User(
            friend,
            ServerCall::FriendLive { host, call: None },
        )];
        if seated {
            out.extend(
                self.unseat(&id, friend, EndReason::Removed, now)
                    .unwrap_or_default(),
            );
        }
        out
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
