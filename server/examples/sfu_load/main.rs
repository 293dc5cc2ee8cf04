//! Benchmark: Hearth's SFU forwarding video between synthetic participants (str0m clients, no
//! browser), the SFU in a process of its own pinned to one core (`--server-core`), this
//! generator on another (start it under `taskset`; `bench/sfu.sh` does). Every participant
//! publishes one camera of about 500 kbit/s at 30 frames a second and receives every other
//! participant's of its call, so a call of k has k(k-1) video downtracks.
//!
//! 1. Per participant: one call of 5, 10, then 20 (each in a fresh SFU): the SFU's CPU and
//!    resident memory above idle, per participant, and the frames' delay.
//! 2. Capacity: calls of `--call-size` added step by step until the downtracks reach each
//!    target of `--targets`; per step the frames' delay from the publisher's send to the
//!    subscriber's receipt (p50 / p99 / max), frames missing, the SFU's CPU and memory, and
//!    the generator's own CPU and send lag: a step where the generator, not the SFU, could
//!    not keep up is marked `*`. The answer is the most downtracks forwarded with p99 under
//!    20 ms and no frame missing.
//! 3. Broadcast (issue 13): one host publishing `--broadcast-kbps` (2,500) and viewers that
//!    only receive (they offer a data channel; `Sfu::offer_to_watch`), added step by step to
//!    each count of `--viewers`; per step the same figures, then one more viewer alone: the
//!    time from its offer to its first frame with that many already watching. The answer is
//!    the most viewers held with p99 under 20 ms and no frame missing.
//!
//! Usage: sfu_load [--server-core 0] [--seconds 5] [--call-size 6]
//!        [--targets 150,300,...] [--sizes 5,10,20] [--viewers 100,200,...]
//!        [--broadcast-kbps 2500] [--only per,capacity,broadcast]

mod client;
mod drops;
mod pipe;
#[path = "../relay_load/procstat.rs"]
mod procstat;
mod serve;
mod stats;
mod step;

use std::sync::Arc;
use std::time::Duration;

use client::Role;
use pipe::Pipe;
use stats::{percentile_ms, Stats};
use step::{Fleet, Step};

/// Forwarding "held" below this p99 (ms) with no frame missing.
const GOAL_P99_MS: f64 = 20.0;

struct Args {
    core: String,
    seconds: u64,
    call_size: usize,
    targets: Vec<usize>,
    sizes: Vec<usize>,
    viewers: Vec<usize>,
    broadcast_kbps: usize,
    only: Vec<String>,
}

fn args() -> Args {
    let mut a = Args {
        core: "0".into(),
        seconds: 5,
        call_size: 6,
        targets: vec![300, 600, 900, 1200, 1350, 1500, 1650, 1800, 2100],
        sizes: vec![5, 10, 20],
        viewers: vec![50, 100, 200, 300, 400, 600, 800],
        broadcast_kbps: 2500,
        only: vec!["per".into(), "capacity".into(), "broadcast".into()],
    };
    let list =
        |v: &str| -> Vec<usize> { v.split(',').map(|n| n.parse().expect("a number")).collect() };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        if flag == "--serve" {
            continue;
        }
        let v = it.next().unwrap_or_default();
        match flag.as_str() {
            "--server-core" => a.core = v,
            "--seconds" => a.seconds = v.parse().expect("--seconds"),
            "--call-size" => a.call_size = v.parse().expect("--call-size"),
            "--targets" => a.targets = list(&v),
            "--sizes" => a.sizes = list(&v),
            "--viewers" => a.viewers = list(&v),
            "--broadcast-kbps" => a.broadcast_kbps = v.parse().expect("--broadcast-kbps"),
            "--only" => a.only = v.split(',').map(str::to_owned).collect(),
            other => panic!("unknown flag {other}"),
        }
    }
    a
}

fn main() {
    if std::env::args().any(|a| a == "--serve") {
        serve::serve();
        return;
    }
    let a = args();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let part = |p: &str| a.only.iter().any(|o| o == p);
    rt.block_on(async {
        if part("per") {
            per_participant(&a).await;
        }
        if part("capacity") {
            capacity(&a).await;
        }
        if part("broadcast") {
            broadcast(&a).await;
        }
    });
}

/// One call of each size in `--sizes`, each in a fresh SFU.
async fn per_participant(a: &Args) {
    println!(
        "Per participant: one call, everyone publishing 500 kbit/s video, SFU on core {}",
        a.core
    );
    println!("{:>6} {}", "people", Step::HEADER);
    for &n in &a.sizes {
        let pipe = Pipe::start(&a.core);
        let idle = procstat::rss_mib(pipe.pid);
        let mut fleet = Fleet::new(pipe.clone(), Arc::new(Stats::default()));
        fleet.add_call(n);
        let step = fleet
            .measure(n * (n - 1), Duration::from_secs(a.seconds))
            .await;
        println!("{n:>6} {}", step.row());
        println!(
            "       per participant: SFU CPU {:.1}% of a core, memory {:.2} MiB (RSS {:.1} MiB above idle {:.1} MiB)",
            step.server_cpu * 100.0 / n as f64,
            (step.server_rss - idle) / n as f64,
            step.server_rss - idle,
            idle
        );
        fleet.stop().await;
        pipe.stop();
    }
}

/// Calls of `--call-size` added until each target of downtracks.
async fn capacity(a: &Args) {
    let k = a.call_size;
    let per_call = k * (k - 1);
    println!();
    println!(
        "Capacity: calls of {k} ({per_call} downtracks each) added step by step, {} s a step, SFU on core {}",
        a.seconds, a.core
    );
    println!("{:>6} {}", "calls", Step::HEADER);
    let pipe = Pipe::start(&a.core);
    let mut fleet = Fleet::new(pipe.clone(), Arc::new(Stats::default()));
    let mut held = 0;
    let mut first_failed = None;
    for &target in &a.targets {
        let calls = target.div_ceil(per_call);
        while fleet.calls < calls {
            fleet.add_call(k);
        }
        let step = fleet
            .measure(calls * per_call, Duration::from_secs(a.seconds))
            .await;
        println!("{calls:>6} {}", step.row());
        if tally(&step, &mut held, &mut first_failed) {
            break;
        }
    }
    fleet.stop().await;
    pipe.stop();
    println!();
    println!(
        "held p99 < {GOAL_P99_MS} ms with no frame missing up to {held} downtracks on one core; first step over: {}",
        first_failed.map_or("not reached".into(), |d| format!("{d} downtracks"))
    );
    println!("for comparison (published figures): mediasoup ~500 consumers per core, Jitsi Videobridge ~1,250 streams per core; goal 1,500");
}

/// One broadcast, viewers added until each count of `--viewers`.
async fn broadcast(a: &Args) {
    let bytes = a.broadcast_kbps * 1000 / 8 / 30;
    println!();
    println!(
        "Broadcast: one host publishing {} kbit/s at 30 frames a second, viewers (receive only) added step by step, {} s a step, SFU on core {}",
        a.broadcast_kbps, a.seconds, a.core
    );
    println!("{:>7} {}", "viewers", Step::HEADER);
    let pipe = Pipe::start(&a.core);
    let stats = Arc::new(Stats::default());
    let mut fleet = Fleet::new(pipe.clone(), stats.clone());
    fleet.add("live".into(), Role::Publish(bytes));
    let (mut viewers, mut held, mut first_failed) = (0, 0, None);
    let (mut late, mut driven) = (Vec::new(), false);
    for &target in &a.viewers {
        while viewers < target {
            fleet.add("live".into(), Role::Watch);
            viewers += 1;
        }
        let step = fleet.measure(viewers, Duration::from_secs(a.seconds)).await;
        let mut firsts = stats.take_firsts();
        println!("{viewers:>7} {}", step.row());
        driven |= !step.generator_bound();
        println!(
            "        the {} who joined at once: offer -> first frame p50 {:.0} ms, p99 {:.0} ms",
            firsts.len(),
            percentile_ms(&mut firsts, 50.0),
            percentile_ms(&mut firsts, 99.0)
        );
        if tally(&step, &mut held, &mut first_failed) {
            break;
        }
        // One more, alone: what a viewer who clicks "Watch" now waits.
        fleet.add("live".into(), Role::Watch);
        viewers += 1;
        let ms = first_frame_alone(&stats).await;
        late.push(ms);
        println!("        one more viewer alone: offer -> first frame {ms:.0} ms");
    }
    fleet.stop().await;
    pipe.stop();
    println!();
    println!(
        "held p99 < {GOAL_P99_MS} ms with no frame missing up to {held} viewers of one {} kbit/s broadcast on one core; first step over: {}",
        a.broadcast_kbps,
        first_failed.map_or("not reached".into(), |d| format!("{d} viewers"))
    );
    if !driven {
        println!("(every step marked *: the viewers' side, on its one core, fell behind first; the SFU's CPU per viewer is the figure to read)");
    }
    let mut us: Vec<u32> = late.iter().map(|ms| (ms * 1000.0) as u32).collect();
    println!(
        "a late viewer's offer -> first frame: median {:.0} ms over {} steps",
        percentile_ms(&mut us, 50.0),
        us.len()
    );
}

/// The time (ms) the one viewer just added waited for its first frame (NaN: none within 10 s).
async fn first_frame_alone(stats: &Stats) -> f64 {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while std::time::Instant::now() < deadline {
        if let Some(us) = stats.take_firsts().first() {
            return f64::from(*us) / 1000.0;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    f64::NAN
}

/// Counts `step` in: the most held so far, the first that was not. True: saturated, stop.
fn tally(step: &Step, held: &mut usize, first_failed: &mut Option<usize>) -> bool {
    if step.held(GOAL_P99_MS) && !step.generator_bound() {
        *held = (*held).max(step.downtracks);
    } else if !step.held(GOAL_P99_MS) && first_failed.is_none() {
        *first_failed = Some(step.downtracks);
    }
    step.saturated()
}
