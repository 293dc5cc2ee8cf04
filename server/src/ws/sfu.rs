//! Signaling between a tab in a call and the server's media relay (the SFU): the tab's
//! offers and answers, taken only from a participant of that call on the tab that is in it,
//! and the SFU's offers carried to the tab of the participant they are for; a direct call
//! moved onto the relay.

use tokio::sync::mpsc::UnboundedReceiver;

use super::call_outs::apply;
use super::ctx::Ctx;
use super::reply::Refusal;
use crate::hub::calls::{Out, SfuUse};
use crate::sfu::{Seat, SfuError, SfuEvent, Slots};
use crate::state::AppState;
use hearth_shared::call::{CallId, SdpType, ServerCall, SessionDescription, Tile};
use hearth_shared::session::ErrorCode;
use hearth_shared::UserId;

impl From<SfuError> for Refusal {
    fn from(e: SfuError) -> Refusal {
        let code = match e {
            SfuError::Sdp(_) => ErrorCode::Invalid,
            SfuError::NoOffer | SfuError::NotConnected => ErrorCode::Conflict,
            SfuError::Stopped => ErrorCode::Internal,
        };
        Refusal(code, e.to_string())
    }
}

/// This tab's offer (answered here) or answer, for its connection to the SFU in call
/// `call_id`.
pub(super) async fn describe(
    ctx: &Ctx,
    call_id: &CallId,
    description: SessionDescription,
) -> Result<(), Refusal> {
    let (user, sends, (from, video)) = ctx
        .state
        .hub
        .calls(|c| {
            c.seated(ctx.conn, call_id)
                .map(|u| (u, c.sends(call_id, u), c.senders_to(call_id, u)))
        })
        .ok_or_else(|| Refusal::new(ErrorCode::NoSuchCall, "no such call"))?;
    let expect = Slots { from, video };
    let sfu = (ctx.state.sfu.as_ref())
        .ok_or_else(|| Refusal::new(ErrorCode::Conflict, "this server has no media relay"))?;
    let seat = Seat {
        call: call_id.clone(),
        user,
    };
    tracing::debug!("media relay: {:?} from user {}", description.kind, user.0);
    match description.kind {
        // The answer goes out with the SFU's offers (`sfu_events`), in order.
        SdpType::Offer if sends => Ok(sfu.offer(seat, description.sdp, expect).await?),
        SdpType::Offer => Ok(sfu.offer_to_watch(seat, description.sdp, expect).await?),
        SdpType::Answer => Ok(sfu.answer(seat, description.sdp).await?),
        _ => Err(Refusal::new(
            ErrorCode::Invalid,
            "the media relay takes offers and answers only",
        )),
    }
}

/// `via_sfu` in a direct call (see `hub/calls/relayed.rs`): refused by a server whose relay
/// is off or missing.
pub(super) fn direct_via_sfu(ctx: &Ctx, call_id: &CallId) -> Result<Vec<Out>, Refusal> {
    if ctx.state.room_limits().sfu == SfuUse::Off {
        return Err(Refusal::new(
            ErrorCode::Conflict,
            "this server has no media relay",
        ));
    }
    Ok((ctx.state.hub).calls(|c| c.direct_via_sfu(ctx.conn, call_id))?)
}

/// This tab shows `user`'s picture as `tile` (see `sfu/layers.rs`): in a call on the relay,
/// of a fellow participant.
pub(super) fn shows(ctx: &Ctx, call_id: &CallId, user: UserId, tile: Tile) -> Result<(), Refusal> {
    let me = (ctx.state.hub).calls(|c| c.on_relay_with(ctx.conn, call_id, user))?;
    let sfu = (ctx.state.sfu.as_ref())
        .ok_or_else(|| Refusal::new(ErrorCode::Conflict, "this server has no media relay"))?;
    let seat = Seat {
        call: call_id.clone(),
        user: me,
    };
    sfu.shows(seat, user, tile);
    Ok(())
}

/// Carries the SFU's answers and offers, in the order it made them, to the tab of the
/// participant each is for (one whose connection is lost does not get it), and who speaks to
/// every participant's tab.
pub async fn sfu_events(state: AppState, mut events: UnboundedReceiver<SfuEvent>) {
    while let Some(event) = events.recv().await {
        match event {
            SfuEvent::Answer { to, sdp } => to_tab(&state, to, SdpType::Answer, sdp).await,
            SfuEvent::Offer { to, sdp } => to_tab(&state, to, SdpType::Offer, sdp).await,
            SfuEvent::Gone(seat) => crate::whip::gone(&state, &seat).await,
            SfuEvent::Speaker { call, user, to } => {
                let tabs = state.hub.calls(|c| match to {
                    Some(to) => c.tab_of(&call, to).into_iter().collect(),
                    None => c.tabs_in(&call),
                });
                let outs = (tabs.into_iter())
                    .map(|t| {
                        let call_id = call.clone();
                        Out::Conn(t, ServerCall::Speaker { call_id, user })
                    })
                    .collect();
                apply(&state, outs).await;
            }
        }
    }
}

/// An answer or offer of the SFU's to `to`'s tab.
async fn to_tab(state: &AppState, to: Seat, kind: SdpType, sdp: String) {
    let Some(conn) = state.hub.calls(|c| c.tab_of(&to.call, to.user)) else {
        tracing::debug!(
            "media relay: no tab for user {} ({kind:?} dropped)",
            to.user.0
        );
        return;
    };
    tracing::debug!("media relay: {kind:?} to user {}", to.user.0);
    let description = ServerCall::SfuDescription {
        call_id: to.call,
        description: SessionDescription { kind, sdp },
    };
    apply(state, vec![Out::Conn(conn, description)]).await;
}
