//! Entering a room's call: opening the devices, then asking the server; a viewer of a
//! broadcast (in a room, or a friend's to friends) asks at once, with no devices.

use std::rc::Rc;

use super::{media, MeshCall, MeshEvent, Part, Phase};
use hearth_shared::call::{CallKind, FRIENDS_STAGE};
use hearth_shared::{ConversationId, UserId};

impl MeshCall {
    /// Opens the devices, then joins (or starts) the call in `room`, or goes live there (in
    /// `FRIENDS_STAGE`: to friends); or, to watch its broadcast, asks at once (no devices: a
    /// viewer sends nothing).
    pub fn join(&self, room: ConversationId, kind: CallKind, part: Part) {
        self.enter(room, kind, part, None);
    }

    /// Watches friend `host`'s broadcast to friends.
    pub fn watch_friend(&self, host: UserId) {
        self.enter(FRIENDS_STAGE, CallKind::Video, Part::Watch, Some(host));
    }

    fn enter(&self, room: ConversationId, kind: CallKind, part: Part, host: Option<UserId>) {
        if self.busy() {
            return;
        }
        {
            let mut m = self.inner.borrow_mut();
            m.phase = Phase::Joining(room);
            (m.part, m.host) = (part, host);
        }
        self.emit(MeshEvent::Joining(room, part));
        if part == Part::Watch {
            let join = self.inner.borrow().join.clone();
            if !join(room, kind, part, host, None) {
                self.finish("You are offline: join again when you are back online.".into());
            }
            return;
        }
        let opening = media::open(kind, self.inner.borrow().prefs);
        let weak = Rc::downgrade(&self.inner);
        wasm_bindgen_futures::spawn_local(async move {
            let opened = opening.await;
            let Some(inner) = weak.upgrade() else {
                return opened.stream.iter().for_each(media::stop);
            };
            let this = MeshCall { inner };
            if this.inner.borrow().phase != Phase::Joining(room) {
                // Left while the devices opened.
                return opened.stream.iter().for_each(media::stop);
            }
            this.inner.borrow_mut().local = opened.stream.clone();
            if let Some(s) = opened.stream {
                this.emit(MeshEvent::LocalStream(s));
            }
            if let Some(w) = opened.warning {
                this.emit(MeshEvent::Warning(w));
            }
            this.report_local();
            let join = this.inner.borrow().join.clone();
            if !join(room, kind, part, host, None) {
                this.finish("You are offline: the call could not start.".into());
            }
        });
    }
}
