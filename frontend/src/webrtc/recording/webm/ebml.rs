//! EBML, the binary format of WebM: element ids, reading an element's header and its
//! children, and writing elements.

use super::WebmError;

/// Element ids (Matroska/WebM).
pub(super) mod id {
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

/// An element's header: id, body size (None: unknown), header length.
pub(super) type Header = (u32, Option<u64>, usize);

/// A variable-length integer at the start of `b`: (value with the marker kept or not, length).
pub(super) fn vint(b: &[u8], keep_marker: bool) -> Result<Option<(u64, usize)>, WebmError> {
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

pub(super) fn header(b: &[u8]) -> Result<Option<Header>, WebmError> {
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

pub(super) fn uint(b: &[u8]) -> u64 {
    b.iter().fold(0, |v, &x| (v << 8) | u64::from(x))
}

/// The children of a complete master element's body: (id, body).
pub(super) fn children(mut b: &[u8]) -> impl Iterator<Item = (u32, &[u8])> {
    std::iter::from_fn(move || {
        let (id, size, hl) = header(b).ok()??;
        let end = hl.checked_add(usize::try_from(size?).ok()?)?;
        let body = b.get(hl..end)?;
        b = &b[end..];
        Some((id, body))
    })
}

pub(super) fn is_top_level(id: u32) -> bool {
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

pub(super) fn put_id(out: &mut Vec<u8>, eid: u32) {
    let bytes = eid.to_be_bytes();
    let skip = bytes.iter().take_while(|&&b| b == 0).count();
    out.extend_from_slice(&bytes[skip..]);
}

/// A size as an 8-byte variable-length integer.
pub(super) fn put_size8(out: &mut Vec<u8>, size: u64) {
    out.push(0x01);
    out.extend_from_slice(&size.to_be_bytes()[1..]);
}

pub(super) fn put_size(out: &mut Vec<u8>, size: u64) {
    let len = (1..8).find(|&l| size < (1u64 << (7 * l)) - 1).unwrap_or(8);
    if len == 8 {
        return put_size8(out, size);
    }
    let marked = size | (1u64 << (7 * len));
    out.extend_from_slice(&marked.to_be_bytes()[8 - len..]);
}

pub(super) fn put_element(out: &mut Vec<u8>, eid: u32, body: &[u8]) {
    put_id(out, eid);
    put_size(out, body.len() as u64);
    out.extend_from_slice(body);
}

pub(super) fn put_uint(out: &mut Vec<u8>, eid: u32, v: u64) {
    let bytes = v.to_be_bytes();
    let skip = bytes.iter().take_while(|&&b| b == 0).count().min(7);
    put_element(out, eid, &bytes[skip..]);
}
