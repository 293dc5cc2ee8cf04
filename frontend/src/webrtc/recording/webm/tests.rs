//! The WebM fix on real recordings made by Chromium's MediaRecorder (made with
//! `frontend/tests/fixtures/record.mjs`): a 3 s canvas picture with sound, and 2 s of sound.

use super::*;

const VIDEO: &[u8] = include_bytes!("../../../../tests/fixtures/recording-video.webm");
const AUDIO: &[u8] = include_bytes!("../../../../tests/fixtures/recording-audio.webm");

fn index(data: &[u8], chunk: usize) -> Result<Layout, WebmError> {
    let mut ix = Indexer::default();
    for c in data.chunks(chunk) {
        ix.push(c)?;
    }
    ix.finish()
}

/// The laid-out file, as the browser would stitch it.
fn assemble(layout: &Layout, original: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for p in &layout.parts {
        match p {
            Part::Bytes(b) => out.extend_from_slice(b),
            Part::Source { start, end } => {
                out.extend_from_slice(&original[*start as usize..*end as usize])
            }
        }
    }
    out
}

/// (id, offset of the header, body) of the elements that tile `b` exactly.
/// The picture's frames the indexer counts, fed `chunk` bytes at a time.
fn picture_frames(data: &[u8], chunk: usize) -> u64 {
    let mut ix = Indexer::default();
    for c in data.chunks(chunk) {
        ix.push(c).expect("a valid recording");
    }
    ix.cue_frames()
}

fn tile(b: &[u8], base: usize) -> Vec<(u32, usize, &[u8])> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < b.len() {
        let (eid, size, hl) = header(&b[at..])
            .expect("a valid header")
            .expect("a whole header");
        let size = size.expect("every size known") as usize;
        out.push((eid, base + at, &b[at + hl..at + hl + size]));
        at += hl + size;
    }
    assert_eq!(
        at,
        b.len(),
        "the elements end exactly where their parent does"
    );
    out
}

fn find<'a>(els: &[(u32, usize, &'a [u8])], want: u32) -> &'a [u8] {
    els.iter().find(|e| e.0 == want).expect("element present").2
}

struct Checked {
    duration_ms: f64,
    clusters: usize,
    cues: Vec<(u64, u64, u64)>,
}

/// Reads the fixed file strictly: every size known, the segment's size right, a Duration,
/// the SeekHead and every cue pointing at what they name.
fn check(out: &[u8]) -> Checked {
    let top = tile(out, 0);
    assert_eq!(
        top.iter().map(|e| e.0).collect::<Vec<_>>(),
        [id::EBML, id::SEGMENT]
    );
    let seg = top[1].2;
    let seg_start = out.len() - seg.len();
    let kids = tile(seg, 0);
    let order: Vec<u32> = kids.iter().take(4).map(|e| e.0).collect();
    assert_eq!(order, [id::SEEK_HEAD, id::INFO, id::TRACKS, id::CUES]);
    for (_, seek) in children(kids[0].2) {
        let target = uint(find(&tile(seek, 0), id::SEEK_ID)) as u32;
        let at = uint(find(&tile(seek, 0), id::SEEK_POSITION)) as usize;
        assert!(
            kids.iter().any(|k| k.0 == target && k.1 == at),
            "seek to {target:x}"
        );
    }
    let info = tile(kids[1].2, 0);
    let scale = uint(find(&info, id::TIMECODE_SCALE));
    assert_eq!(scale, 1_000_000);
    let duration = f64::from_be_bytes(
        find(&info, id::DURATION)
            .try_into()
            .expect("an 8-byte float"),
    );
    let mut cues = Vec::new();
    for (_, point) in tile(kids[3].2, 0).iter().map(|e| (e.0, e.2)) {
        let point = tile(point, 0);
        let pos = tile(find(&point, id::CUE_TRACK_POSITIONS), 0);
        let at = uint(find(&pos, id::CUE_CLUSTER_POSITION));
        let cluster = kids
            .iter()
            .find(|k| k.1 as u64 == at)
            .expect("cue on a cluster");
        assert_eq!(cluster.0, id::CLUSTER);
        assert_eq!(
            &out[seg_start + at as usize..][..4],
            &[0x1F, 0x43, 0xB6, 0x75]
        );
        cues.push((
            uint(find(&point, id::CUE_TIME)),
            uint(find(&pos, id::CUE_TRACK)),
            at,
        ));
    }
    let clusters = kids.iter().filter(|k| k.0 == id::CLUSTER).count();
    Checked {
        duration_ms: duration,
        clusters,
        cues,
    }
}

#[test]
fn a_video_recording_gets_its_duration_cues_and_sizes() {
    let layout = index(VIDEO, VIDEO.len()).expect("a valid recording");
    let out = assemble(&layout, VIDEO);
    let c = check(&out);
    // Recorded for 3 s: the last frame ends close to that.
    assert!(
        (2900.0..3300.0).contains(&layout.duration_ms),
        "{}",
        layout.duration_ms
    );
    assert_eq!(c.duration_ms, layout.duration_ms);
    assert_eq!(c.clusters, 6, "every cluster kept");
    // Cues on the picture (track 2 here), in order, starting at the beginning.
    assert!(!c.cues.is_empty());
    assert!(c.cues.iter().all(|q| q.1 == 2));
    assert_eq!(c.cues[0].0, 0);
    assert!(c
        .cues
        .windows(2)
        .all(|w| w[0].0 < w[1].0 && w[0].2 < w[1].2));
    // Only the header and the clusters' sizes are new: every frame's bytes are kept.
    let new: usize = layout
        .parts
        .iter()
        .map(|p| match p {
            Part::Bytes(b) => b.len(),
            Part::Source { .. } => 0,
        })
        .sum();
    assert_eq!(
        out.len() - new,
        VIDEO.len() - 206 - 6 * 12,
        "all but the old headers"
    );
}

#[test]
fn an_audio_recording_cues_on_its_sound() {
    let layout = index(AUDIO, AUDIO.len()).expect("a valid recording");
    let c = check(&assemble(&layout, AUDIO));
    assert!(
        (1900.0..2300.0).contains(&layout.duration_ms),
        "{}",
        layout.duration_ms
    );
    assert!(c.cues.len() >= 3, "{:?}", c.cues);
    assert!(c.cues.iter().all(|q| q.1 == 1));
}

#[test]
fn chunk_boundaries_do_not_matter() {
    let whole = index(VIDEO, VIDEO.len()).expect("a valid recording");
    for size in [1, 3, 11, 4096] {
        assert_eq!(
            index(VIDEO, size).expect("a valid recording"),
            whole,
            "chunks of {size}"
        );
    }
}

#[test]
fn fixing_twice_changes_nothing() {
    let once = assemble(&index(VIDEO, 1000).expect("a valid recording"), VIDEO);
    let twice_layout = index(&once, 1000).expect("a valid recording");
    assert_eq!(assemble(&twice_layout, &once), once);
}

#[test]
fn a_recording_cut_short_keeps_its_complete_frames() {
    // Cut in the middle of the last cluster's frames.
    let cut = &VIDEO[..VIDEO.len() - 300];
    let layout = index(cut, 4096).expect("a valid recording");
    let out = assemble(&layout, cut);
    let c = check(&out);
    assert_eq!(c.clusters, 6);
    assert!(out.len() < VIDEO.len() + 400);
    let full = index(VIDEO, 4096).expect("a valid recording").duration_ms;
    assert!(layout.duration_ms <= full && layout.duration_ms > full - 500.0);
}

#[test]
fn what_is_not_webm_is_refused() {
    assert_eq!(index(b"RIFF....WAVEfmt ", 16), Err(WebmError::NotWebm));
    assert_eq!(index(&VIDEO[..30], 30), Err(WebmError::Empty));
    assert_eq!(
        index(&[0x1A, 0x45, 0xDF, 0xA3, 0x00], 5).expect_err("malformed"),
        WebmError::Malformed
    );
}

/// What ffprobe says of a file: the format's duration, then each stream's packet count.
fn ffprobe(data: &[u8], name: &str) -> Vec<String> {
    let path = std::env::temp_dir().join(format!("hearth-{name}-{}.webm", std::process::id()));
    std::fs::write(&path, data).expect("a temporary file");
    let probe = std::process::Command::new("ffprobe")
        .args(["-v", "error", "-count_packets", "-of", "csv=p=0"])
        .args(["-show_entries", "format=duration:stream=nb_read_packets"])
        .arg(&path)
        .output()
        .expect("ffprobe (scripts/setup.sh --test installs ffmpeg)");
    std::fs::remove_file(&path).ok();
    assert!(
        probe.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&probe.stderr)
    );
    String::from_utf8_lossy(&probe.stdout)
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn ffprobe_reads_the_duration_and_every_frame() {
    let before = ffprobe(VIDEO, "before");
    assert_eq!(
        before.last().expect("a duration"),
        "N/A",
        "MediaRecorder writes no duration"
    );
    let layout = index(VIDEO, 4096).expect("a valid recording");
    let after = ffprobe(&assemble(&layout, VIDEO), "after");
    // The same packets in every stream.
    assert_eq!(before[..before.len() - 1], after[..after.len() - 1]);
    let secs: f64 = after.last().expect("a duration").parse().expect("a number");
    assert!((secs * 1000.0 - layout.duration_ms).abs() < 1.0, "{secs}");
}

#[test]
fn the_pictures_frames_are_counted_as_they_come() {
    let path = std::env::temp_dir().join(format!("hearth-count-{}.webm", std::process::id()));
    std::fs::write(&path, VIDEO).expect("a temporary file");
    let probe = std::process::Command::new("ffprobe")
        .args(["-v", "error", "-select_streams", "v", "-count_packets"])
        .args(["-show_entries", "stream=nb_read_packets", "-of", "csv=p=0"])
        .arg(&path)
        .output()
        .expect("ffprobe (scripts/setup.sh --test installs ffmpeg)");
    std::fs::remove_file(&path).ok();
    let frames: u64 = String::from_utf8_lossy(&probe.stdout)
        .trim()
        .parse()
        .expect("a count");
    assert!(frames > 30, "{frames}");
    for chunk in [1000, 4096, VIDEO.len()] {
        assert_eq!(picture_frames(VIDEO, chunk), frames, "in chunks of {chunk}");
    }
    // The sound alone is counted when there is no picture: it is what is cued on.
    assert!(picture_frames(AUDIO, 1000) > 0);
}

/// Found by `bench/fuzz.sh`: block times near the ends of `i64` overflowed the duration sum
/// (a panic in a debug build, a wrapped duration in the app). Its first byte is the fuzzer's
/// chunk size.
const TIME_OVERFLOW: &[u8] = include_bytes!("../../../../tests/fixtures/fuzz-time-overflow.bin");

#[test]
fn extreme_block_times_are_laid_out_without_a_panic() {
    let (size, data) = TIME_OVERFLOW.split_first().expect("bytes");
    let mut indexer = Indexer::default();
    let fed = data
        .chunks(usize::from(*size).max(1) * 64)
        .try_for_each(|c| indexer.push(c));
    if fed.is_ok() {
        let _ = indexer.finish();
    }
}
