//! `use_connection_test()`: runs the connection test (see `webrtc::conntest`) with the
//! servers the messenger got, and keeps its report for the settings panel.

use std::rc::Rc;

use yew::prelude::*;

use super::Messenger;
use crate::webrtc::conntest::{self, Report};

/// Where the test is.
#[derive(Debug, Clone, PartialEq)]
pub enum ConnTest {
    /// Not run yet.
    Idle,
    /// Under way.
    Running,
    /// Done.
    Done(Rc<Report>),
}

/// The test's state, and a callback that (re)runs it.
#[hook]
pub fn use_connection_test(m: &Messenger) -> (ConnTest, Callback<()>) {
    let state = use_state(|| ConnTest::Idle);
    let run = {
        let (state, m) = (state.clone(), m.clone());
        Callback::from(move |()| {
            if *state == ConnTest::Running {
                return;
            }
            state.set(ConnTest::Running);
            let (state, servers) = (state.clone(), m.ice_servers());
            wasm_bindgen_futures::spawn_local(async move {
                let report = conntest::run(servers).await;
                state.set(ConnTest::Done(Rc::new(report)));
            });
        })
    };
    ((*state).clone(), run)
}
