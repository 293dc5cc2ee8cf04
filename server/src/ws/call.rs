//! The `call` domain on a connection: checks what needs the database (friendship, the
//! conversation), then lets the hub's call state machine decide, and carries out its
//! deliveries and call entries.

use std::time::Instant;

use super::call_outs::apply;
use super::ctx::Ctx;
use super::reply::Refusal;
use crate::hub::calls::{CallError, Invite, JoinRoom, Out, Party, Place, Rejoin, Resume, Role};
use hearth_shared::call::{CallId, CallKind, ClientCall, SdpType, ServerCall};
use hearth_shared::session::ErrorCode;
use hearth_shared::{ConversationId, ReqId, UserId};

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

/// Joins (or starts, or rejoins after a lost connection) the call in a room this user is a
/// member of; a non-member gets the same answer as for a room that does not exist.
async fn join_room(
    ctx: &Ctx,
    req_id: ReqId,
    room: ConversationId,
    (kind, role): (CallKind, Role),
    rejoin: Option<ClientRejoin>,
) -> bool {
    let store = &ctx.state.store;
    let found = match store.room(ctx.user.id, room).await {
        Ok(r) => r,
        Err(e) => return ctx.reply.answer(req_id, Err(e.into())).await,
    };
    let members = found.member_ids();
    let rejoin = match rejoin {
        Some(r) if r.call_id.0.is_empty() || r.call_id.0.len() > MAX_CALL_ID => {
            let refusal = Refusal::new(ErrorCode::Invalid, "not a call id");
            return ctx.reply.answer(req_id, Err(refusal)).await;
        }
        // A call that ended stays ended: its word cannot rebuild it.
        Some(r)
            if !knows(ctx, &r.call_id)
                && store.call_recorded(room, &r.call_id).await.unwrap_or(true) =>
        {
            let refusal = Refusal::from(CallError::NoSuchCall);
            return ctx.reply.answer(req_id, Err(refusal)).await;
        }
        Some(r) => Some(Rejoin {
            host: r.host.filter(|h| members.contains(h)),
            with: found
                .members
                .into_iter()
                .filter(|m| r.with.contains(&m.id) && m.id != ctx.user.id)
                .collect(),
            id: r.call_id,
            seconds: r.seconds,
        }),
        None => None,
    };
    let Some(id) = new_call_id() else {
        let refusal = Refusal::new(ErrorCode::Internal, "could not start the call");
        return ctx.reply.answer(req_id, Err(refusal)).await;
    };
    let j = JoinRoom {
        req_id,
        user: ctx.user.clone(),
        conn: ctx.conn,
        place: Place::Room(room),
        kind,
        members,
        id,
        limits: ctx.state.room_limits(),
        rejoin,
        role,
    };
    enter(ctx, j).await
}

/// Lets the hub seat the user (checked by the caller); false if the connection is gone.
async fn enter(ctx: &Ctx, j: JoinRoom) -> bool {
    let req_id = j.req_id;
    match ctx.state.hub.calls(|c| c.join_room(j, Instant::now())) {
        Ok(outs) => {
            apply(&ctx.state, outs).await;
            true
        }
        Err(e) => ctx.reply.answer(req_id, Err(e.into())).await,
    }
}

/// Goes live to this user's friends (`host` is this user), or watches friend `host`'s
/// broadcast to friends: only a friend may (`not_friends` otherwise).
async fn friends_stage(ctx: &Ctx, req_id: ReqId, host: UserId, role: Role) -> bool {
    let store = &ctx.state.store;
    let members = match role {
        Role::Live => store.friend_ids(ctx.user.id).await.map(|mut ids| {
            ids.push(ctx.user.id);
            ids
        }),
        _ => (store.conversation_of_friends(ctx.user.id, host).await).map(|_| Vec::new()),
    };
    let members = match members {
        Ok(m) => m,
        Err(e) => return ctx.reply.answer(req_id, Err(e.into())).await,
    };
    let Some(id) = new_call_id() else {
        let refusal = Refusal::new(ErrorCode::Internal, "could not start the broadcast");
        return ctx.reply.answer(req_id, Err(refusal)).await;
    };
    let j = JoinRoom {
        req_id,
        user: ctx.user.clone(),
        conn: ctx.conn,
        place: Place::Friends(host),
        kind: CallKind::Video,
        members,
        id,
        limits: ctx.state.room_limits(),
        rejoin: None,
        role,
    };
    enter(ctx, j).await
}

/// The longest reason for a rejected description passed on, in characters.
const MAX_REASON_CHARS: usize = 500;

/// The longest time in a call a rejoin's word is believed (a day): a rebuilt call's entry
/// cannot be made to claim more.
const MAX_REJOIN_SECONDS: u32 = 86_400;

/// Call ids are made here (24 hex digits); a longer one is not ours.
const MAX_CALL_ID: usize = 64;

/// "I am still in this call": checked against the database (the peer is a friend, this is
/// their conversation), then the hub decides.
async fn resume(ctx: &Ctx, r: ClientResume) -> Result<Vec<Out>, Refusal> {
    if r.call_id.0.is_empty() || r.call_id.0.len() > MAX_CALL_ID {
        return Err(Refusal::new(ErrorCode::Invalid, "not a call id"));
    }
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

/// Whether the hub has room call `id` (else a restart forgot it, or it ended).
fn knows(ctx: &Ctx, id: &CallId) -> bool {
    ctx.state.hub.calls(|c| c.is_room_call(id))
}

/// The rejoin fields of `ClientCall::JoinRoom`.
struct ClientRejoin {
    call_id: CallId,
    with: Vec<UserId>,
    seconds: u32,
    host: Option<UserId>,
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
        ClientCall::GoLiveToFriends { req_id } => {
            return friends_stage(ctx, req_id, ctx.user.id, Role::Live).await;
        }
        ClientCall::WatchFriend { req_id, host } => {
            return friends_stage(ctx, req_id, host, Role::Watch).await;
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

/// Signaling, passed on by the hub to whom it is for (nothing else reaches here).
fn relay(ctx: &Ctx, me: Party, signal: ClientCall) -> (CallId, Result<Vec<Out>, CallError>) {
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
