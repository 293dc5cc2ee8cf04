//! Taking a seat in a many-person call: a room's call or broadcast (members only), or a
//! broadcast to friends (the host's friends only). The database decides who may; the hub
//! seats them.

use std::time::Instant;

use super::super::call_outs::apply;
use super::super::ctx::Ctx;
use super::super::reply::Refusal;
use super::{check_call_id, new_call_id, MAX_REJOIN_SECONDS};
use crate::hub::calls::{CallError, JoinRoom, Place, Rejoin, Role};
use hearth_shared::call::{CallId, CallKind, StageRejoin};
use hearth_shared::session::ErrorCode;
use hearth_shared::{ConversationId, ReqId, UserId};

/// The rejoin fields of `ClientCall::JoinRoom`.
pub(super) struct ClientRejoin {
    pub call_id: CallId,
    pub with: Vec<UserId>,
    pub seconds: u32,
    pub host: Option<UserId>,
}

/// Where and as what a user sits down; the rest of a `JoinRoom` comes from the connection.
struct Seat {
    place: Place,
    kind: CallKind,
    role: Role,
    /// Who may take part (members of the room, or the host and their friends).
    members: Vec<UserId>,
    rejoin: Option<Rejoin>,
}

/// Joins (or starts, or rejoins after a lost connection) the call in a room this user is a
/// member of; a non-member gets the same answer as for a room that does not exist.
pub(super) async fn join_room(
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
    if let Some(Err(refusal)) = rejoin.as_ref().map(|r| check_call_id(&r.call_id)) {
        return ctx.reply.answer(req_id, Err(refusal)).await;
    }
    let rejoin = match rejoin {
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
    let seat = Seat {
        place: Place::Room(room),
        kind,
        role,
        members,
        rejoin,
    };
    sit(ctx, req_id, seat).await
}

/// Goes live to this user's friends (`host` is this user), or watches friend `host`'s
/// broadcast to friends: only a friend may (`not_friends` otherwise). With `rejoin`, back in
/// that broadcast after a lost connection: a server that forgot it (a restart) rebuilds it
/// from this word, unless it ended.
pub(super) async fn friends_stage(
    ctx: &Ctx,
    req_id: ReqId,
    (host, role): (UserId, Role),
    rejoin: Option<StageRejoin>,
) -> bool {
    let store = &ctx.state.store;
    if host != ctx.user.id {
        if let Err(e) = store.conversation_of_friends(ctx.user.id, host).await {
            return ctx.reply.answer(req_id, Err(e.into())).await;
        }
    }
    // Who may watch: the host's friends (a running broadcast keeps its own list).
    let members = match role == Role::Live || rejoin.is_some() {
        true => store.friends_and_self(host).await,
        false => Ok(Vec::new()),
    };
    let members = match members {
        Ok(m) => m,
        Err(e) => return ctx.reply.answer(req_id, Err(e.into())).await,
    };
    let rejoin = match rejoin {
        Some(r) => match friends_word(ctx, host, r).await {
            Ok(word) => Some(word),
            Err(refusal) => return ctx.reply.answer(req_id, Err(refusal)).await,
        },
        None => None,
    };
    let seat = Seat {
        place: Place::Friends(host),
        kind: CallKind::Video,
        role,
        members,
        rejoin,
    };
    sit(ctx, req_id, seat).await
}

/// A word about `host`'s broadcast to friends, checked: a broadcast that ended stays ended,
/// and it names only the host's friends (from the host) or the host (from a viewer).
async fn friends_word(ctx: &Ctx, host: UserId, r: StageRejoin) -> Result<Rejoin, Refusal> {
    let store = &ctx.state.store;
    check_call_id(&r.call_id)?;
    if !knows(ctx, &r.call_id) && (store.friends_broadcast_recorded(host, &r.call_id).await)? {
        return Err(CallError::NoSuchCall.into());
    }
    let me = ctx.user.id;
    let named = (r.with.into_iter())
        .filter(|&u| u != me && (host == me || u == host))
        .collect();
    Ok(Rejoin {
        with: store.friends_among(me, named).await?,
        id: r.call_id,
        seconds: r.seconds.min(MAX_REJOIN_SECONDS),
        host: Some(host),
    })
}

/// Lets the hub seat the user (allowed by the caller), with a fresh id in case the call
/// starts here; false if the connection is gone.
async fn sit(ctx: &Ctx, req_id: ReqId, seat: Seat) -> bool {
    let Some(id) = new_call_id() else {
        let refusal = Refusal::new(ErrorCode::Internal, "could not start the call");
        return ctx.reply.answer(req_id, Err(refusal)).await;
    };
    let j = JoinRoom {
        req_id,
        user: ctx.user.clone(),
        conn: ctx.conn,
        place: seat.place,
        kind: seat.kind,
        members: seat.members,
        id,
        limits: ctx.state.room_limits(),
        rejoin: seat.rejoin,
        role: seat.role,
    };
    match ctx.state.hub.calls(|c| c.join_room(j, Instant::now())) {
        Ok(outs) => {
            apply(&ctx.state, outs).await;
            true
        }
        Err(e) => ctx.reply.answer(req_id, Err(e.into())).await,
    }
}

/// Whether the hub has room call `id` (else a restart forgot it, or it ended).
fn knows(ctx: &Ctx, id: &CallId) -> bool {
    ctx.state.hub.calls(|c| c.is_room_call(id))
}
