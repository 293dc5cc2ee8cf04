//! A steady clock for drawing: a tiny worker posts a tick every period. Timers of the page
//! itself slow to once a second while its tab is hidden, which is exactly when someone who
//! shares another tab or window is recording; a worker's timers keep their pace.

use wasm_bindgen::prelude::*;
use web_sys::Worker;

use crate::webrtc::js;

/// The worker, whole: told a period, it posts a message every period.
const SCRIPT: &str = "data:text/javascript,onmessage=e=>{setInterval(()=>postMessage(0),e.data)}";

/// Calls its closure every period until dropped.
pub struct Ticker {
    worker: Worker,
    _tick: Closure<dyn FnMut()>,
}

impl Ticker {
    /// Starts ticking every `period_ms`.
    pub fn start(period_ms: u32, tick: impl FnMut() + 'static) -> Result<Ticker, String> {
        let worker = Worker::new(SCRIPT).map_err(js::describe)?;
        let tick = Closure::<dyn FnMut()>::new(tick);
        worker.set_onmessage(Some(tick.as_ref().unchecked_ref()));
        worker
            .post_message(&period_ms.into())
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
