//! The reliability diagram (Guo et al. 2017): test rows binned by the model's top-label confidence;
//! each bar is the fraction right in its bin, the diagonal is perfect calibration. The expected
//! calibration error (15 bins) beside it. Computed on the raw probabilities.

use leptos::html::Canvas;
use leptos::prelude::*;

use crate::charts::plot::{draw_plot, PlotSpec, Series};
use crate::components::format::decimal;
use crate::runner::Controller;
use crate::state::Ui;

#[component]
pub fn CalibrationPanel() -> impl IntoView {
    let ui = expect_context::<Ui>();
    let ctl = expect_context::<Controller>();
    let canvas = NodeRef::<Canvas>::new();
    let ece = RwSignal::new(None::<f64>);
    // Runs every frame but draws only when the chart key changes (see `Ui::chart_key`).
    Effect::new(move |prev: Option<(bool, u64, Vec<u64>)>| {
        ui.revision.track();
        let key = ui.chart_key();
        if prev.as_ref() == Some(&key) {
            return key;
        }
        let Some(el) = canvas.get() else { return key };
        let drawn = ctl.with_session(|s| {
            let c = s.lab.curves();
            ece.set(c.ece);
            let bars: Vec<(f64, f64, f64)> = c
                .reliability
                .iter()
                .filter_map(|b| b.accuracy.map(|a| (b.lower, b.upper, a)))
                .collect();
            let conf: Vec<(f64, f64)> = c
                .reliability
                .iter()
                .filter_map(|b| b.confidence.zip(b.accuracy))
                .collect();
            let spec = PlotSpec {
                x_max: 1.0,
                y_max: 1.0,
                x_label: "confidence (top label)",
                y_label: "accuracy",
                reference: Some([(0.0, 0.0), (1.0, 1.0)]),
                series: vec![Series {
                    points: &conf,
                    colour: "#1f2937",
                    dashed: false,
                    width: 1.5,
                }],
                markers: Vec::new(),
                empty_text: None,
                bars,
            };
            if let Err(e) = draw_plot(&el, &spec) {
                leptos::logging::warn!("reliability diagram not drawn: {e:?}");
            }
        });
        // Busy session: draw again next frame.
        if drawn.is_some() {
            key
        } else {
            (false, u64::MAX, Vec::new())
        }
    });
    view! {
        <section class="panel calibration-panel" aria-labelledby="calibration-title">
            <h2 id="calibration-title">"Calibration " <span class="sub">"ECE "<b data-testid="ece">{move || decimal(ece.get())}</b></span></h2>
            <canvas node_ref=canvas data-testid="calibration" role="img"
                aria-label="Reliability diagram: accuracy per confidence bin against the diagonal of perfect calibration"></canvas>
        </section>
    }
}
