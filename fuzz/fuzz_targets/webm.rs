//! The recording indexer (MediaRecorder WebM made seekable), fed as the browser feeds it:
//! in chunks (the first byte picks the chunk size), then laid out. Any bytes: no panic, no
//! input slower than 100 ms.
#![no_main]

use hearth_frontend::webrtc::recording::webm::Indexer;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&size, data)) = data.split_first() else { return };
    let chunk = usize::from(size).max(1) * 64;
    let started = std::time::Instant::now();
    let mut indexer = Indexer::default();
    let fed = data.chunks(chunk).try_for_each(|c| indexer.push(c));
    if fed.is_ok() {
        let _ = indexer.finish();
    }
    let took = started.elapsed();
    assert!(took.as_millis() < 100, "{} bytes took {took:?}", data.len());
});
