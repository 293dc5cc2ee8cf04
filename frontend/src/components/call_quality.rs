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

fn polyline(values: &[f64], w: f64, h: f64) -> String {
    let max = values.iter().copied().fold(1.0_f64, f64::max);
    let step = if values.len() > 1 {
        w / (values.len() - 1) as f64
    } else {
        0.0
    };
    values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            format!(
                "{:.1},{:.1}",
                i as f64 * step,
                h - v / max * (h - 2.0) - 1.0
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// "Good / Fair / Poor", a button that opens the numbers and the chart.
#[component]
pub fn CallQuality(props: &CallQualityProps) -> Html {
    let open = use_state(|| false);
    let Some(last) = props.samples.last() else {
        return html! { <span class="quality" role="status">{ "Measuring…" }</span> };
    };
    let (class, word) = match grade(last) {
        Grade::Good => ("good", "Good"),
        Grade::Fair => ("fair", "Fair"),
        Grade::Poor => ("poor", "Poor"),
    };
    let toggle = {
        let open = open.clone();
        Callback::from(move |_| open.set(!*open))
    };
    let rtt = last.rtt_ms.map_or("–".to_owned(), |r| format!("{r:.0} ms"));
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
                        <dt>{ "Packet loss" }</dt><dd data-stat="loss">{ format!("{:.1} %", last.loss_pct) }</dd>
                        <dt>{ "Receiving" }</dt><dd data-stat="in">{ format!("{:.0} kbit/s", last.in_kbps) }</dd>
                        <dt>{ "Sending" }</dt><dd data-stat="out">{ format!("{:.0} kbit/s", last.out_kbps) }</dd>
                    </dl>
                    <svg class="chart" viewBox="0 0 120 40" role="img"
                         aria-label="Bitrate (solid) and round-trip time (dashed) over the last minute">
                        <polyline class="bitrate" points={polyline(&bitrate, 120.0, 40.0)} />
                        <polyline class="rtt" points={polyline(&rtts, 120.0, 40.0)} />
                    </svg>
                </div>
            }
        </>
    }
}
