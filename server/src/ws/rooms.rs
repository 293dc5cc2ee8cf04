//! The `rooms` domain on a connection: make, add, remove, rename and leave, then a fresh
//! rooms list to every tab of everyone the change touched (members before and after).

use super::call_outs;
use super::ctx::Ctx;
use super::reply::Refusal;
use crate::state::AppState;
use hearth_shared::call::ServerCall;
use hearth_shared::rooms::{ClientRooms, ServerRooms};
use hearth_shared::{ConversationId, ReqId, ServerMsg, UserId};

/// Sends this connection the rooms it is in, then the calls running in them; false if the
/// connection is gone.
pub async fn send_rooms(ctx: &Ctx) -> bool {
    let Ok(rooms) = ctx.state.store.rooms(ctx.user.id).await else {
        return true;
    };
    let calls: Vec<ServerCall> = rooms
        .iter()
        .filter_map(|r| room_call(&ctx.state, r.id))
        .collect();
    if !ctx.reply.send(ServerRooms::Rooms { rooms }).await {
        return false;
    }
    for call in calls {
        if !ctx.reply.send(call).await {
            return false;
        }
    }
    true
}

/// Sends this connection the broadcasts to friends its user's friends (or the user, from
/// another tab) run; false if the connection is gone.
pub async fn send_friends_live(ctx: &Ctx) -> bool {
    let Ok(hosts) = ctx.state.store.friends_and_self(ctx.user.id).await else {
        return true;
    };
    for (host, call) in ctx.state.hub.calls(|c| c.friends_live(&hosts)) {
        let call = Some(call);
        if !ctx.reply.send(ServerCall::FriendLive { host, call }).await {
            return false;
        }
    }
    true
}

/// "Call in progress" for a room with a running call.
fn room_call(state: &AppState, room: ConversationId) -> Option<ServerCall> {
    let call = state.hub.calls(|c| c.room_call(room))?;
    Some(ServerCall::RoomCall {
        room,
        call: Some(call),
    })
}

/// Pushes a fresh rooms list to every tab of each user.
pub async fn push_rooms(state: &AppState, users: &[UserId]) {
    for (i, &user) in users.iter().enumerate() {
        if users[..i].contains(&user) {
            continue;
        }
        if let Ok(rooms) = state.store.rooms(user).await {
            state
                .hub
                .send_to(&[user], &ServerMsg::Rooms(ServerRooms::Rooms { rooms }));
        }
    }
}

/// Handles one rooms command; false if the connection is gone.
pub async fn handle(ctx: &Ctx, cmd: ClientRooms) -> bool {
    let me = ctx.user.id;
    let store = &ctx.state.store;
    let max = ctx.state.settings.room_max_members;
    let (req_id, touched): (ReqId, Result<Vec<UserId>, _>) = match cmd {
        ClientRooms::Create {
            req_id,
            name,
            members,
        } => {
            let made = store.create_room(me, name, members, max).await;
            (req_id, made.map(|r| r.member_ids()))
        }
        ClientRooms::Add { req_id, room, user } => {
            let r = store.add_member(me, room, user, max).await;
            if r.is_ok() {
                if let Some(call) = room_call(&ctx.state, room) {
                    ctx.state.hub.send_to(&[user], &ServerMsg::Call(call));
                }
            }
            (req_id, r.map(|r| r.member_ids()))
        }
        ClientRooms::Remove { req_id, room, user } => {
            let r = store.remove_member(me, room, user).await;
            if r.is_ok() {
                call_outs::left_room(&ctx.state, room, user).await;
            }
            (req_id, r.map(|r| with(r.member_ids(), user)))
        }
        ClientRooms::Rename { req_id, room, name } => {
            let r = store.rename_room(me, room, name).await;
            (req_id, r.map(|r| r.member_ids()))
        }
        ClientRooms::Leave { req_id, room } => {
            // Everyone who was in it, the leaver's other tabs too.
            let r = store.leave_room(me, room).await;
            if r.is_ok() {
                call_outs::left_room(&ctx.state, room, me).await;
            }
            (req_id, r.map(|left| left.members))
        }
    };
    match touched {
        Ok(users) => {
            push_rooms(&ctx.state, &users).await;
            ctx.reply.answer(req_id, Ok(())).await
        }
        Err(e) => ctx.reply.answer(req_id, Err(Refusal::from(e))).await,
    }
}

/// `users` and `one` more.
fn with(mut all: Vec<UserId>, one: UserId) -> Vec<UserId> {
    if !all.contains(&one) {
        all.push(one);
    }
    all
}
