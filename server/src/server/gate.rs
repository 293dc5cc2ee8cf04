//! Caps on open connections, per client IP and in total, so one client (or a slowloris
//! script) cannot take every file descriptor. A connection holds a `Pass` for its whole
//! life; dropping it frees the place.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

/// Which cap refused a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Full {
    /// The server has `max_total` connections open.
    Total,
    /// This IP has `max_per_ip` connections open.
    PerIp,
}

#[derive(Default)]
struct Counts {
    total: usize,
    per_ip: HashMap<IpAddr, usize>,
}

/// Counts open connections against the two caps.
#[derive(Clone)]
pub struct Gate {
    counts: Arc<Mutex<Counts>>,
    max_total: usize,
    max_per_ip: usize,
}

/// One open connection's place.
pub struct Pass {
    ip: IpAddr,
    counts: Arc<Mutex<Counts>>,
}

impl Gate {
    /// At most `max_total` connections, `max_per_ip` of them from one address.
    pub fn new(max_total: usize, max_per_ip: usize) -> Gate {
        Gate {
            counts: Arc::default(),
            max_total,
            max_per_ip,
        }
    }

    /// A place for a new connection from `ip`, or the cap it hit.
    pub fn admit(&self, ip: IpAddr) -> Result<Pass, Full> {
        let mut c = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        if c.total >= self.max_total {
            return Err(Full::Total);
        }
        let mine = c.per_ip.entry(ip).or_default();
        if *mine >= self.max_per_ip {
            return Err(Full::PerIp);
        }
        *mine += 1;
        c.total += 1;
        Ok(Pass {
            ip,
            counts: self.counts.clone(),
        })
    }
}

impl Drop for Pass {
    fn drop(&mut self) {
        let mut c = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        c.total = c.total.saturating_sub(1);
        if let Some(n) = c.per_ip.get_mut(&self.ip) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                c.per_ip.remove(&self.ip);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(last: u8) -> IpAddr {
        IpAddr::from([10, 0, 0, last])
    }

    #[test]
    fn per_ip_and_total_caps_and_places_come_back() {
        let gate = Gate::new(3, 2);
        let a1 = gate.admit(ip(1)).expect("a1");
        let _a2 = gate.admit(ip(1)).expect("a2");
        assert_eq!(gate.admit(ip(1)).err(), Some(Full::PerIp));
        let _b1 = gate.admit(ip(2)).expect("b1");
        assert_eq!(gate.admit(ip(3)).err(), Some(Full::Total));
        drop(a1);
        assert!(
            gate.admit(ip(3)).is_ok(),
            "a closed connection frees its place"
        );
    }

    #[test]
    fn addresses_with_nothing_open_are_forgotten() {
        let gate = Gate::new(10, 10);
        drop(gate.admit(ip(9)));
        let c = gate.counts.lock().expect("lock");
        assert_eq!((c.total, c.per_ip.len()), (0, 0));
    }
}
