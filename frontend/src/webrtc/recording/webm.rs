//! MediaRecorder's WebM made seekable, with its duration in the header. The browser writes a
//! live stream: a segment and clusters of unknown size, no duration and no index, so players
//! show no length and cannot seek. [`Indexer`] reads the recording chunk by chunk as it is
//! made, keeping only its structure (the header, where each cluster is, its keyframes), and
//! [`Indexer::finish`] lays the file out again: the same header with a `Duration`, a
//! `SeekHead`, `Cues` for every cluster, and every cluster with its size. The clusters'
//! bytes are never copied here: the layout names ranges of the original, which the browser
//! stitches into a new file. Pure Rust, no browser: tested on the host on real recordings.

mod ebml;
mod layout;

use ebml::{children, header, id, is_top_level, put_element, uint, vint};

/// The most the indexer keeps of one element (the header's `EBML`, `Info`, `Tracks`).
const MAX_KEPT: u64 = 1 << 20;

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
    /// Complete blocks of the cue track read so far.
    cue_blocks: u64,
    /// Inside a `BlockGroup`: its block (track, time) and whether it refers to another.
    group: Option<(u64, i64)>,
    group_refers: bool,
    /// The block being read (track, time, keyframe), counted once it is complete.
    current: Option<(u64, i64, bool)>,
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

    /// How many frames of the cue track (the picture, when there is one) it has read.
    pub fn cue_frames(&self) -> u64 {
        self.cue_blocks
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
            let body_start = self
                .pos
                .checked_add(hl as u64)
                .ok_or(WebmError::Malformed)?;
            let end = match size {
                Some(s) => Some(body_start.checked_add(s).ok_or(WebmError::Malformed)?),
                None => None,
            };
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
                self.open.push(Open { id: eid, end });
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
            // A header element is kept whole: one claiming more than this is not MediaRecorder's.
            if wanted > MAX_KEPT {
                return Err(WebmError::Malformed);
            }
            let need = hl + wanted as usize;
            if rest.len() < need {
                return Ok(at);
            }
            let body = &rest[hl..need];
            self.element(eid, body)?;
            let whole = (hl as u64).checked_add(size).ok_or(WebmError::Malformed)?;
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
        Ok((track, base.saturating_add(rel)))
    }

    fn block(&mut self, track: u64, time: i64, key: bool) {
        if track == self.cue_track {
            self.cue_blocks += 1;
        }
        match self.times.iter_mut().find(|t| t.number == track) {
            Some(t) => {
                if time > t.last {
                    t.gap = time.saturating_sub(t.last);
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
}

#[cfg(test)]
mod tests;
