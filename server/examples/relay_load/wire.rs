//! The two relays' wire formats: how a message goes out, how its id is read back, and what a
//! reader must answer by itself (socket.io's pings).

/// Milliseconds since 1970.
fn unix_ms() -> u64 {
    let since = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
    since.map_or(0, |d| d.as_millis() as u64)
}

/// Which relay a connection speaks to.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Relay {
    /// Hearth: a `post` stored and acknowledged, `posted` to both friends.
    Hearth,
    /// The socket.io seed: `message` emitted to the pair's room, stored nowhere.
    SocketIo,
}

impl Relay {
    pub fn name(self) -> &'static str {
        match self {
            Relay::Hearth => "hearth",
            Relay::SocketIo => "socket.io",
        }
    }

    /// Message `id` from one friend of pair `pair` (Hearth: in conversation `conv`). Its
    /// client id has the web app's shape and length: the time in 11 hex digits, then 32 more.
    pub fn message(self, id: u64, pair: u64, conv: u64) -> String {
        match self {
            Relay::Hearth => format!(
                r#"{{"domain":"chat","type":"post","req_id":{id},"conversation":{conv},"client_id":"{:011x}{id:032x}","text":"{id}"}}"#,
                unix_ms()
            ),
            Relay::SocketIo => format!(r#"42["message",{{"room":"p{pair}","k":{id}}}]"#),
        }
    }

    /// What a frame means to the load generator.
    pub fn read(self, frame: &str) -> Inbound {
        match self {
            Relay::Hearth => {
                if frame.contains(r#""type":"posted""#) {
                    number_after(frame, r#""text":""#).map_or(Inbound::Other, Inbound::Message)
                } else if frame.contains(r#""type":"error""#) {
                    Inbound::Error
                } else {
                    Inbound::Other
                }
            }
            Relay::SocketIo => {
                if frame == "2" {
                    Inbound::Ping
                } else if frame.starts_with(r#"42["message""#) {
                    number_after(frame, r#""k":"#).map_or(Inbound::Other, Inbound::Message)
                } else {
                    Inbound::Other
                }
            }
        }
    }

    /// What keeps an idle connection open: Hearth wants a `ping` from the client; socket.io
    /// pings and the reader answers.
    pub fn keepalive(self) -> Option<&'static str> {
        match self {
            Relay::Hearth => Some(r#"{"domain":"session","type":"ping"}"#),
            Relay::SocketIo => None,
        }
    }
}

/// A frame, as the generator sees it.
pub enum Inbound {
    Message(u64),
    Ping,
    Error,
    Other,
}

fn number_after(frame: &str, key: &str) -> Option<u64> {
    let at = frame.find(key)? + key.len();
    let digits = frame[at..].bytes().take_while(u8::is_ascii_digit).count();
    frame[at..at + digits].parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_come_back() {
        let posted = r#"{"domain":"chat","type":"posted","message":{"conversation":7,"seq":3,"author":1,"client_id":"m42","text":"42","sent_at_ms":1}}"#;
        assert!(matches!(Relay::Hearth.read(posted), Inbound::Message(42)));
        let emitted = r#"42["message",{"room":"p3","k":42}]"#;
        assert!(matches!(
            Relay::SocketIo.read(emitted),
            Inbound::Message(42)
        ));
        assert!(matches!(Relay::SocketIo.read("2"), Inbound::Ping));
    }
}
