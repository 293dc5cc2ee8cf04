//! A steady clock for drawing: a tiny worker posts a tick every period. Timers of the page
//! itself slow to once a second while its tab is hidden, which is exactly when someone who
//! shares another tab or window is recording; a worker's timers keep their pace.
//!
//! The worker posts the next tick only after the page has handled the last one. A page too
//! busy to draw at the full rate then draws less often, instead of piling up ticks it can
//! never catch up with (which froze a call's buttons on a loaded machine). A late tick
//! moves the schedule on: there is never a burst to make up for lost time.

use wasm_bindgen::prelude::*;
use web_sys::Worker;

use crate::webrtc::js;

/// The worker, whole. The first message sets the period; each message asks for the next
/// tick, due one period after the last one was due, or at once when that time has passed.
const SCRIPT: &str = "data:text/javascript,let p=0,t=0;onmessage=e=>{if(e.data>0)p=e.data;\
const n=performance.now();t=Math.max(t+p,n);setTimeout(()=>postMessage(0),t-n)}";

/// Calls its closure every period (or as often as the page keeps up with) until dropped.
pub struct Ticker {
    worker: Worker,
    _tick: Closure<dyn FnMut()>,
}

impl Ticker {
    /// Starts ticking every `period_ms`.
    pub fn start(period_ms: u32, mut tick: impl FnMut() + 'static) -> Result<Ticker, String> {
        let worker = Worker::new(SCRIPT).map_err(js::describe)?;
        let next = worker.clone();
        let tick = Closure::<dyn FnMut()>::new(move || {
            tick();
            // Asks for the next tick once this one is done; a worker gone takes no message.
            let _ = next.post_message(&0.into());
        });
        worker.set_onmessage(Some(tick.as_ref().unchecked_ref()));
        worker
            .post_message(&period_ms.max(1).into())
            .map_err(js::describe)?;
        Ok(Ticker {
            worker,
            _tick: tick,
        })
    }
}

impl Drop for Ticker {
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        self.worker.terminate();
    }
}
