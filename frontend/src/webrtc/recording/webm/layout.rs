//! Laying a recording out again: its header with a `Duration`, a `SeekHead` and `Cues`,
//! then every cluster with its size, as new bytes and ranges of the original.

use super::ebml::{id, put_element, put_id, put_size8, put_uint};
use super::{Cluster, Indexer, Layout, Part, WebmError};

impl Indexer {
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
            .map(|t| t.last.saturating_add(t.gap))
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
