//! Password hashing keeps memory bounded: 500 hashes, 64 at a time as a sign-up flood
//! would ask for them, leave the process within 100 MB of where it started. (Its own test
//! binary: the figure is this process's resident set.)

use hearth_server::auth::password::{HashError, Hasher};

/// This process's resident set in MiB, from /proc.
fn rss_mib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let kib: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS");
    kib / 1024
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn five_hundred_hashes_stay_within_100_mb() {
    let hasher = Hasher::new(2, 64);
    let before = rss_mib();
    let mut peak = before;
    let mut done = 0;
    while done < 500 {
        let wave: Vec<_> = (0..64)
            .map(|i| {
                let h = hasher.clone();
                tokio::spawn(async move { h.hash(format!("password-{i}")).await })
            })
            .collect();
        for job in wave {
            match job.await.expect("task") {
                Ok(_) => done += 1,
                Err(HashError::Busy) => {}
                Err(e) => panic!("hash failed: {e}"),
            }
        }
        peak = peak.max(rss_mib());
    }
    let after = rss_mib();
    eprintln!("RSS {before} MiB before, peak {peak} MiB, {after} MiB after {done} hashes");
    assert!(
        peak - before <= 100,
        "RSS grew from {before} to {peak} MiB over {done} hashes"
    );
}
