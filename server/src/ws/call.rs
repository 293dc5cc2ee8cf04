//! The `call` domain on a connection: checks what needs the database (friendship, the
//! conversation), then lets the hub's call state machine decide, and carries out its
//! deliveries and call entries.

use std::time::Instant;

mod relay;
mod stage;

use super::call_outs::apply;
use super::ctx::Ctx;
use super::reply::Refusal;
use crate::hub::calls::{CallError, Invite, Out, Party, Resume, Role};
use hearth_shared::call::{CallId, CallKind, ClientCall};
use hearth_shared::session::ErrorCode;
use hearth_shared::{ReqId, UserId};
use relay::relay;
use stage::{friends_stage, join_room, ClientRejoin};

impl From<CallError> for Refusal {
    fn from(e: CallError) -> Refusal {
        let code = match e {
            CallError::NoSuchCall | CallError::NoSuchParticipant => ErrorCode::NoSuchCall,
            CallError::WrongState | CallError::AlreadyInCall => ErrorCode::Conflict,
            CallError::Full(_) | CallError::TooManyViewers(_) => ErrorCode::CallFull,
            CallError::Broadcast(_) => ErrorCode::Conflict,
            CallError::NoAddressee => ErrorCode::Invalid,
            CallError::NotAnswered => ErrorCode::Conflict,
        };
        Refusal(code, e.to_string())
    }
}

fn new_call_id() -> Option<CallId> {
    let mut raw = [0u8; 12];
    getrandom::fill(&mut raw).ok()?;
    Some(CallId(hex::encode(raw)))
}

async fn invite(ctx: &Ctx, req_id: ReqId, callee: UserId, kind: CallKind) -> bool {
    let store = &ctx.state.store;
    let conversation = match store.conversation_of_friends(ctx.user.id, callee).await {
        Ok(c) => c,
        Err(e) => return ctx.reply.answer(req_id, Err(e.into())).await,
    };
    let (Ok(Some(callee)), Some(id)) = (store.user(callee).await, new_call_id()) else {
        return ctx
            .reply
            .answer(
                req_id,
                Err(Refusal::new(
                    ErrorCode::Internal,
                    "could not start the call",
                )),
            )
            .await;
    };
    let inv = Invite {
        req_id,
        caller: ctx.user.clone(),
        conn: ctx.conn,
        callee,
        kind,
        conversation,
        id,
    };
    match ctx.state.hub.calls(|c| c.invite(inv, Instant::now())) {
        Ok(outs) => {
            apply(&ctx.state, outs).await;
            true
        }
        Err(e) => ctx.reply.answer(req_id, Err(e.into())).await,
    }
}

/// The longest reason for a rejected description passed on, in characters.
const MAX_REASON_CHARS: usize = 500;

/// The longest time in a call a rejoin's word is believed (a day): a rebuilt call's entry
/// cannot be made to claim more.
const MAX_REJOIN_SECONDS: u32 = 86_400;

/// Call ids are made here (24 hex digits); a longer one is not ours.
const MAX_CALL_ID: usize = 64;

/// A call id from a client's word: refused at once if it cannot be one of ours.
fn check_call_id(id: &CallId) -> Result<(), Refusal> {
    if id.0.is_empty() || id.0.len() > MAX_CALL_ID {
        return Err(Refusal::new(ErrorCode::Invalid, "not a call id"));
    }
    Ok(())
}

/// "I am still in this call": checked against the database (the peer is a friend, this is
/// their conversation), then the hub decides.
async fn resume(ctx: &Ctx, r: ClientResume) -> Result<Vec<Out>, Refusal> {
    check_call_id(&r.call_id)?;
    let store = &ctx.state.store;
    let conversation = store
        .conversation_of_friends(ctx.user.id, r.peer)
        .await
        .map_err(Refusal::from)?;
    let peer = store
        .user(r.peer)
        .await
        .ok()
        .flatten()
        .ok_or_else(|| Refusal::new(ErrorCode::UserNotFound, "no such user"))?;
    let r = Resume {
        id: r.call_id,
        by: Party {
            user: ctx.user.id,
            conn: ctx.conn,
        },
        me: ctx.user.clone(),
        peer,
        caller: r.caller,
        kind: r.kind,
        conversation,
        seconds: r.seconds,
    };
    Ok(ctx.state.hub.calls(|c| c.resume(r, Instant::now()))?)
}

/// The fields of `ClientCall::Resume`.
struct ClientResume {
    call_id: CallId,
    peer: UserId,
    kind: CallKind,
    caller: bool,
    seconds: u32,
}

/// Handles one call command; false if the connection is gone.
pub async fn handle(ctx: &Ctx, cmd: ClientCall) -> bool {
    let me = Party {
        user: ctx.user.id,
        conn: ctx.conn,
    };
    let now = Instant::now();
    let hub = &ctx.state.hub;
    let (req_id, call_id, result) = match cmd {
        ClientCall::Invite {
            req_id,
            callee,
            kind,
        } => return invite(ctx, req_id, callee, kind).await,
        ClientCall::JoinRoom {
            req_id,
            room,
            kind,
            call_id,
            with,
            seconds,
            host,
        } => {
            let rejoin = call_id.map(|call_id| ClientRejoin {
                call_id,
                with,
                seconds: seconds.unwrap_or(0).min(MAX_REJOIN_SECONDS),
                host,
            });
            return join_room(ctx, req_id, room, (kind, Role::Call), rejoin).await;
        }
        ClientCall::GoLive { req_id, room } => {
            return join_room(ctx, req_id, room, (CallKind::Video, Role::Live), None).await;
        }
        ClientCall::Watch { req_id, room } => {
            return join_room(ctx, req_id, room, (CallKind::Video, Role::Watch), None).await;
        }
        ClientCall::GoLiveToFriends { req_id, rejoin } => {
            return friends_stage(ctx, req_id, (ctx.user.id, Role::Live), rejoin).await;
        }
        ClientCall::WatchFriend {
            req_id,
            host,
            rejoin,
        } => {
            return friends_stage(ctx, req_id, (host, Role::Watch), rejoin).await;
        }
        ClientCall::Resume {
            call_id,
            peer,
            kind,
            caller,
            seconds,
        } => {
            let r = ClientResume {
                call_id: call_id.clone(),
                peer,
                kind,
                caller,
                seconds,
            };
            (None, call_id, resume(ctx, r).await)
        }
        ClientCall::Accept { call_id, req_id } => {
            let r = hub.calls(|c| c.accept(me, &call_id, now));
            (req_id, call_id, r.map_err(Refusal::from))
        }
        ClientCall::Decline { call_id, req_id } => {
            let r = hub.calls(|c| c.decline(me, &call_id, now));
            (req_id, call_id, r.map_err(Refusal::from))
        }
        ClientCall::Hangup { call_id, req_id } => {
            let r = hub.calls(|c| c.hangup(me, &call_id, now));
            (req_id, call_id, r.map_err(Refusal::from))
        }
        ClientCall::SfuDescription {
            call_id,
            description,
        } => {
            let r = super::sfu::describe(ctx, &call_id, description).await;
            (None, call_id, r.map(|()| Vec::new()))
        }
        ClientCall::ViaSfu { call_id } => {
            let r = super::sfu::direct_via_sfu(ctx, &call_id);
            (None, call_id, r)
        }
        ClientCall::Shows {
            call_id,
            user,
            tile,
        } => {
            let r = super::sfu::shows(ctx, &call_id, user, tile);
            (None, call_id, r.map(|()| Vec::new()))
        }
        signal => {
            let (call_id, r) = relay(ctx, me, signal);
            (None, call_id, r.map_err(Refusal::from))
        }
    };
    match result {
        Ok(outs) => {
            apply(&ctx.state, outs).await;
            match req_id {
                Some(req_id) => ctx.reply.answer(req_id, Ok(())).await,
                None => true,
            }
        }
        Err(refusal) => ctx.reply.call_error(req_id, Some(call_id), refusal).await,
    }
}
