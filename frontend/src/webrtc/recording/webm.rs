//! MediaRecorder's WebM made seekable, with its duration in the header. The browser writes a
//! live stream: a segment and clusters of unknown size, no duration and no index, so players
//! show no length and cannot seek. [`Indexer`] reads the recording chunk by chunk as it is
//! made, keeping only its structure (the header, where each cluster is, its keyframes), and
//! [`Indexer::finish`] lays the file out again: the same header with a `Duration`, a
//! `SeekHead`, `Cues` for every cluster, and every cluster with its size. The clusters'
//! bytes are never copied here: the layout names ranges of the original, which the browser
//! stitches into a new file. Pure Rust, no browser: tested on the host on real recordings.

/// Element ids (Matroska/WebM).
mod id {
    pub const EBML: u32 = 0x1A45_DFA3;
    pub const SEGMENT: u32 = 0x1853_8067;
    pub const SEEK_HEAD: u32 = 0x114D_9B74;
    pub const SEEK: u32 = 0x4DBB;
    pub const SEEK_ID: u32 = 0x53AB;
    pub const SEEK_POSITION: u32 = 0x53AC;
    pub const INFO: u32 = 0x1549_A966;
    pub const TIMECODE_SCALE: u32 = 0x2A_D7B1;
    pub const DURATION: u32 = 0x4489;
    pub const TRACKS: u32 = 0x1654_AE6B;
    pub const TRACK_ENTRY: u32 = 0xAE;
    pub const TRACK_NUMBER: u32 = 0xD7;
    pub const TRACK_TYPE: u32 = 0x83;
    pub const CLUSTER: u32 = 0x1F43_B675;
    pub const TIMECODE: u32 = 0xE7;
    pub const SIMPLE_BLOCK: u32 = 0xA3;
    pub const BLOCK_GROUP: u32 = 0xA0;
    pub const BLOCK: u32 = 0xA1;
    pub const REFERENCE_BLOCK: u32 = 0xFB;
    pub const CUES: u32 = 0x1C53_BB6B;
    pub const CUE_POINT: u32 = 0xBB;
    pub const CUE_TIME: u32 = 0xB3;
    pub const CUE_TRACK_POSITIONS: u32 = 0xB7;
    pub const CUE_TRACK: u32 = 0xF7;
    pub const CUE_CLUSTER_POSITION: u32 = 0xF1;
    pub const TAGS: u32 = 0x1254_C367;
    pub const CHAPTERS: u32 = 0x1043_A770;
    pub const ATTACHMENTS: u32 = 0x1941_A469;
}

/// Why a recording could not be laid out again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebmError {
    /// It does not start like WebM.
    NotWebm,
    /// An element's size or id is malformed.
    Malformed,
    /// It ends before the header or the first frame.
    Empty,
}

impl WebmError {
    /// For people.
    pub fn message(self) -> &'static str {
        match self {
            WebmError::NotWebm => "The recording is not a WebM file.",
            WebmError::Malformed => "The recording is damaged.",
            WebmError::Empty => "The recording holds no picture or sound.",
        }
    }
}

/// One piece of the laid-out file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// New bytes.
    Bytes(Vec<u8>),
    /// The original recording's bytes `start..end`.
    Source { start: u64, end: u64 },
}

/// The file laid out again.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// The parts, in order.
    pub parts: Vec<Part>,
    /// Its length, in milliseconds.
    pub duration_ms: f64,
}

/// An open master element.
#[derive(Debug, Clone, Copy)]
struct Open {
    id: u32,
    end: Option<u64>,
}

#[derive(Debug, Clone)]
struct Cluster {
    /// Where its children start in the original.
    body: u64,
    /// Where its last complete child ends.
    complete_to: u64,
    timecode: i64,
    /// The first keyframe of the cue track: its time.
    key: Option<i64>,
}

#[derive(Debug, Clone, Copy)]
struct TrackTimes {
    number: u64,
    last: i64,
    gap: i64,
}

/// Reads a recording as it grows. Feed the chunks in order with [`Indexer::push`].
#[derive(Debug, Default)]
pub struct Indexer {
    /// Bytes read but not consumed yet.
    pending: Vec<u8>,
    /// Offset in the recording of `pending[0]`.
    pos: u64,
    /// Bytes of the current element still to pass over.
    skip: u64,
    open: Vec<Open>,
    ebml: Option<Vec<u8>>,
    /// The children of `Info`.
    info: Option<Vec<u8>>,
    /// The whole `Tracks` element.
    tracks: Option<Vec<u8>>,
    scale_ns: u64,
    cue_track: u64,
    clusters: Vec<Cluster>,
    times: Vec<TrackTimes>,
    /// Inside a `BlockGroup`: its block (track, time) and whether it refers to another.
    group: Option<(u64, i64)>,
    group_refers: bool,
    /// The block being read (track, time, keyframe), counted once it is complete.
    current: Option<(u64, i64, bool)>,
}

/// An element's header: id, body size (None: unknown), header length.
type Header = (u32, Option<u64>, usize);

/// A variable-length integer at the start of `b`: (value with the marker kept or not, length).
fn vint(b: &[u8], keep_marker: bool) -> Result<Option<(u64, usize)>, WebmError> {
    let Some(&first) = b.first() else {
        return Ok(None);
    };
    let len = first.leading_zeros() as usize + 1;
    if len > 8 {
        return Err(WebmError::Malformed);
    }
    if b.len() < len {
        return Ok(None);
    }
    let mut v = if keep_marker {
        u64::from(first)
    } else {
        u64::from(first) & (0xFF >> len)
    };
    for &x in &b[1..len] {
        v = (v << 8) | u64::from(x);
    }
    Ok(Some((v, len)))
}

fn header(b: &[u8]) -> Result<Option<Header>, WebmError> {
    let Some((id, il)) = vint(b, true)? else {
        return Ok(None);
    };
    if il > 4 {
        return Err(WebmError::Malformed);
    }
    let Some((size, sl)) = vint(&b[il..], false)? else {
        return Ok(None);
    };
    let unknown = size == (1u64 << (7 * sl)) - 1;
    Ok(Some((id as u32, (!unknown).then_some(size), il + sl)))
}

fn uint(b: &[u8]) -> u64 {
    b.iter().fold(0, |v, &x| (v << 8) | u64::from(x))
}

/// The children of a complete master element's body: (id, body).
fn children(mut b: &[u8]) -> impl Iterator<Item = (u32, &[u8])> {
    std::iter::from_fn(move || {
        let (id, size, hl) = header(b).ok()??;
        let end = hl.checked_add(usize::try_from(size?).ok()?)?;
        let body = b.get(hl..end)?;
        b = &b[end..];
        Some((id, body))
    })
}

fn is_top_level(id: u32) -> bool {
    matches!(
        id,
        id::SEEK_HEAD
            | id::INFO
            | id::TRACKS
            | id::CLUSTER
            | id::CUES
            | id::TAGS
            | id::CHAPTERS
            | id::ATTACHMENTS
            | id::EBML
            | id::SEGMENT
    )
}

impl Indexer {
    /// Reads the next chunk of the recording.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), WebmError> {
        let mut pending = std::mem::take(&mut self.pending);
        pending.extend_from_slice(chunk);
        let used = self.parse(&pending)?;
        pending.drain(..used);
        self.pending = pending;
        Ok(())
    }

    fn top(&self) -> Option<u32> {
        self.open.last().map(|o| o.id)
    }

    /// Consumes what it can of `pending`; returns how many bytes.
    fn parse(&mut self, pending: &[u8]) -> Result<usize, WebmError> {
        let mut at = 0usize;
        loop {
            // Close the masters that end here.
            while let Some(o) = self.open.last().copied() {
                if o.end != Some(self.pos) {
                    break;
                }
                self.close();
            }
            let rest = &pending[at..];
            if self.skip > 0 {
                let n = self.skip.min(rest.len() as u64);
                at += n as usize;
                self.pos += n;
                self.skip -= n;
                if self.skip > 0 {
                    return Ok(at);
                }
                self.child_done();
                continue;
            }
            let Some((eid, size, hl)) = header(rest)? else {
                return Ok(at);
            };
            if self.pos == 0 && eid != id::EBML {
                return Err(WebmError::NotWebm);
            }
            // A cluster of unknown size ends where the next top-level element starts.
            if self.top() == Some(id::CLUSTER) && is_top_level(eid) {
                self.close();
                continue;
            }
            let body_start = self.pos + hl as u64;
            let master = matches!(
                (self.top(), eid),
                (None, id::SEGMENT)
                    | (Some(id::SEGMENT), id::CLUSTER)
                    | (Some(id::CLUSTER), id::BLOCK_GROUP)
            );
            if master {
                if eid == id::CLUSTER {
                    self.clusters.push(Cluster {
                        body: body_start,
                        complete_to: body_start,
                        timecode: 0,
                        key: None,
                    });
                }
                if eid == id::BLOCK_GROUP {
                    self.group = None;
                    self.group_refers = false;
                }
                self.open.push(Open {
                    id: eid,
                    end: size.map(|s| body_start + s),
                });
                at += hl;
                self.pos = body_start;
                continue;
            }
            let Some(size) = size else {
                return Err(WebmError::Malformed);
            };
            // What is needed of the body: all of it, its first bytes, or nothing.
            let wanted = match (self.top(), eid) {
                (None, id::EBML)
                | (Some(id::SEGMENT), id::INFO | id::TRACKS)
                | (Some(id::CLUSTER), id::TIMECODE) => size,
                (Some(id::CLUSTER), id::SIMPLE_BLOCK) | (Some(id::BLOCK_GROUP), id::BLOCK) => {
                    size.min(11)
                }
                _ => 0,
            };
            let need = hl + wanted as usize;
            if rest.len() < need {
                return Ok(at);
            }
            let body = &rest[hl..need];
            self.element(eid, body)?;
            let whole = hl as u64 + size;
            let here = whole.min(rest.len() as u64);
            at += here as usize;
            self.pos += here;
            self.skip = whole - here;
            if self.skip == 0 {
                self.child_done();
            }
        }
    }

    /// Takes what matters from an element: `body` is as much of it as `parse` wanted.
    fn element(&mut self, eid: u32, body: &[u8]) -> Result<(), WebmError> {
        match eid {
            id::EBML if self.ebml.is_none() => {
                let mut whole = Vec::with_capacity(body.len() + 12);
                put_element(&mut whole, id::EBML, body);
                self.ebml = Some(whole);
            }
            id::INFO if self.info.is_none() => {
                self.scale_ns = children(body)
                    .find(|(i, _)| *i == id::TIMECODE_SCALE)
                    .map_or(1_000_000, |(_, v)| uint(v));
                let kept = children(body).filter(|(i, _)| *i != id::DURATION);
                let mut info = Vec::with_capacity(body.len());
                for (i, v) in kept {
                    put_element(&mut info, i, v);
                }
                self.info = Some(info);
            }
            id::TRACKS if self.tracks.is_none() => {
                let entries: Vec<(u64, u64)> = children(body)
                    .filter(|(i, _)| *i == id::TRACK_ENTRY)
                    .map(|(_, e)| {
                        let field = |want| children(e).find(|(i, _)| *i == want).map(|x| uint(x.1));
                        (
                            field(id::TRACK_NUMBER).unwrap_or(0),
                            field(id::TRACK_TYPE).unwrap_or(0),
                        )
                    })
                    .collect();
                // Cue on the picture's keyframes, or on the sound when there is no picture.
                self.cue_track = entries
                    .iter()
                    .find(|e| e.1 == 1)
                    .or(entries.first())
                    .map_or(1, |e| e.0);
                let mut whole = Vec::with_capacity(body.len() + 12);
                put_element(&mut whole, id::TRACKS, body);
                self.tracks = Some(whole);
            }
            id::TIMECODE => {
                if let Some(c) = self.clusters.last_mut() {
                    c.timecode = uint(body) as i64;
                }
            }
            id::SIMPLE_BLOCK => {
                let (track, time) = self.block_head(body)?;
                let key = body.get(vint(body, false)?.map_or(0, |v| v.1) + 2);
                self.current = Some((track, time, key.is_some_and(|f| f & 0x80 != 0)));
            }
            id::BLOCK => self.group = Some(self.block_head(body)?),
            id::REFERENCE_BLOCK => self.group_refers = true,
            _ => {}
        }
        Ok(())
    }

    /// A block's track and time.
    fn block_head(&self, body: &[u8]) -> Result<(u64, i64), WebmError> {
        let (track, l) = vint(body, false)?.ok_or(WebmError::Malformed)?;
        let rel = body.get(l..l + 2).ok_or(WebmError::Malformed)?;
        let rel = i64::from(i16::from_be_bytes([rel[0], rel[1]]));
        let base = self.clusters.last().map_or(0, |c| c.timecode);
        Ok((track, base + rel))
    }

    fn block(&mut self, track: u64, time: i64, key: bool) {
        match self.times.iter_mut().find(|t| t.number == track) {
            Some(t) => {
                if time > t.last {
                    t.gap = time - t.last;
                    t.last = time;
                }
            }
            None => self.times.push(TrackTimes {
                number: track,
                last: time,
                gap: 0,
            }),
        }
        if key && track == self.cue_track {
            if let Some(c) = self.clusters.last_mut() {
                c.key.get_or_insert(time);
            }
        }
    }

    /// A child of the open element is complete.
    fn child_done(&mut self) {
        if self.top() != Some(id::CLUSTER) {
            return;
        }
        if let Some((track, time, key)) = self.current.take() {
            self.block(track, time, key);
        }
        if let Some(c) = self.clusters.last_mut() {
            c.complete_to = self.pos;
        }
    }

    fn close(&mut self) {
        if let Some(o) = self.open.pop() {
            if o.id == id::BLOCK_GROUP {
                let refers = self.group_refers;
                self.current = self
                    .group
                    .take()
                    .map(|(track, time)| (track, time, !refers));
            }
            self.child_done();
        }
    }

    /// Lays the recording out again. A last element cut short is left out.
    pub fn finish(self) -> Result<Layout, WebmError> {
        let (Some(ebml), Some(info), Some(tracks)) = (self.ebml, self.info, self.tracks) else {
            return Err(WebmError::Empty);
        };
        let clusters: Vec<&Cluster> = self
            .clusters
            .iter()
            .filter(|c| c.complete_to > c.body)
            .collect();
        if clusters.is_empty() {
            return Err(WebmError::Empty);
        }
        // The end of the last frame of the longest track: its time plus its frame interval.
        let ticks = self
            .times
            .iter()
            .map(|t| t.last + t.gap)
            .max()
            .unwrap_or(0)
            .max(0);
        let duration_ms = ticks as f64 * self.scale_ns as f64 / 1e6;

        let mut info_body = info;
        put_element(&mut info_body, id::DURATION, &(ticks as f64).to_be_bytes());
        let mut info = Vec::new();
        put_element(&mut info, id::INFO, &info_body);

        const CLUSTER_HEADER: u64 = 4 + 8;
        let cues_for = |first_cluster: u64| {
            let mut body = Vec::new();
            let mut at = first_cluster;
            for c in &clusters {
                if let Some(time) = c.key {
                    let mut pos = Vec::new();
                    put_uint(&mut pos, id::CUE_TRACK, self.cue_track);
                    put_element(&mut pos, id::CUE_CLUSTER_POSITION, &at.to_be_bytes());
                    let mut point = Vec::new();
                    put_uint(&mut point, id::CUE_TIME, time.max(0) as u64);
                    put_element(&mut point, id::CUE_TRACK_POSITIONS, &pos);
                    put_element(&mut body, id::CUE_POINT, &point);
                }
                at += CLUSTER_HEADER + (c.complete_to - c.body);
            }
            let mut cues = Vec::new();
            put_element(&mut cues, id::CUES, &body);
            cues
        };
        // Positions are written at a fixed width, so the sizes are known before the places.
        let seek_head_len = seek_head(&[(0, 0); 3]).len() as u64;
        let cues_len = cues_for(0).len() as u64;
        let info_at = seek_head_len;
        let tracks_at = info_at + info.len() as u64;
        let cues_at = tracks_at + tracks.len() as u64;
        let first_cluster = cues_at + cues_len;
        let cues = cues_for(first_cluster);
        let seek = seek_head(&[
            (id::INFO, info_at),
            (id::TRACKS, tracks_at),
            (id::CUES, cues_at),
        ]);
        let clusters_len: u64 = clusters
            .iter()
            .map(|c| CLUSTER_HEADER + (c.complete_to - c.body))
            .sum();

        let mut head = ebml;
        put_id(&mut head, id::SEGMENT);
        put_size8(&mut head, first_cluster + clusters_len);
        for part in [&seek, &info, &tracks, &cues] {
            head.extend_from_slice(part);
        }
        let mut parts = Vec::with_capacity(clusters.len() * 2 + 1);
        for c in clusters {
            put_id(&mut head, id::CLUSTER);
            put_size8(&mut head, c.complete_to - c.body);
            parts.push(Part::Bytes(std::mem::take(&mut head)));
            parts.push(Part::Source {
                start: c.body,
                end: c.complete_to,
            });
        }
        Ok(Layout { parts, duration_ms })
    }
}

fn seek_head(entries: &[(u32, u64)]) -> Vec<u8> {
    let mut body = Vec::new();
    for &(eid, at) in entries {
        let mut seek = Vec::new();
        put_element(&mut seek, id::SEEK_ID, &eid.to_be_bytes());
        put_element(&mut seek, id::SEEK_POSITION, &at.to_be_bytes());
        put_element(&mut body, id::SEEK, &seek);
    }
    let mut out = Vec::new();
    put_element(&mut out, id::SEEK_HEAD, &body);
    out
}

fn put_id(out: &mut Vec<u8>, eid: u32) {
    let bytes = eid.to_be_bytes();
    let skip = bytes.iter().take_while(|&&b| b == 0).count();
    out.extend_from_slice(&bytes[skip..]);
}

/// A size as an 8-byte variable-length integer.
fn put_size8(out: &mut Vec<u8>, size: u64) {
    out.push(0x01);
    out.extend_from_slice(&size.to_be_bytes()[1..]);
}

fn put_size(out: &mut Vec<u8>, size: u64) {
    let len = (1..8).find(|&l| size < (1u64 << (7 * l)) - 1).unwrap_or(8);
    if len == 8 {
        return put_size8(out, size);
    }
    let marked = size | (1u64 << (7 * len));
    out.extend_from_slice(&marked.to_be_bytes()[8 - len..]);
}

fn put_element(out: &mut Vec<u8>, eid: u32, body: &[u8]) {
    put_id(out, eid);
    put_size(out, body.len() as u64);
    out.extend_from_slice(body);
}

fn put_uint(out: &mut Vec<u8>, eid: u32, v: u64) {
    let bytes = v.to_be_bytes();
    let skip = bytes.iter().take_while(|&&b| b == 0).count().min(7);
    put_element(out, eid, &bytes[skip..]);
}

#[cfg(test)]
mod tests;
