//! The open-file limit: raised to its hard limit at start, and the connection cap derived
//! from it, so the server refuses connections before `accept` starts failing.

/// Descriptors kept for everything that is not a client connection: the listener, SQLite
/// and its WAL, coturn's pipes, static files being sent, the runtime's own.
pub const RESERVED: u64 = 128;

/// Raises the soft limit on open files to the hard limit; returns the limit now in force.
pub fn raise() -> u64 {
    match rlimit::getrlimit(rlimit::Resource::NOFILE) {
        Ok((_, hard)) => match rlimit::increase_nofile_limit(hard) {
            Ok(now) => now,
            Err(e) => {
                tracing::warn!("could not raise the open-file limit: {e}");
                rlimit::getrlimit(rlimit::Resource::NOFILE).map_or(1024, |(soft, _)| soft)
            }
        },
        Err(e) => {
            tracing::warn!("could not read the open-file limit: {e}");
            1024
        }
    }
}

/// The most connections that fit under `limit` descriptors (at least 16).
pub fn connection_cap(limit: u64) -> usize {
    usize::try_from(limit.saturating_sub(RESERVED).max(16)).unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_leaves_room_for_the_rest() {
        assert_eq!(connection_cap(1024), 896);
        assert_eq!(connection_cap(100), 16);
    }
}
