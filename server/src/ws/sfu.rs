//! Signaling between a tab in a room call and the server's media relay (the SFU): the tab's
//! offers and answers, taken only from a participant of that call on the tab that is in it,
//! and the SFU's offers carried to the tab of the participant they are for.

use tokio::sync::mpsc::UnboundedReceiver;

use super::call_outs::apply;
use super::ctx::Ctx;
use super::reply::Refusal;
use crate::hub::calls::Out;
use crate::sfu::{Seat, SfuError, SfuEvent};
use crate::state::AppState;
use hearth_shared::call::{CallId, SdpType, ServerCall, SessionDescription};
use hearth_shared::session::ErrorCode;

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
    let user = ctx
        .state
        .hub
        .calls(|c| c.seated(ctx.conn, call_id))
        .ok_or_else(|| Refusal::new(ErrorCode::NoSuchCall, "no such call"))?;
    let sfu = (ctx.state.sfu.as_ref())
        .ok_or_else(|| Refusal::new(ErrorCode::Conflict, "this server has no media relay"))?;
    let seat = Seat {
        call: call_id.clone(),
        user,
    };
    match description.kind {
        SdpType::Offer => {
            let sdp = sfu.offer(seat, description.sdp).await?;
            let answer = ServerCall::SfuDescription {
                call_id: call_id.clone(),
                description: SessionDescription {
                    kind: SdpType::Answer,
                    sdp,
                },
            };
            ctx.reply.send(answer).await;
            Ok(())
        }
        SdpType::Answer => Ok(sfu.answer(seat, description.sdp).await?),
        _ => Err(Refusal::new(
            ErrorCode::Invalid,
            "the media relay takes offers and answers only",
        )),
    }
}

/// Carries the SFU's offers to the tab of the participant each is for (one whose connection
/// is lost does not get it).
pub async fn sfu_offers(state: AppState, mut events: UnboundedReceiver<SfuEvent>) {
    while let Some(SfuEvent::Offer { to, sdp }) = events.recv().await {
        let Some(conn) = state.hub.calls(|c| c.tab_of(&to.call, to.user)) else {
            continue;
        };
        let offer = ServerCall::SfuDescription {
            call_id: to.call,
            description: SessionDescription {
                kind: SdpType::Offer,
                sdp,
            },
        };
        apply(&state, vec![Out::Conn(conn, offer)]).await;
    }
}
