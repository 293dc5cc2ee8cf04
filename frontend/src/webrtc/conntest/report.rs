//! What the connection test found, in plain words (pure, so it is a host unit test).

/// One way media can travel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Path {
    /// Browser to browser on the same network (host candidates).
    Direct,
    /// Through one's own router, with the public address a STUN server saw.
    Stun,
    /// Through the TURN relay, over UDP.
    TurnUdp,
    /// Through the TURN relay, over TCP (for networks that block UDP).
    TurnTcp,
    /// A short call between two connections in this page, forced through the relay.
    RelayCall,
}

impl Path {
    /// The path's name for people.
    pub fn label(self) -> &'static str {
        match self {
            Path::Direct => "Direct connection",
            Path::Stun => "STUN (public address)",
            Path::TurnUdp => "TURN relay over UDP",
            Path::TurnTcp => "TURN relay over TCP",
            Path::RelayCall => "A call through the relay",
        }
    }

    /// A stable name for the page (`data-path`).
    pub fn key(self) -> &'static str {
        match self {
            Path::Direct => "direct",
            Path::Stun => "stun",
            Path::TurnUdp => "turn-udp",
            Path::TurnTcp => "turn-tcp",
            Path::RelayCall => "relay-call",
        }
    }
}

/// How one path fared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// It works; it took this long.
    Works {
        /// Milliseconds from the start of that check.
        ms: u32,
    },
    /// It does not, and why.
    Fails(String),
    /// This server gave no server for it.
    NotConfigured,
}

impl Outcome {
    /// The outcome for people.
    pub fn label(&self) -> String {
        match self {
            Outcome::Works { ms } => format!("works ({ms} ms)"),
            Outcome::Fails(why) => format!("fails: {why}"),
            Outcome::NotConfigured => "not offered by this server".into(),
        }
    }
}

/// A TURN or STUN server's refusal, from `icecandidateerror`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerError {
    /// The server's URL.
    pub url: String,
    /// The STUN error code (401: bad credentials; 701: no answer).
    pub code: u16,
    /// The browser's text.
    pub text: String,
}

/// Why no relay address came, from the errors the relays gave.
pub fn why_no_relay(errors: &[ServerError]) -> String {
    let relay_errors: Vec<String> = errors
        .iter()
        .filter(|e| e.url.starts_with("turn"))
        .map(|e| match e.code {
            401 => format!("{} refused Hearth's credentials (401)", e.url),
            701 => format!("{} did not answer (701)", e.url),
            code => format!("{}: {} ({code})", e.url, e.text),
        })
        .collect();
    if relay_errors.is_empty() {
        "the relay gave no address (its port may be blocked on this network)".into()
    } else {
        relay_errors.join("; ")
    }
}

/// The findings and the conclusion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// One per path, in the order of [`Path`].
    pub findings: Vec<(Path, Outcome)>,
    /// The conclusion, for people.
    pub verdict: String,
}

/// The conclusion from the findings: what matters is whether a call through the relay works.
pub fn verdict(findings: &[(Path, Outcome)]) -> String {
    let relay = findings
        .iter()
        .find(|(p, _)| *p == Path::RelayCall)
        .map(|(_, o)| o);
    match relay {
        Some(Outcome::Works { .. }) => "Calls to friends on other networks should work.".into(),
        Some(Outcome::Fails(why)) => {
            format!("Calls may fail because no relay is reachable: {why}.")
        }
        _ => "Calls may fail because no relay is reachable: this Hearth server offers no TURN \
              relay (its owner can start one with --coturn). Calls on the same network still work."
            .into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_working_relay_call_means_calls_should_work() {
        let f = vec![
            (Path::Direct, Outcome::Works { ms: 4 }),
            (Path::TurnUdp, Outcome::Works { ms: 40 }),
            (Path::RelayCall, Outcome::Works { ms: 230 }),
        ];
        assert_eq!(
            verdict(&f),
            "Calls to friends on other networks should work."
        );
        assert_eq!(f[1].1.label(), "works (40 ms)");
    }

    #[test]
    fn a_failing_relay_says_why() {
        let errors = vec![
            ServerError {
                url: "turn:127.0.0.1:3478?transport=udp".into(),
                code: 401,
                text: "Unauthorized".into(),
            },
            ServerError {
                url: "stun:stun.example.org".into(),
                code: 701,
                text: "timeout".into(),
            },
        ];
        let why = why_no_relay(&errors);
        assert_eq!(
            why,
            "turn:127.0.0.1:3478?transport=udp refused Hearth's credentials (401)"
        );
        let f = vec![(Path::RelayCall, Outcome::Fails(why))];
        assert!(verdict(&f).starts_with("Calls may fail because no relay is reachable: turn:"));
        assert!(why_no_relay(&[]).contains("port may be blocked"));
    }

    #[test]
    fn no_relay_at_all_is_said_plainly() {
        let f = vec![(Path::RelayCall, Outcome::NotConfigured)];
        assert!(verdict(&f).contains("offers no TURN relay"));
        assert_eq!(Outcome::NotConfigured.label(), "not offered by this server");
    }
}
