//! A call's entry in its conversation: what kind of call, how it went, and in a room who
//! took part. Stored and sent like a message.

use serde::{Deserialize, Serialize};

use super::CallKind;

/// A call's entry in the conversation, stored like a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallRecord {
    /// Voice or video.
    pub kind: CallKind,
    /// How it went.
    pub outcome: CallOutcome,
    /// In a room call: the names of everyone who took part, in the order they joined.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub participants: Vec<String>,
    /// A broadcast's entry: `participants` are its host, then who watched.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub broadcast: bool,
}

/// How a call went. On the wire `{"outcome":"missed"}` or
/// `{"outcome":"completed","seconds":12}`; decoded by hand (see below).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum CallOutcome {
    /// Nobody answered.
    Missed,
    /// The callee declined.
    Declined,
    /// The caller gave up before an answer.
    Cancelled,
    /// The callee was in another call.
    Busy,
    /// They talked for this long.
    Completed {
        /// Length in whole seconds.
        seconds: u32,
    },
}

/// The derived decoder of an internally tagged enum buffers the value into serde's `Content`
/// tree and decodes it again from there: about 5 KB of the web bundle for five names and a
/// number. This reads the two fields straight.
impl<'de> Deserialize<'de> for CallOutcome {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Wire {
            outcome: String,
            seconds: Option<u32>,
        }
        let w = Wire::deserialize(d)?;
        CallOutcome::named(&w.outcome, w.seconds)
    }
}

impl CallOutcome {
    /// The outcome called `outcome` (with `seconds`, which `completed` needs).
    pub(crate) fn named<E: serde::de::Error>(
        outcome: &str,
        seconds: Option<u32>,
    ) -> Result<Self, E> {
        Ok(match (outcome, seconds) {
            ("missed", _) => CallOutcome::Missed,
            ("declined", _) => CallOutcome::Declined,
            ("cancelled", _) => CallOutcome::Cancelled,
            ("busy", _) => CallOutcome::Busy,
            ("completed", Some(seconds)) => CallOutcome::Completed { seconds },
            ("completed", None) => return Err(E::missing_field("seconds")),
            (other, _) => {
                return Err(E::unknown_variant(
                    other,
                    &["missed", "declined", "cancelled", "busy", "completed"],
                ))
            }
        })
    }
}
