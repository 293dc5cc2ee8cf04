//! Carrying out what the hub's call state machine decided: its deliveries, and each call's
//! entry, stored and shown in the conversation like any message. Used by the `call` domain,
//! and by `friends` and `rooms` when a change there ends or shrinks a call.

use std::time::Instant;

use crate::hub::calls::Out;
use crate::hub::EntryIn;
use crate::state::AppState;
use hearth_shared::chat::ServerChat;
use hearth_shared::{ConversationId, ServerMsg, UserId};

/// Sends the hub's deliveries, then stores each call entry and shows it in both
/// conversations like any message.
pub async fn apply(state: &AppState, outs: Vec<Out>) {
    let done = state.hub.deliver(outs);
    if let Some(sfu) = &state.sfu {
        for (call, user) in done.left {
            sfu.leave(crate::sfu::Seat { call, user });
        }
    }
    for r in done.records {
        let conversation = match r.conversation {
            EntryIn::Conversation(c) => c,
            EntryIn::WithFriend(friend) => {
                match state.store.conversation_of_friends(r.caller, friend).await {
                    Ok(c) => c,
                    // No longer friends: the entry has no conversation to go to.
                    Err(_) => continue,
                }
            }
        };
        match state
            .store
            .record_call(r.caller, conversation, r.call_id, r.record)
            .await
        {
            Ok(p) if p.is_new => {
                let posted = ServerMsg::Chat(ServerChat::Posted { message: p.message });
                let mut everyone = p.others;
                everyone.push(r.caller);
                state.hub.send_to(&everyone, &posted);
            }
            Ok(_) => {}
            Err(e) => tracing::error!("could not record a call: {e}"),
        }
    }
}

/// After this tab's connection closed: a call it held ends if it meant to leave, or waits
/// for it to come back.
pub async fn on_disconnect(state: &AppState, conn: crate::hub::ConnId, meant: bool) {
    let outs = state
        .hub
        .calls(|c| c.disconnect(conn, meant, Instant::now()));
    apply(state, outs).await;
}

/// Ends the call between `a` and `b` (one removed the other as a friend).
pub async fn end_between(state: &AppState, a: UserId, b: UserId) {
    let outs = state.hub.calls(|c| c.end_between(a, b, Instant::now()));
    apply(state, outs).await;
}

/// `a` and `b` became friends: each hears of the other's broadcast to friends.
pub async fn befriended(state: &AppState, a: UserId, b: UserId) {
    let outs = state.hub.calls(|c| c.befriended(a, b));
    apply(state, outs).await;
}

/// `user` is no longer a member of `room`: out of its call at once.
pub async fn left_room(state: &AppState, room: ConversationId, user: UserId) {
    let outs = state.hub.calls(|c| c.left_room(room, user, Instant::now()));
    apply(state, outs).await;
}
