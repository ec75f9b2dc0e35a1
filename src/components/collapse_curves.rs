//! The neural-collapse panel beside the loss curve: per-epoch NC1, NC2 (equinorm, equiangularity,
//! distance to the simplex ETF; class means solid, classifier vectors dashed) and NC3 on one
//! logarithmic axis, and the minority-collapse angles in degrees on a small chart of their own,
//! with the latest angle as text. Reads `snapshot.history[i].collapse` (the engine's measures on
//! the training split); where no epoch has any, the panel says so.

use leptos::html::Canvas;
use leptos::prelude::*;

use crate::charts::collapse::{draw_log_curves, LogSeries};
use crate::charts::plot::{draw_plot, PlotSpec, Series};
use crate::lab::{any_measure, log_decades, minority_angle_text, minority_angles, CollapseCurve};
use crate::state::Ui;

/// Okabe–Ito hues by family (the palette the classes use, in other roles here).
fn colour(curve: CollapseCurve) -> &'static str {
    match curve {
        CollapseCurve::Nc1 => "#1f2937",
        CollapseCurve::EquinormMeans | CollapseCurve::EquinormClassifiers => "#0072b2",
        CollapseCurve::EquiangularMeans | CollapseCurve::EquiangularClassifiers => "#009e73",
        CollapseCurve::EtfDistanceMeans | CollapseCurve::EtfDistanceClassifiers => "#cc79a7",
        CollapseCurve::Nc3 => "#d55e00",
    }
}

const ANGLE_CLASSIFIERS: &str = "#1f2937";
const ANGLE_MEANS: &str = "#e69f00";

#[component]
pub fn CollapseCurvesPanel() -> impl IntoView {
    let ui = expect_context::<Ui>();
    let curves = NodeRef::<Canvas>::new();
    let angles = NodeRef::<Canvas>::new();
    // Drawn when the chart key changes (once per epoch while playing), like the other curves.
    Effect::new(move |prev: Option<(bool, u64, Vec<u64>)>| {
        ui.revision.track();
        let key = ui.chart_key();
        if prev.as_ref() == Some(&key) {
            return key;
        }
        let (Some(curves_el), Some(angles_el)) = (curves.get(), angles.get()) else {
            return key;
        };
        ui.snapshot.with_untracked(|s| {
            let history = &s.history;
            let x_max = history.last().map_or(10.0, |r| r.epoch as f64).max(10.0);
            let points: Vec<(CollapseCurve, Vec<(f64, f64)>)> = CollapseCurve::ALL
                .iter()
                .map(|&c| (c, c.points(history)))
                .collect();
            let series: Vec<LogSeries> = points
                .iter()
                .map(|(c, p)| LogSeries {
                    points: p,
                    colour: colour(*c),
                    dashed: c.dashed(),
                    width: if matches!(c, CollapseCurve::Nc1 | CollapseCurve::Nc3) {
                        2.2
                    } else {
                        1.5
                    },
                })
                .collect();
            let decades = log_decades(points.iter().map(|(_, p)| p.as_slice()));
            let empty = decades.is_none().then_some("No measures yet");
            if let Err(e) = draw_log_curves(&curves_el, &series, decades, x_max, empty) {
                leptos::logging::warn!("collapse curves not drawn: {e:?}");
            }
            let [by_classifiers, by_means] = minority_angles(history);
            let top = by_classifiers
                .iter()
                .chain(&by_means)
                .map(|p| p.1)
                .fold(0.0f64, f64::max);
            let spec = PlotSpec {
                x_max,
                y_max: ((top / 30.0).ceil() * 30.0).clamp(90.0, 180.0),
                x_label: "epoch",
                y_label: "degrees",
                reference: None,
                series: vec![
                    Series {
                        points: &by_means,
                        colour: ANGLE_MEANS,
                        dashed: true,
                        width: 1.8,
                    },
                    Series {
                        points: &by_classifiers,
                        colour: ANGLE_CLASSIFIERS,
                        dashed: false,
                        width: 2.2,
                    },
                ],
                markers: Vec::new(),
                empty_text: (by_classifiers.is_empty() && by_means.is_empty())
                    .then_some("No minority angle yet"),
                bars: Vec::new(),
            };
            if let Err(e) = draw_plot(&angles_el, &spec) {
                leptos::logging::warn!("minority angle not drawn: {e:?}");
            }
        });
        key
    });
    let has_measures = move || ui.snapshot.with(|s| any_measure(&s.history));
    let angle_text = move || ui.snapshot.with(|s| minority_angle_text(&s.history));
    let legend = CollapseCurve::ALL
        .iter()
        .rev()
        .map(|&c| {
            view! {
                <li>
                    <span class="line" class:dashed=c.dashed() style:border-color=colour(c)></span>
                    {c.label()}
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="panel collapse-panel" aria-labelledby="collapse-title">
            <h2 id="collapse-title">"Neural collapse per epoch " <span class="sub">"(training split)"</span></h2>
            <Show when=move || !has_measures()>
                <p class="collapse-note" data-testid="collapse-note">
                    "No measures yet: the neural-collapse measures appear here after each epoch once the engine computes them for this experiment."
                </p>
            </Show>
            <canvas
                node_ref=curves
                data-testid="collapse-curves"
                role="img"
                aria-label="Neural-collapse measures per epoch on a logarithmic axis: NC1, NC2 equinorm, equiangularity and distance to the simplex ETF for class means (solid) and classifier vectors (dashed), and NC3"
            ></canvas>
            <ul class="legend collapse-legend">{legend}</ul>
            <h3 class="collapse-sub">"Minority collapse"</h3>
            <canvas
                node_ref=angles
                class="angle-curve"
                data-testid="minority-angle-curve"
                role="img"
                aria-label="Mean pairwise angle in degrees between the minority classes' classifier vectors (solid) and between their feature means (dashed), per epoch"
            ></canvas>
            <p class="minority-angle" data-testid="minority-angle">{angle_text}</p>
            <ul class="legend">
                <li><span class="line" style:border-color=ANGLE_CLASSIFIERS></span>"classifier vectors"</li>
                <li><span class="line dashed" style:border-color=ANGLE_MEANS></span>"feature means"</li>
            </ul>
        </section>
    }
}
