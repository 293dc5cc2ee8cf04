//! Phones on the same network: serving HTTPS on a non-loopback address, Hearth prints the
//! URL of each LAN interface and a QR code of the first one, to open on a phone by pointing
//! its camera at the terminal. (The certificate's fingerprint is printed beside it, to
//! compare with what the phone's browser shows.)

use std::net::{IpAddr, SocketAddr};

use qrcode::render::unicode::Dense1x2;
use qrcode::QrCode;

/// The addresses of this machine's interfaces (none if they cannot be read).
pub fn interface_ips() -> Vec<IpAddr> {
    if_addrs::get_if_addrs()
        .map(|all| all.into_iter().map(|i| i.ip()).collect())
        .unwrap_or_default()
}

/// Whether another device could reach `ip`: not loopback, not unspecified, not an IPv6
/// link-local address (it needs a zone that a URL cannot carry).
fn reachable(ip: &IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => !v4.is_loopback() && !v4.is_unspecified() && !v4.is_link_local(),
        IpAddr::V6(v6) => {
            !v6.is_loopback() && !v6.is_unspecified() && (v6.segments()[0] & 0xffc0) != 0xfe80
        }
    }
}

/// The URLs other devices can open for a server listening on `addr`: the address itself when
/// it is a specific one, else every reachable interface address, IPv4 first.
pub fn urls(addr: SocketAddr, interfaces: &[IpAddr]) -> Vec<String> {
    let ips: Vec<IpAddr> = if addr.ip().is_unspecified() {
        let mut ips: Vec<IpAddr> = interfaces
            .iter()
            .copied()
            .filter(reachable)
            .filter(|ip| addr.is_ipv6() || ip.is_ipv4())
            .collect();
        ips.sort_by_key(|ip| (ip.is_ipv6(), *ip));
        ips.dedup();
        ips
    } else {
        vec![addr.ip()].into_iter().filter(reachable).collect()
    };
    ips.into_iter()
        .map(|ip| format!("https://{}/", SocketAddr::new(ip, addr.port())))
        .collect()
}

/// A QR code of `text` for a terminal: two modules per character row, with its quiet zone.
pub fn qr(text: &str) -> Option<String> {
    let code = QrCode::new(text.as_bytes()).ok()?;
    Some(
        code.render::<Dense1x2>()
            .dark_color(Dense1x2::Light)
            .light_color(Dense1x2::Dark)
            .quiet_zone(true)
            .build(),
    )
}

/// What to print about other devices: the URLs, and a QR code of the first.
pub fn banner(urls: &[String]) -> String {
    let Some(first) = urls.first() else {
        return "No network interface besides loopback: other devices cannot reach Hearth.\n"
            .into();
    };
    let mut out = String::from("On your network (phones, other computers):\n");
    for u in urls {
        out.push_str(&format!("  {u}\n"));
    }
    if let Some(code) = qr(first) {
        out.push_str(&format!("Scan to open {first}:\n{code}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ips(list: &[&str]) -> Vec<IpAddr> {
        list.iter().map(|s| s.parse().expect("ip")).collect()
    }

    #[test]
    fn every_reachable_interface_of_an_unspecified_address() {
        let all = ips(&[
            "127.0.0.1",
            "192.168.1.5",
            "::1",
            "fe80::1",
            "fd00::2",
            "10.0.0.7",
        ]);
        assert_eq!(
            urls("0.0.0.0:8443".parse().expect("addr"), &all),
            ["https://10.0.0.7:8443/", "https://192.168.1.5:8443/"]
        );
        assert_eq!(
            urls("[::]:8443".parse().expect("addr"), &all),
            [
                "https://10.0.0.7:8443/",
                "https://192.168.1.5:8443/",
                "https://[fd00::2]:8443/"
            ]
        );
    }

    #[test]
    fn a_specific_address_is_the_only_url() {
        let all = ips(&["192.168.1.5", "10.0.0.7"]);
        assert_eq!(
            urls("192.168.1.5:8443".parse().expect("addr"), &all),
            ["https://192.168.1.5:8443/"]
        );
        assert!(urls("127.0.0.1:8443".parse().expect("addr"), &all).is_empty());
    }

    #[test]
    fn the_banner_lists_urls_and_draws_a_square_qr_code() {
        let list = vec!["https://192.168.1.5:8443/".to_owned()];
        let b = banner(&list);
        assert!(b.contains("  https://192.168.1.5:8443/\n"));
        let code = qr(&list[0]).expect("encodes");
        let rows: Vec<&str> = code.lines().collect();
        let width = rows[0].chars().count();
        assert!(
            rows.iter().all(|r| r.chars().count() == width),
            "a rectangle"
        );
        // Version 2 (25 modules) plus a 4-module quiet zone each side; two rows a line.
        assert_eq!(width, 33);
        assert_eq!(rows.len(), 17);
        assert!(b.contains(&code));
        assert!(banner(&[]).contains("No network interface"));
    }
}
