//! The quality indicator (from getStats) and its details panel with a small live chart of
//! bitrate and round-trip time.

use yew::prelude::*;

use crate::webrtc::stats::{grade, Grade, Quality};

/// Props of [`CallQuality`].
#[derive(Properties, PartialEq)]
pub struct CallQualityProps {
    /// Samples, oldest first.
    pub samples: Vec<Quality>,
}

/// Points for an SVG polyline in a `w` by `h` box, in whole units (integer formatting keeps
/// Rust's float formatter, about 10 KB, out of the bundle).
fn polyline(values: &[f64], w: u32, h: u32) -> String {
    let max = values.iter().copied().fold(1.0_f64, f64::max);
    let last = values.len().saturating_sub(1).max(1) as f64;
    values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let x = (i as f64 * f64::from(w) / last).round() as u32;
            let y = (f64::from(h) - v / max * f64::from(h - 20) - 10.0).round() as u32;
            format!("{x},{y}")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A number with one decimal, without the float formatter.
fn tenths(v: f64) -> String {
    let t = (v * 10.0).round().max(0.0) as u64;
    format!("{}.{}", t / 10, t % 10)
}

fn whole(v: f64) -> u64 {
    v.round().max(0.0) as u64
}

/// The grade of a sample, as a class and a word.
fn words(q: &Quality) -> (&'static str, &'static str) {
    match grade(q) {
        Grade::Good => ("good", "Good"),
        Grade::Fair => ("fair", "Fair"),
        Grade::Poor => ("poor", "Poor"),
    }
}

/// A room call tile's mark of the connection to that person: the grade, and the numbers
/// behind it in its name.
pub fn quality_mark(q: &Quality) -> Html {
    let (class, word) = words(q);
    let rtt = q
        .rtt_ms
        .map_or("–".to_owned(), |r| format!("{} ms", whole(r)));
    let label = format!(
        "Connection: {word} ({rtt}, {} % loss, {} kbit/s in)",
        tenths(q.loss_pct),
        whole(q.in_kbps)
    );
    html! { <span class={classes!("quality", class)} role="img" aria-label={label}>{ word }</span> }
}

/// "Good / Fair / Poor", a button that opens the numbers and the chart.
#[component]
pub fn CallQuality(props: &CallQualityProps) -> Html {
    let open = use_state(|| false);
    let Some(last) = props.samples.last() else {
        return html! { <span class="quality" role="status">{ "Measuring…" }</span> };
    };
    let (class, word) = words(last);
    let toggle = {
        let open = open.clone();
        Callback::from(move |_| open.set(!*open))
    };
    let rtt = last
        .rtt_ms
        .map_or("–".to_owned(), |r| format!("{} ms", whole(r)));
    let bitrate: Vec<f64> = props
        .samples
        .iter()
        .map(|q| q.in_kbps + q.out_kbps)
        .collect();
    let rtts: Vec<f64> = props
        .samples
        .iter()
        .map(|q| q.rtt_ms.unwrap_or(0.0))
        .collect();
    html! {
        <>
            <button class={classes!("quality", class)} aria-expanded={open.to_string()} onclick={toggle}
                    aria-label={format!("Connection quality: {word}. Details")}>{ word }</button>
            if *open {
                <div class="quality-details" role="group" aria-label="Call details">
                    <dl>
                        <dt>{ "Round trip" }</dt><dd data-stat="rtt">{ rtt }</dd>
                        <dt>{ "Packet loss" }</dt><dd data-stat="loss">{ format!("{} %", tenths(last.loss_pct)) }</dd>
                        <dt>{ "Receiving" }</dt><dd data-stat="in">{ format!("{} kbit/s", whole(last.in_kbps)) }</dd>
                        <dt>{ "Sending" }</dt><dd data-stat="out">{ format!("{} kbit/s", whole(last.out_kbps)) }</dd>
                    </dl>
                    <svg class="chart" viewBox="0 0 1200 400" role="img"
                         aria-label="Bitrate (solid) and round-trip time (dashed) over the last minute">
                        <polyline class="bitrate" points={polyline(&bitrate, 1200, 400)} />
                        <polyline class="rtt" points={polyline(&rtts, 1200, 400)} />
                    </svg>
                </div>
            }
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::{polyline, tenths};

    #[test]
    fn numbers_and_points_are_formatted_without_floats() {
        assert_eq!(tenths(2.345), "2.3");
        assert_eq!(tenths(0.0), "0.0");
        assert_eq!(
            polyline(&[0.0, 50.0, 100.0], 1200, 400),
            "0,390 600,200 1200,10"
        );
    }
}
