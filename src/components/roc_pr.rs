//! ROC and precision-recall curves of every class against the rest, on the test split's raw
//! probabilities, with the current decision rule's operating point marked on each (it moves with
//! the threshold or τ; the curves do not). AUC and average precision per class beside them.
//! Two classes show class 1 only (class 0's curves are its mirror).

use leptos::html::Canvas;
use leptos::prelude::*;

use crate::charts::palette::class_css;
use crate::charts::plot::{draw_plot, Marker, PlotSpec, Series};
use crate::components::format::decimal;
use crate::lab::operating_point;
use crate::runner::Controller;
use crate::state::Ui;

/// The classes whose curves are drawn.
fn shown(n_classes: usize) -> Vec<usize> {
    if n_classes == 2 {
        vec![1]
    } else {
        (0..n_classes).collect()
    }
}

#[component]
pub fn RocPrPanel() -> impl IntoView {
    let ui = expect_context::<Ui>();
    let ctl = expect_context::<Controller>();
    let roc_canvas = NodeRef::<Canvas>::new();
    let pr_canvas = NodeRef::<Canvas>::new();
    // Runs every frame but draws only when the chart key changes (see `Ui::chart_key`).
    Effect::new(move |prev: Option<(bool, u64, Vec<u64>)>| {
        ui.revision.track();
        let key = ui.chart_key();
        if prev.as_ref() == Some(&key) {
            return key;
        }
        let (Some(roc_el), Some(pr_el)) = (roc_canvas.get(), pr_canvas.get()) else {
            return key;
        };
        let drawn = ctl.with_session(|s| {
            let curves = s.lab.curves();
            let cm = &s.lab.snapshot().confusion;
            let classes = shown(cm.n_classes);
            let colours: Vec<String> = (0..cm.n_classes).map(class_css).collect();
            let mut roc_series = Vec::new();
            let mut pr_series = Vec::new();
            let mut roc_marks = Vec::new();
            let mut pr_marks = Vec::new();
            for &c in &classes {
                let Some(cc) = curves.classes.get(c) else {
                    continue;
                };
                roc_series.push(Series {
                    points: &cc.roc,
                    colour: &colours[c],
                    dashed: false,
                    width: 2.0,
                });
                pr_series.push(Series {
                    points: &cc.pr,
                    colour: &colours[c],
                    dashed: false,
                    width: 2.0,
                });
                let op = operating_point(cm, c);
                if let Some((x, y)) = op.roc {
                    roc_marks.push(Marker {
                        x,
                        y,
                        colour: colours[c].clone(),
                    });
                }
                if let Some((x, y)) = op.pr {
                    pr_marks.push(Marker {
                        x,
                        y,
                        colour: colours[c].clone(),
                    });
                }
            }
            let prevalence = classes
                .first()
                .and_then(|&c| curves.classes.get(c))
                .map_or(0.0, |c| c.prevalence);
            let roc = PlotSpec {
                x_max: 1.0,
                y_max: 1.0,
                x_label: "false-positive rate",
                y_label: "true-positive rate",
                reference: Some([(0.0, 0.0), (1.0, 1.0)]),
                series: roc_series,
                markers: roc_marks,
                empty_text: None,
                bars: Vec::new(),
            };
            // A random classifier's precision is the class's prevalence (binary: class 1's).
            let pr = PlotSpec {
                x_max: 1.0,
                y_max: 1.0,
                x_label: "recall",
                y_label: "precision",
                reference: (classes.len() == 1).then_some([(0.0, prevalence), (1.0, prevalence)]),
                series: pr_series,
                markers: pr_marks,
                empty_text: None,
                bars: Vec::new(),
            };
            if let Err(e) = draw_plot(&roc_el, &roc).and_then(|_| draw_plot(&pr_el, &pr)) {
                leptos::logging::warn!("ROC / PR not drawn: {e:?}");
            }
        });
        // Busy session: draw again next frame.
        if drawn.is_some() {
            key
        } else {
            (false, u64::MAX, Vec::new())
        }
    });
    let n = Memo::new(move |_| ui.snapshot.with(|s| s.confusion.n_classes));
    let areas = move || {
        ui.revision.track();
        let values = ctl
            .with_session(|s| {
                s.lab
                    .curves()
                    .classes
                    .iter()
                    .map(|c| (c.auc, c.average_precision))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        shown(n.get())
            .into_iter()
            .map(|c| {
                let (auc, ap) = values.get(c).copied().unwrap_or((None, None));
                view! {
                    <li>
                        <span class="swatch" style:background-color=class_css(c)></span>
                        {format!("class {c}: AUC ")}
                        <b data-testid=format!("auc-{c}")>{decimal(auc)}</b>
                        " · AP "
                        <b data-testid=format!("ap-{c}")>{decimal(ap)}</b>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <section class="panel roc-pr-panel" aria-labelledby="roc-title">
            <h2 id="roc-title">"ROC and precision-recall " <span class="sub">"(test split, one-vs-rest; dot = current rule)"</span></h2>
            <div class="pair">
                <canvas node_ref=roc_canvas data-testid="roc-curve" role="img"
                    aria-label="ROC curve per class with the operating point of the current decision rule"></canvas>
                <canvas node_ref=pr_canvas data-testid="pr-curve" role="img"
                    aria-label="Precision-recall curve per class with the operating point of the current decision rule"></canvas>
            </div>
            <ul class="legend">{areas}</ul>
        </section>
    }
}
