//! The `friends` domain on a connection: requests, answers, removal, rosters and presence.

use super::ctx::Ctx;
use super::reply::Refusal;
use crate::state::AppState;
use crate::store::RequestOutcome;
use hearth_shared::friends::{ClientFriends, Roster, ServerFriends};
use hearth_shared::{ServerMsg, UserId};

async fn roster_of(state: &AppState, user: UserId) -> Option<Roster> {
    let mut roster = state.store.roster(user).await.ok()?;
    for f in &mut roster.friends {
        f.online = state.hub.is_online(f.user.id);
    }
    Some(roster)
}

/// Sends this connection its roster; false if the connection is gone.
pub async fn send_roster(ctx: &Ctx) -> bool {
    match roster_of(&ctx.state, ctx.user.id).await {
        Some(r) => ctx.reply.send(ServerFriends::Roster(r)).await,
        None => true,
    }
}

/// Pushes a fresh roster to every tab of each user.
pub async fn push_rosters(state: &AppState, users: &[UserId]) {
    for &user in users {
        if let Some(r) = roster_of(state, user).await {
            state
                .hub
                .send_to(&[user], &ServerMsg::Friends(ServerFriends::Roster(r)));
        }
    }
}

/// Tells `user`'s friends that they came online or went offline.
pub async fn announce_presence(state: &AppState, user: UserId, online: bool) {
    if let Ok(friends) = state.store.friend_ids(user).await {
        state.hub.send_to(
            &friends,
            &ServerMsg::Friends(ServerFriends::Presence { user, online }),
        );
    }
}

/// Handles one friends command; false if the connection is gone.
pub async fn handle(ctx: &Ctx, cmd: ClientFriends) -> bool {
    let me = ctx.user.id;
    let store = &ctx.state.store;
    let mut befriended = Vec::new();
    let (req_id, result) = match cmd {
        ClientFriends::Request { req_id, username } => {
            let r = store.request_friend(me, username).await.map(|o| match o {
                RequestOutcome::Sent(u) => u,
                RequestOutcome::BecameFriends(u) => {
                    befriended.push(u);
                    u
                }
            });
            (req_id, r)
        }
        ClientFriends::Accept { req_id, user } => {
            let r = store.accept_friend(me, user).await.map(|_| user);
            befriended.extend(r.as_ref().ok());
            (req_id, r)
        }
        ClientFriends::Decline { req_id, user } => {
            (req_id, store.drop_request(user, me).await.map(|_| user))
        }
        ClientFriends::Cancel { req_id, user } => {
            (req_id, store.drop_request(me, user).await.map(|_| user))
        }
        ClientFriends::Remove { req_id, user } => {
            let removed = store.remove_friend(me, user).await.map(|_| user);
            if removed.is_ok() {
                super::call_outs::end_between(&ctx.state, me, user).await;
            }
            (req_id, removed)
        }
    };
    match result {
        Ok(other) => {
            push_rosters(&ctx.state, &[me, other]).await;
            for friend in befriended {
                super::call_outs::befriended(&ctx.state, me, friend).await;
            }
            ctx.reply.answer(req_id, Ok(())).await
        }
        Err(e) => ctx.reply.answer(req_id, Err(Refusal::from(e))).await,
    }
}
