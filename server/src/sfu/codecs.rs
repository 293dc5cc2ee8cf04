//! Which of a receiver's payload types carries a forwarded frame. str0m's `match_params`
//! looks in the whole codec configuration, not in what this receiver accepted, so its
//! answer may be a payload type the receiver never agreed to (its packets then count as
//! received and never decode). And it matches the codec and its format exactly; for H.264
//! that includes the profile, and a browser may not list the profile a sender uses:
//! Chromium receives H.264 at Constrained Baseline, Main and High 4:4:4, not High, which is
//! what OBS's x264 sends by default. Its decoder takes any of them, whatever the label, so a
//! frame of H.264 with no exact match goes on the receiver's H.264 payload type with the same
//! packetization mode (the RTP framing must agree).

use str0m::format::{Codec, PayloadParams};
use str0m::media::Pt;

/// The payload type of `receiver`'s (those it accepted, listed anew by each call) that
/// carries a frame sent as `sent`: str0m's match (`exact`) if the receiver accepted it, or
/// for H.264 one of the same packetization mode.
pub(super) fn payload_type<'a, I>(
    exact: Option<Pt>,
    receiver: impl Fn() -> I,
    sent: &PayloadParams,
) -> Option<Pt>
where
    I: Iterator<Item = &'a PayloadParams>,
{
    if let Some(pt) = exact.filter(|pt| receiver().any(|p| p.pt() == *pt)) {
        return Some(pt);
    }
    if sent.spec().codec != Codec::H264 {
        return None;
    }
    let mode = sent.spec().format.packetization_mode;
    receiver()
        .find(|p| p.spec().codec == Codec::H264 && p.spec().format.packetization_mode == mode)
        .map(|p| p.pt())
}

#[cfg(test)]
mod tests {
    use str0m::format::{CodecSpec, FormatParams};
    use str0m::media::Frequency;

    use super::*;

    fn params(pt: u8, codec: Codec, profile: u32, mode: u8) -> PayloadParams {
        let format = FormatParams {
            profile_level_id: (codec == Codec::H264).then_some(profile),
            packetization_mode: (codec == Codec::H264).then_some(mode),
            ..FormatParams::default()
        };
        let spec = CodecSpec {
            codec,
            clock_rate: Frequency::NINETY_KHZ,
            channels: None,
            format,
        };
        PayloadParams::new(pt.into(), None, spec)
    }

    /// What Chromium receives (as `getCapabilities` lists it here): no High profile.
    fn chromium_list() -> Vec<PayloadParams> {
        vec![
            params(96, Codec::Vp8, 0, 0),
            params(102, Codec::H264, 0x42001f, 1),
            params(103, Codec::H264, 0x42001f, 0),
            params(104, Codec::H264, 0x42e01f, 1),
            params(106, Codec::H264, 0x4d001f, 1),
        ]
    }

    #[test]
    fn an_exact_match_the_receiver_accepted_wins() {
        let chromium = chromium_list();
        let sent = params(114, Codec::H264, 0x64001f, 1);
        assert_eq!(
            payload_type(Some(104.into()), || chromium.iter(), &sent),
            Some(104.into())
        );
        let vp8 = params(96, Codec::Vp8, 0, 0);
        assert_eq!(
            payload_type(Some(96.into()), || chromium.iter(), &vp8),
            Some(96.into())
        );
    }

    #[test]
    fn a_match_the_receiver_never_accepted_is_not_used() {
        // str0m's High profile payload type, which Chromium's answer left out.
        let chromium = chromium_list();
        let high = params(114, Codec::H264, 0x64001f, 1);
        assert_eq!(
            payload_type(Some(110.into()), || chromium.iter(), &high),
            Some(102.into())
        );
        let vp9 = params(98, Codec::Vp9, 0, 0);
        assert_eq!(
            payload_type(Some(98.into()), || chromium.iter(), &vp9),
            None
        );
    }

    #[test]
    fn h264_at_a_profile_the_receiver_does_not_list_goes_on_its_h264_of_the_same_mode() {
        let chromium = chromium_list();
        let high = params(114, Codec::H264, 0x64001f, 1);
        assert_eq!(
            payload_type(None, || chromium.iter(), &high),
            Some(102.into())
        );
        let single_nal = params(115, Codec::H264, 0x64001f, 0);
        assert_eq!(
            payload_type(None, || chromium.iter(), &single_nal),
            Some(103.into())
        );
    }

    #[test]
    fn other_codecs_need_an_exact_match() {
        let chromium = chromium_list();
        let vp9 = params(98, Codec::Vp9, 0, 0);
        assert_eq!(payload_type(None, || chromium.iter(), &vp9), None);
        let high = params(114, Codec::H264, 0x64001f, 1);
        let vp8_only = [params(96, Codec::Vp8, 0, 0)];
        assert_eq!(payload_type(None, || vp8_only.iter(), &high), None);
    }
}
