//! The call screen held back while the call connects: its renders would delay the first
//! picture (see [`CallController::hold_screen`]).

use std::rc::Rc;

use gloo::timers::callback::Timeout;

use super::CallController;

impl CallController {
    /// Holds the screen's updates back while the call connects. The answering side holds
    /// them from "Accept" until its answer is on its way (its camera opens and the answer is
    /// made meanwhile); the calling side from the answer until the connection is up (it
    /// applies the answer and starts the connection). Both happen on the page's one thread,
    /// and a render of the call screen takes milliseconds each time: measured, these renders
    /// delayed the first picture by about 45 ms. The screen catches up within tens of
    /// milliseconds, and never later than a second.
    pub(super) fn hold_screen(&self) {
        let weak = Rc::downgrade(&self.inner);
        let limit = Timeout::new(1000, move || {
            if let Some(inner) = weak.upgrade() {
                CallController { inner }.release_screen();
            }
        });
        let mut me = self.inner.borrow_mut();
        me.held.replace(Some(Vec::new()));
        me.hold_limit = Some(limit);
    }

    /// Lets the held events reach the screen, in order.
    pub(super) fn release_screen(&self) {
        let held = {
            let mut me = self.inner.borrow_mut();
            me.hold_limit = None;
            me.held.take()
        };
        for e in held.into_iter().flatten() {
            self.emit(e);
        }
    }
}
