//! The call screen of the messenger page. It owns the call's state (`use_call_screen`), so a
//! call's events re-render this part of the page only, and it tells the page when a call
//! starts or ends (the conversation's call buttons depend on that alone).

use yew::prelude::*;

use crate::components::call_panel::{call_panel, CallPanelProps};
use crate::hooks::{use_call_screen, use_leave_guard, CallHandle};
use crate::webrtc::call::CallController;

/// Props of [`CallScreen`].
#[derive(Properties, PartialEq)]
pub struct CallScreenProps {
    /// The page's call controller.
    pub call: CallHandle,
    /// Whether a call is under way (dialing, ringing or connected) changed.
    pub on_busy: Callback<bool>,
}

/// The incoming-call dialog, the call itself and the "call ended" notice.
#[component]
pub fn CallScreen(props: &CallScreenProps) -> Html {
    let call = &props.call;
    let state = use_call_screen(call);
    let can_share = *use_memo((), |_| CallController::can_share_screen());
    let can_record = *use_memo((), |_| CallController::can_record());
    use_leave_guard(state.recording.is_some());
    {
        let on_busy = props.on_busy.clone();
        use_effect_with(state.busy(), move |busy| on_busy.emit(*busy));
    }
    call_panel(&CallPanelProps {
        state: (*state).clone(),
        can_share,
        can_record,
        on: call.callback(),
    })
}
