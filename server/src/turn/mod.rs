//! Calls across networks: a TURN relay's time-limited credentials (the "TURN REST" scheme
//! that coturn's `use-auth-secret` checks), and coturn run as a child process (`--coturn`).

pub mod coturn;
pub mod credentials;

pub use credentials::{Secret, Turn};

use crate::config::Config;
use coturn::Coturn;
use credentials::RelayUrl;

/// The TURN relays to hand out: `--turn-url`s, or the coturn that `--coturn` starts.
pub fn from_config(config: &Config) -> Result<(Option<Turn>, Option<Coturn>), String> {
    let given = config.turn()?;
    if !config.coturn {
        return Ok((given, None));
    }
    if given.is_some() {
        return Err("use either --coturn or --turn-url, not both".into());
    }
    let listen = Some(config.addr.ip()).filter(|ip| !ip.is_unspecified());
    let opts = coturn::Options {
        port: config.coturn_port,
        listen,
        public_ip: config.public_ip,
        allow_loopback: config.coturn_allow_loopback,
    };
    let secret = coturn::secret_in(&config.data_dir)?;
    let urls = ["udp", "tcp"]
        .into_iter()
        .map(|transport| match config.public_ip {
            Some(ip) => RelayUrl::Fixed(format!(
                "turn:{}?transport={transport}",
                std::net::SocketAddr::new(ip, config.coturn_port)
            )),
            None => RelayUrl::SameHost {
                port: config.coturn_port,
                transport,
            },
        })
        .collect();
    let turn = Turn {
        urls,
        secret: secret.clone(),
        ttl: std::time::Duration::from_secs(config.turn_ttl),
    };
    let running = Coturn::start(&config.data_dir, &opts, secret)?;
    println!(
        "TURN relay: coturn on port {} (UDP and TCP)",
        config.coturn_port
    );
    Ok((Some(turn), Some(running)))
}
