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

/// A callback that calls an intent method of the call.
fn act(c: &CallHandle, f: fn(&CallHandle)) -> Callback<()> {
    let c = c.clone();
    Callback::from(move |()| f(&c))
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
        on_accept: act(call, CallHandle::accept),
        on_decline: act(call, CallHandle::decline),
        on_hang_up: act(call, CallHandle::hang_up),
        on_toggle_mic: act(call, CallHandle::toggle_mic),
        on_toggle_camera: act(call, CallHandle::toggle_camera),
        on_add_video: act(call, CallHandle::add_video),
        can_share,
        on_share: act(call, CallHandle::share_screen),
        on_stop_sharing: act(call, CallHandle::stop_sharing),
        on_shot: act(call, CallHandle::screenshot_friend),
        on_shot_mine: act(call, CallHandle::screenshot_mine),
        can_record,
        on_record: {
            let call = call.clone();
            Callback::from(move |audio_only| call.record(audio_only))
        },
        on_stop_recording: act(call, CallHandle::stop_recording),
        on_silence: act(call, CallHandle::silence),
        on_dismiss: act(call, CallHandle::dismiss),
        on_device: {
            let call = call.clone();
            Callback::from(move |(kind, id)| call.switch_device(kind, id))
        },
    })
}
