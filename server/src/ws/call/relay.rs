//! Signaling between the members of a call (descriptions, candidates, media and recording
//! states): the hub passes each on only to whom it is for, in the same call.

use super::super::ctx::Ctx;
use super::MAX_REASON_CHARS;
use crate::hub::calls::{CallError, Out, Party};
use hearth_shared::call::{CallId, ClientCall, SdpType, ServerCall};

/// Signaling, passed on by the hub to whom it is for (nothing else reaches here).
pub(super) fn relay(
    ctx: &Ctx,
    me: Party,
    signal: ClientCall,
) -> (CallId, Result<Vec<Out>, CallError>) {
    let (call_id, to, msg, rollback) = match signal {
        ClientCall::Description {
            call_id,
            to,
            description,
        } => {
            // A rollback undoes the sender's own offer (perfect negotiation): it is checked
            // like any signaling, and not passed on; the other side never saw it applied.
            let rollback = description.kind == SdpType::Rollback;
            let msg = ServerCall::Description {
                call_id: call_id.clone(),
                from: None,
                description,
            };
            (call_id, to, msg, rollback)
        }
        ClientCall::Candidate {
            call_id,
            to,
            candidate,
        } => {
            let msg = ServerCall::Candidate {
                call_id: call_id.clone(),
                from: None,
                candidate,
            };
            (call_id, to, msg, false)
        }
        ClientCall::Rejected {
            call_id,
            to,
            message,
        } => {
            let msg = ServerCall::Rejected {
                call_id: call_id.clone(),
                from: None,
                message: message.chars().take(MAX_REASON_CHARS).collect(),
            };
            (call_id, to, msg, false)
        }
        ClientCall::Media {
            call_id,
            audio,
            video,
            screen,
        } => {
            let msg = ServerCall::Media {
                call_id: call_id.clone(),
                from: None,
                audio,
                video,
                screen,
            };
            (call_id, None, msg, false)
        }
        ClientCall::SeesViaSfu { call_id, to } => {
            let msg = ServerCall::SeesViaSfu {
                call_id: call_id.clone(),
                from: None,
            };
            (call_id, Some(to), msg, false)
        }
        ClientCall::Recording { call_id, on } => {
            let msg = ServerCall::Recording {
                call_id: call_id.clone(),
                from: None,
                on,
            };
            (call_id, None, msg, false)
        }
        ClientCall::Invite { .. }
        | ClientCall::JoinRoom { .. }
        | ClientCall::GoLive { .. }
        | ClientCall::Watch { .. }
        | ClientCall::GoLiveToFriends { .. }
        | ClientCall::WatchFriend { .. }
        | ClientCall::Resume { .. }
        | ClientCall::Accept { .. }
        | ClientCall::Decline { .. }
        | ClientCall::Hangup { .. }
        | ClientCall::Shows { .. }
        | ClientCall::ViaSfu { .. }
        | ClientCall::SfuDescription { .. } => {
            return (CallId(String::new()), Err(CallError::WrongState));
        }
    };
    let result = ctx.state.hub.calls(|c| c.relay(me, &call_id, to, msg));
    (
        call_id,
        result.map(|outs| if rollback { Vec::new() } else { outs }),
    )
}
