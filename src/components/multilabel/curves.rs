//! Per-epoch test curves of a multi-label run: macro-F1, micro-F1, Hamming loss and the rarest
//! label's recall, each scored with the decision rule in force at that epoch.

use leptos::html::Canvas;
use leptos::prelude::*;

use super::with_view;
use crate::charts::plot::{draw_plot, PlotSpec, Series};
use crate::state::Ui;

const MACRO: &str = "#0072b2";
const MICRO: &str = "#009e73";
const HAMMING: &str = "#d55e00";
const RAREST: &str = "#cc79a7";

#[component]
pub fn LabelCurvesPanel() -> impl IntoView {
    let ui = expect_context::<Ui>();
    let canvas = NodeRef::<Canvas>::new();
    // Redrawn once per epoch (and when the experiment changes), not on every frame.
    let key = Memo::new(move |_| {
        with_view(ui, (0, 0, 0), |v| {
            (v.snapshot.history.len(), v.total_steps, v.n_labels)
        })
    });
    Effect::new(move |_| {
        key.track();
        ui.revision.track();
        let Some(el) = canvas.get() else { return };
        ui.ml.with_untracked(|v| {
            let Some(v) = v else { return };
            let h = &v.snapshot.history;
            let pick = |f: fn(&imlab_engine::multilabel::MultilabelEpochRecord) -> Option<f64>| {
                h.iter()
                    .filter_map(|r| f(r).map(|y| (r.epoch as f64, y)))
                    .collect::<Vec<_>>()
            };
            let (ma, mi, ha, ra) = (
                pick(|r| r.macro_f1),
                pick(|r| r.micro_f1),
                pick(|r| r.hamming_loss),
                pick(|r| r.rarest_label_recall),
            );
            let epochs = v.snapshot.history.last().map_or(10.0, |r| r.epoch as f64);
            let spec = PlotSpec {
                x_max: epochs.max(10.0),
                y_max: 1.0,
                x_label: "epoch",
                y_label: "score",
                reference: None,
                series: vec![
                    Series {
                        points: &ha,
                        colour: HAMMING,
                        dashed: true,
                        width: 1.8,
                    },
                    Series {
                        points: &ra,
                        colour: RAREST,
                        dashed: true,
                        width: 1.8,
                    },
                    Series {
                        points: &mi,
                        colour: MICRO,
                        dashed: false,
                        width: 2.0,
                    },
                    Series {
                        points: &ma,
                        colour: MACRO,
                        dashed: false,
                        width: 2.2,
                    },
                ],
                markers: Vec::new(),
                empty_text: h
                    .is_empty()
                    .then_some("Curves appear after the first epoch"),
                bars: Vec::new(),
            };
            if let Err(e) = draw_plot(&el, &spec) {
                leptos::logging::warn!("multi-label curves not drawn: {e:?}");
            }
        });
    });
    view! {
        <section class="panel label-curves-panel" aria-labelledby="ml-curves-title">
            <h2 id="ml-curves-title">"Per epoch " <span class="sub">"(test split)"</span></h2>
            <canvas node_ref=canvas data-testid="ml-curves" role="img"
                aria-label="Per-epoch macro-F1 and micro-F1 (solid), Hamming loss and the rarest label's recall (dashed) on the test split"></canvas>
            <ul class="legend">
                <li><span class="line" style:border-color=MACRO></span>"macro-F1"</li>
                <li><span class="line" style:border-color=MICRO></span>"micro-F1"</li>
                <li><span class="line dashed" style:border-color=HAMMING></span>"Hamming loss"</li>
                <li><span class="line dashed" style:border-color=RAREST></span>"rarest label's recall"</li>
            </ul>
        </section>
    }
}
