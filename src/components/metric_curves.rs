//! Balanced accuracy, macro-F1 and the minority class's recall on the test split after every
//! epoch: how the scores that accuracy hides move while the model trains.

use leptos::html::Canvas;
use leptos::prelude::*;

use crate::charts::palette::class_css;
use crate::charts::plot::{draw_plot, PlotSpec, Series};
use crate::state::Ui;

const BALANCED_COLOUR: &str = "#1f2937";
const F1_COLOUR: &str = "#7c3aed";

#[component]
pub fn MetricCurvesPanel() -> impl IntoView {
    let ui = expect_context::<Ui>();
    let canvas = NodeRef::<Canvas>::new();
    // Runs every frame but draws only when the chart key changes (see `Ui::chart_key`).
    Effect::new(move |prev: Option<(bool, u64, Vec<u64>)>| {
        ui.revision.track();
        let key = ui.chart_key();
        if prev.as_ref() == Some(&key) {
            return key;
        }
        let Some(el) = canvas.get() else { return key };
        ui.snapshot.with_untracked(|s| {
            let pick = |f: fn(&imlab_engine::experiment::EpochRecord) -> Option<f64>| {
                s.history
                    .iter()
                    .filter_map(|r| f(r).map(|v| (r.epoch as f64, v)))
                    .collect::<Vec<_>>()
            };
            let balanced = pick(|r| r.balanced_accuracy);
            let f1 = pick(|r| r.macro_f1);
            let minority = pick(|r| r.minority_recall);
            let minority_colour = class_css(s.minority_class);
            let x_max = s.history.last().map_or(10.0, |r| r.epoch as f64).max(10.0);
            let spec = PlotSpec {
                x_max,
                y_max: 1.0,
                x_label: "epoch",
                y_label: "score",
                reference: None,
                series: vec![
                    Series {
                        points: &minority,
                        colour: &minority_colour,
                        dashed: false,
                        width: 2.0,
                    },
                    Series {
                        points: &f1,
                        colour: F1_COLOUR,
                        dashed: true,
                        width: 1.5,
                    },
                    Series {
                        points: &balanced,
                        colour: BALANCED_COLOUR,
                        dashed: false,
                        width: 2.0,
                    },
                ],
                markers: Vec::new(),
                empty_text: s
                    .history
                    .is_empty()
                    .then_some("The curves start after the first epoch"),
                bars: Vec::new(),
            };
            if let Err(e) = draw_plot(&el, &spec) {
                leptos::logging::warn!("metric curves not drawn: {e:?}");
            }
        });
        key
    });
    let minority = move || ui.snapshot.with(|s| s.minority_class);
    view! {
        <section class="panel metric-curves-panel" aria-labelledby="metric-curves-title">
            <h2 id="metric-curves-title">"Scores per epoch " <span class="sub">"(test split)"</span></h2>
            <canvas
                node_ref=canvas
                data-testid="metric-curves"
                role="img"
                aria-label="Balanced accuracy, macro-F1 and minority recall on the test split after each epoch"
            ></canvas>
            <ul class="legend">
                <li><span class="line" style:border-color=BALANCED_COLOUR></span>"balanced accuracy"</li>
                <li><span class="line dashed" style:border-color=F1_COLOUR></span>"macro-F1"</li>
                <li><span class="line" style:border-color=move || class_css(minority())></span>{move || format!("recall of class {} (rarest)", minority())}</li>
            </ul>
        </section>
    }
}
