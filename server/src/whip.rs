//! Publishing a broadcast from outside the browser: WHIP (RFC 9725). OBS, or any WHIP
//! client, posts an SDP offer to a room (or to the key owner's friends) with its owner's
//! stream key; the owner then goes live there as if from a tab (see
//! `hub/calls/room/broadcast.rs`), with a place in the call that no connection holds, and
//! the SFU answers the offer. The session ends with `DELETE`,
//! when the publisher's connection to the SFU dies, or when the room's call ends it.
//!
//! No warp here: `routes/whip.rs` reads the requests and shapes the answers.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use crate::hub::calls::{CallError, JoinRoom, Party, Place, Role};
use crate::hub::ConnId;
use crate::sfu::{Seat, SfuError};
use crate::state::AppState;
use crate::store::StoreError;
use crate::ws::call_outs::apply;
use hearth_shared::call::{CallId, CallKind};
use hearth_shared::session::UserPublic;
use hearth_shared::{ConversationId, ReqId, UserId};

/// One publisher, live.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Session {
    user: UserId,
    conn: ConnId,
    call: CallId,
}

/// The WHIP sessions running, by their id (the last part of their resource URL).
#[derive(Clone, Default)]
pub struct Sessions(Arc<Mutex<HashMap<String, Session>>>);

impl Sessions {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Session>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// `user`'s session `id`, if it runs.
    fn get(&self, id: &str, user: UserId) -> Option<Session> {
        self.lock().get(id).filter(|s| s.user == user).cloned()
    }
}

/// Where a WHIP stream goes live: the path segment after `/api/whip/`.
#[derive(Debug, Clone, Copy)]
pub enum Stage {
    /// A room, by its id.
    Room(ConversationId),
    /// The key owner's friends (`friends`).
    Friends,
}

impl std::str::FromStr for Stage {
    type Err = std::num::ParseIntError;

    fn from_str(s: &str) -> Result<Stage, Self::Err> {
        match s {
            "friends" => Ok(Stage::Friends),
            id => id.parse().map(|id| Stage::Room(ConversationId(id))),
        }
    }
}

impl std::fmt::Display for Stage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Stage::Room(id) => write!(f, "{}", id.0),
            Stage::Friends => f.write_str("friends"),
        }
    }
}

/// Why a WHIP request was refused.
#[derive(Debug, thiserror::Error)]
pub enum WhipError {
    /// The server runs no SFU: a broadcast from outside needs it.
    #[error("this server has no media relay: publishing from outside the browser needs it")]
    NoRelay,
    /// Not a member of the room (or no such room).
    #[error("no such room")]
    NoRoom,
    /// The room's call would not have it (someone is live, a call runs).
    #[error("{0}")]
    Call(#[from] CallError),
    /// The offer could not be used.
    #[error("{0}")]
    Sdp(#[from] SfuError),
    /// No such session (ended, or another user's).
    #[error("no such session")]
    NoSession,
    /// The database failed.
    #[error("the server could not do that; try again")]
    Store(StoreError),
}

impl From<StoreError> for WhipError {
    fn from(e: StoreError) -> WhipError {
        match e {
            StoreError::NotInConversation => WhipError::NoRoom,
            e => WhipError::Store(e),
        }
    }
}

fn random_hex() -> Option<String> {
    let mut raw = [0u8; 12];
    getrandom::fill(&mut raw).ok()?;
    Some(hex::encode(raw))
}

/// `user` goes live at `stage` (a room of theirs, or to their friends) with the media
/// `offer` describes; returns the session's id and the SFU's answer.
pub async fn publish(
    state: &AppState,
    user: UserPublic,
    stage: Stage,
    offer: String,
) -> Result<(String, String), WhipError> {
    let limits = state.room_limits();
    let sfu = match &state.sfu {
        Some(sfu) if limits.sfu != crate::hub::calls::SfuUse::Off => sfu.clone(),
        _ => return Err(WhipError::NoRelay),
    };
    let (place, members) = match stage {
        Stage::Room(room) => {
            let members = state.store.room(user.id, room).await?.member_ids();
            (Place::Room(room), members)
        }
        Stage::Friends => {
            let members = state.store.friends_and_self(user.id).await?;
            (Place::Friends(user.id), members)
        }
    };
    let (Some(call_id), Some(session)) = (random_hex(), random_hex()) else {
        return Err(WhipError::Store(StoreError::Task));
    };
    let conn = state.hub.detached_conn();
    let j = JoinRoom {
        req_id: ReqId(0),
        user: user.clone(),
        conn,
        place,
        kind: CallKind::Video,
        members,
        id: CallId(call_id),
        limits,
        rejoin: None,
        role: Role::Live,
    };
    let outs = state.hub.calls(|c| c.join_room(j, Instant::now()))?;
    apply(state, outs).await;
    let Some(call) = state.hub.calls(|c| c.call_of(user.id).cloned()) else {
        return Err(WhipError::NoSession);
    };
    let s = Session {
        user: user.id,
        conn,
        call: call.clone(),
    };
    let seat = Seat {
        call,
        user: user.id,
    };
    match sfu.publish(seat, offer).await {
        Ok(answer) => {
            state.whip.lock().insert(session.clone(), s);
            tracing::info!("WHIP: user {} is live ({stage})", user.id.0);
            Ok((session, answer))
        }
        Err(e) => {
            end(state, &s).await;
            Err(e.into())
        }
    }
}

/// Trickled candidates (`PATCH`, an SDP fragment) for `user`'s session `id`; the lines that
/// are not candidates are ignored. Refused if a candidate cannot be read.
pub fn trickle(state: &AppState, id: &str, user: UserId, fragment: &str) -> Result<(), WhipError> {
    let s = state.whip.get(id, user).ok_or(WhipError::NoSession)?;
    let sfu = state.sfu.as_ref().ok_or(WhipError::NoRelay)?;
    let mut candidates = Vec::new();
    for line in fragment.lines().filter_map(|l| l.trim().strip_prefix("a=")) {
        if line.starts_with("candidate:") {
            let c = str0m::Candidate::from_sdp_string(line)
                .map_err(|e| WhipError::Sdp(SfuError::Sdp(e.to_string())))?;
            candidates.push(c);
        }
    }
    let seat = Seat { call: s.call, user };
    for c in candidates {
        sfu.candidate(seat.clone(), c);
    }
    Ok(())
}

/// Ends `user`'s session `id` (`DELETE`): the broadcast ends.
pub async fn stop(state: &AppState, id: &str, user: UserId) -> Result<(), WhipError> {
    let s = state.whip.lock().remove(id).filter(|s| s.user == user);
    let s = s.ok_or(WhipError::NoSession)?;
    end(state, &s).await;
    tracing::info!("WHIP: user {} stopped", user.0);
    Ok(())
}

/// Ends every session of `user` (their stream key was revoked or replaced).
pub async fn stop_all(state: &AppState, user: UserId) {
    let ended: Vec<Session> = {
        let mut sessions = state.whip.lock();
        let ids: Vec<String> = (sessions.iter())
            .filter(|(_, s)| s.user == user)
            .map(|(id, _)| id.clone())
            .collect();
        ids.iter().filter_map(|id| sessions.remove(id)).collect()
    };
    for s in ended {
        end(state, &s).await;
    }
}

/// The SFU lost `seat`'s connection: if it was a publisher's, its broadcast ends.
pub async fn gone(state: &AppState, seat: &Seat) {
    let s = {
        let mut sessions = state.whip.lock();
        let id = (sessions.iter())
            .find(|(_, s)| s.user == seat.user && s.call == seat.call)
            .map(|(id, _)| id.clone());
        id.and_then(|id| sessions.remove(&id))
    };
    if let Some(s) = s {
        tracing::info!("WHIP: user {}'s connection closed", s.user.0);
        end(state, &s).await;
    }
}

/// The publisher leaves its call (the host leaving ends a broadcast).
async fn end(state: &AppState, s: &Session) {
    let by = Party {
        user: s.user,
        conn: s.conn,
    };
    let outs = state.hub.calls(|c| c.hangup(by, &s.call, Instant::now()));
    if let Ok(outs) = outs {
        apply(state, outs).await;
    }
}
