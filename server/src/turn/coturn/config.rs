//! coturn's configuration as Hearth writes it (`--coturn`), the same as
//! `deploy/coturn.conf` (a test compares them), and the secret made once in the data folder.

use std::net::IpAddr;
use std::path::Path;

use crate::turn::Secret;

/// What the relay's configuration depends on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// UDP and TCP port for TURN.
    pub port: u16,
    /// The address to listen and relay on; `None` for every interface.
    pub listen: Option<IpAddr>,
    /// The public address of a server behind NAT (`--public-ip`).
    pub public_ip: Option<IpAddr>,
    /// Lift the loopback ban (tests only).
    pub allow_loopback: bool,
}

/// Peer ranges the relay never sends to: the private, loopback, link-local and other
/// special-purpose ranges, so a TURN credential cannot be used to reach the server's own
/// network (the SSRF advice of coturn's security notes). Loopback comes first so tests can
/// drop it.
pub const DENIED_PEERS: &[(&str, &str)] = &[
    ("127.0.0.0-127.255.255.255", "loopback"),
    ("::1", "IPv6 loopback"),
    ("0.0.0.0-0.255.255.255", "\"this\" network"),
    ("10.0.0.0-10.255.255.255", "private"),
    ("100.64.0.0-100.127.255.255", "carrier-grade NAT"),
    (
        "169.254.0.0-169.254.255.255",
        "link-local (cloud metadata lives here)",
    ),
    ("172.16.0.0-172.31.255.255", "private"),
    ("192.0.0.0-192.0.0.255", "IETF protocol assignments"),
    ("192.0.2.0-192.0.2.255", "documentation"),
    ("192.88.99.0-192.88.99.255", "6to4 relay anycast"),
    ("192.168.0.0-192.168.255.255", "private"),
    ("198.18.0.0-198.19.255.255", "benchmarking"),
    ("198.51.100.0-198.51.100.255", "documentation"),
    ("203.0.113.0-203.0.113.255", "documentation"),
    ("224.0.0.0-255.255.255.255", "multicast and reserved"),
    ("::ffff:0.0.0.0-::ffff:255.255.255.255", "IPv4-mapped IPv6"),
    ("64:ff9b::-64:ff9b::ffff:ffff", "NAT64"),
    ("100::-100::ffff:ffff:ffff:ffff", "discard-only"),
    (
        "2001::-2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff",
        "IETF protocol assignments",
    ),
    ("2002::-2002:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "6to4"),
    (
        "fc00::-fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
        "unique local",
    ),
    (
        "fe80::-febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
        "link-local",
    ),
];

/// Whether `ip` lies in a range the relay refuses (so a relay on a LAN address must allow
/// its own address for two relayed browsers to reach each other).
fn is_special(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_private() || v4.is_loopback() || v4.is_link_local(),
        IpAddr::V6(v6) => v6.is_loopback() || (v6.segments()[0] & 0xfe00) == 0xfc00,
    }
}

/// The configuration file's text. `pid_file` is where coturn writes its process id.
pub fn config(opts: &Options, secret: &Secret, pid_file: &Path) -> String {
    let mut c = String::from(
        "# Written by Hearth on every start (--coturn); changes here are overwritten.\n\
         # deploy/coturn.conf explains each line.\n",
    );
    let mut line = |l: String| {
        c.push_str(&l);
        c.push('\n');
    };
    line(format!("listening-port={}", opts.port));
    if let Some(ip) = opts.listen {
        line(format!("listening-ip={ip}"));
        line(format!("relay-ip={ip}"));
        if is_special(ip) {
            line(format!("allowed-peer-ip={ip}"));
        }
    }
    if let Some(public) = opts.public_ip {
        match opts.listen {
            Some(private) if private != public => line(format!("external-ip={public}/{private}")),
            _ => line(format!("external-ip={public}")),
        }
    }
    for fixed in [
        "realm=hearth",
        "use-auth-secret",
        "fingerprint",
        "no-multicast-peers",
        "no-tcp-relay",
        "no-tls",
        "no-dtls",
        "no-cli",
        "no-software-attribute",
        "user-quota=12",
        "total-quota=1200",
        "max-bps=3000000",
        "stale-nonce=600",
        "min-port=49152",
        "max-port=65535",
        "log-file=stdout",
        "simple-log",
    ] {
        line(fixed.to_owned());
    }
    line(format!("static-auth-secret={}", secret.expose()));
    line(format!("pidfile={}", pid_file.display()));
    // coturn opens a user database even with use-auth-secret; keep it beside the rest.
    if let Some(dir) = pid_file.parent().filter(|d| !d.as_os_str().is_empty()) {
        line(format!("userdb={}", dir.join("coturn-users.db").display()));
    }
    let skip = if opts.allow_loopback { 2 } else { 0 };
    if opts.allow_loopback {
        line("allow-loopback-peers".to_owned());
    }
    for (range, _) in &DENIED_PEERS[skip..] {
        line(format!("denied-peer-ip={range}"));
    }
    c
}

/// The secret in `dir/coturn-secret`, made (32 random bytes, hex) on first use and readable
/// by the owner only.
pub fn secret_in(dir: &Path) -> Result<Secret, String> {
    let path = dir.join("coturn-secret");
    match std::fs::read_to_string(&path) {
        Ok(s) => Secret::new(&s),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let mut bytes = [0u8; 32];
            getrandom::fill(&mut bytes).map_err(|e| format!("no randomness: {e}"))?;
            let value = hex::encode(bytes);
            write_private(&path, &value)?;
            Secret::new(&value)
        }
        Err(e) => Err(format!("cannot read {}: {e}", path.display())),
    }
}

pub(super) fn write_private(path: &Path, text: &str) -> Result<(), String> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    opts.open(path)
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts() -> Options {
        Options {
            port: 3478,
            listen: None,
            public_ip: None,
            allow_loopback: false,
        }
    }

    fn lines(c: &str) -> Vec<&str> {
        c.lines().filter(|l| !l.starts_with('#')).collect()
    }

    #[test]
    fn the_configuration_is_hardened() {
        let secret = Secret::new("s3cr3t").expect("secret");
        let c = config(&opts(), &secret, Path::new("/d/coturn.pid"));
        let l = lines(&c);
        for must in [
            "listening-port=3478",
            "use-auth-secret",
            "static-auth-secret=s3cr3t",
            "no-multicast-peers",
            "no-tcp-relay",
            "no-cli",
            "user-quota=12",
            "total-quota=1200",
            "denied-peer-ip=127.0.0.0-127.255.255.255",
            "denied-peer-ip=10.0.0.0-10.255.255.255",
            "denied-peer-ip=172.16.0.0-172.31.255.255",
            "denied-peer-ip=192.168.0.0-192.168.255.255",
            "denied-peer-ip=169.254.0.0-169.254.255.255",
            "denied-peer-ip=fe80::-febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
            "pidfile=/d/coturn.pid",
        ] {
            assert!(l.contains(&must), "missing {must:?} in\n{c}");
        }
        assert!(!l.iter().any(|x| x.starts_with("allow-loopback-peers")));
        assert!(!l.iter().any(|x| x.starts_with("listening-ip")));
        assert!(!l.iter().any(|x| x.starts_with("external-ip")));
    }

    #[test]
    fn deploy_coturn_conf_is_the_same_configuration() {
        let deploy = include_str!("../../../../deploy/coturn.conf");
        let theirs: std::collections::BTreeSet<&str> = lines(deploy)
            .into_iter()
            .filter(|l| !l.is_empty() && !l.starts_with("static-auth-secret="))
            .collect();
        let secret = Secret::new("s").expect("secret");
        let generated = config(&opts(), &secret, Path::new(""));
        let ours: std::collections::BTreeSet<&str> = lines(&generated)
            .into_iter()
            .filter(|l| !l.starts_with("static-auth-secret=") && !l.starts_with("pidfile="))
            .collect();
        assert_eq!(
            ours, theirs,
            "deploy/coturn.conf and the --coturn configuration differ"
        );
    }

    #[test]
    fn loopback_is_allowed_only_when_asked() {
        let secret = Secret::new("s").expect("secret");
        let o = Options {
            listen: Some("127.0.0.1".parse().expect("ip")),
            allow_loopback: true,
            ..opts()
        };
        let c = config(&o, &secret, Path::new("p"));
        let l = lines(&c);
        assert!(l.contains(&"allow-loopback-peers"));
        assert!(l.contains(&"listening-ip=127.0.0.1"));
        assert!(l.contains(&"relay-ip=127.0.0.1"));
        assert!(!l.iter().any(|x| x.starts_with("denied-peer-ip=127.")));
        assert!(l.contains(&"denied-peer-ip=192.168.0.0-192.168.255.255"));
    }

    #[test]
    fn a_server_behind_nat_announces_its_public_address() {
        let secret = Secret::new("s").expect("secret");
        let o = Options {
            listen: Some("192.168.1.5".parse().expect("ip")),
            public_ip: Some("203.0.113.9".parse().expect("ip")),
            ..opts()
        };
        let c = config(&o, &secret, Path::new("p"));
        let l = lines(&c);
        assert!(l.contains(&"external-ip=203.0.113.9/192.168.1.5"));
        // Two browsers both relayed reach each other through the relay's own LAN address.
        assert!(l.contains(&"allowed-peer-ip=192.168.1.5"));
    }

    #[test]
    fn the_secret_is_made_once_and_private() {
        let dir = tempfile::tempdir().expect("dir");
        let a = secret_in(dir.path()).expect("made");
        let b = secret_in(dir.path()).expect("read");
        assert_eq!(a, b);
        assert_eq!(a.expose().len(), 64);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("coturn-secret"))
                .expect("meta")
                .permissions()
                .mode();
            assert_eq!(mode & 0o077, 0, "only the owner reads the secret");
        }
    }
}
