//! The server's decoder of client frames (`ClientMsg`, serde_json): any bytes, no panic, no
//! input slower than 100 ms (allocation is capped by libFuzzer's `-malloc_limit_mb`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let started = std::time::Instant::now();
    let _ = serde_json::from_str::<hearth_shared::ClientMsg>(text);
    let took = started.elapsed();
    assert!(took.as_millis() < 100, "{} bytes took {took:?}", data.len());
});
