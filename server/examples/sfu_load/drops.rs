//! Datagrams the kernel dropped because a socket's receive buffer was full, from
//! `/proc/net/udp`: on the SFU's media port, and on every other UDP socket (the generator's).

/// (on `port`, on every other socket) so far.
pub fn udp_drops(port: u16) -> (u64, u64) {
    let table = std::fs::read_to_string("/proc/net/udp").unwrap_or_default();
    let (mut mine, mut others) = (0, 0);
    for line in table.lines().skip(1) {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let (Some(local), Some(drops)) = (fields.get(1), fields.last()) else {
            continue;
        };
        let local_port = local
            .rsplit_once(':')
            .and_then(|(_, p)| u16::from_str_radix(p, 16).ok());
        let drops: u64 = drops.parse().unwrap_or(0);
        if local_port == Some(port) {
            mine += drops;
        } else {
            others += drops;
        }
    }
    (mine, others)
}
