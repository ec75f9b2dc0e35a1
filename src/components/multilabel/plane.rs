//! The multi-label plot: pick one label to see its sigmoid over the plane (darker where the model
//! is surer the label applies), the decision rule's region for it outlined, and that label's
//! positives (filled), negatives (rings) and unknown entries (crosses: not annotated, which is not
//! negative); or "Label sets" to colour every training point by its set of labels, and each cell
//! by the label set predicted there.

use leptos::html::Canvas;
use leptos::prelude::*;

use super::with_view;
use crate::charts::label_plane::{draw_label_plane, LabelPlaneScene, PlaneMode};
use crate::charts::palette::{class_css, class_rgb};
use crate::lab::{label_name, label_set_name, ranked_label_sets};
use crate::runner::Controller;
use crate::state::Ui;

/// Label sets with a colour of their own (the palette's first nine; the rest are grey).
const COLOURED_SETS: usize = 9;

#[component]
pub fn LabelPlanePanel() -> impl IntoView {
    let ui = expect_context::<Ui>();
    let ctl = expect_context::<Controller>();
    let canvas = NodeRef::<Canvas>::new();
    // `None`: the rarest label (the one the story is about), whatever the experiment.
    let choice = RwSignal::new(None::<PlaneMode>);
    let n_labels = Memo::new(move |_| with_view(ui, 0, |v| v.n_labels));
    let rarest = Memo::new(move |_| with_view(ui, 0, |v| v.snapshot.rarest_label));
    let mode = Memo::new(move |_| match choice.get() {
        Some(PlaneMode::Label(l)) if l < n_labels.get() => PlaneMode::Label(l),
        Some(PlaneMode::LabelSets) => PlaneMode::LabelSets,
        _ => PlaneMode::Label(rarest.get()),
    });
    let sets = Memo::new(move |_| {
        ui.revision.track();
        ctl.with_session(|s| {
            s.ml.as_ref().map(|ml| {
                let (train, _) = ml.points();
                ranked_label_sets(&train)
            })
        })
        .flatten()
        .unwrap_or_default()
    });
    let show_internals = RwSignal::new(true);
    Effect::new(move |_| {
        ui.revision.track();
        let mode = mode.get();
        let internals_on = show_internals.get();
        let coloured: Vec<Vec<usize>> = sets.with(|s| {
            s.iter()
                .take(COLOURED_SETS)
                .map(|(set, _)| set.clone())
                .collect()
        });
        let Some(el) = canvas.get() else { return };
        ctl.with_session(|s| {
            let Some(ml) = s.ml.as_ref() else { return };
            let (train, added) = ml.points();
            let internals = internals_on.then(|| ml.internals());
            let scene = LabelPlaneScene {
                grid: ml.grid(),
                probs: ml.grid_probs(),
                n_labels: ml.n_labels(),
                rule: ml.decision(),
                train: &train,
                added: &added,
                mode,
                coloured_sets: &coloured,
                internals: internals.as_ref(),
            };
            if let Err(e) = draw_label_plane(&el, &scene) {
                leptos::logging::warn!("multi-label plot not drawn: {e:?}");
            }
        });
    });
    let on_pick = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        choice.set(Some(match v.parse::<usize>() {
            Ok(l) => PlaneMode::Label(l),
            Err(_) => PlaneMode::LabelSets,
        }));
    };
    let options = move || {
        let freq = with_view(ui, Vec::new(), |v| {
            v.snapshot.train_measures.frequency.clone()
        });
        let current = mode.get();
        let labels = (0..n_labels.get())
            .map(|l| {
                let text = format!(
                    "Label {} ({:.1}% of training rows){}",
                    label_name(l),
                    freq.get(l).copied().unwrap_or(0.0) * 100.0,
                    if l == rarest.get() { ", the rarest" } else { "" }
                );
                view! { <option value=l.to_string() selected=current == PlaneMode::Label(l)>{text}</option> }
            })
            .collect_view();
        view! {
            {labels}
            <option value="sets" selected=current == PlaneMode::LabelSets>"Label sets (every label at once)"</option>
        }
    };
    let value = move || match mode.get() {
        PlaneMode::Label(l) => l.to_string(),
        PlaneMode::LabelSets => "sets".into(),
    };
    let threshold_text = move || {
        ui.revision.track();
        let PlaneMode::Label(l) = mode.get() else {
            return String::new();
        };
        ctl.with_session(|s| {
            s.ml.as_ref().map(|ml| match ml.threshold_of(l) {
                Some(t) => format!(
                    "outlined: where label {} is predicted (p > {t:.2})",
                    label_name(l)
                ),
                None => format!(
                    "outlined: where label {} is among the k most probable",
                    label_name(l)
                ),
            })
        })
        .flatten()
        .unwrap_or_default()
    };
    let legend = move || {
        match mode.get() {
        PlaneMode::Label(l) => view! {
            <li><span class="swatch" style:background-color=class_css(l)></span>{format!("has label {}", label_name(l))}</li>
            <li><span class="mark ring"></span>"has not"</li>
            <li><span class="mark unknown-cross">"×"</span>"not annotated (unknown: ignored by the loss)"</li>
            <li><span class="mark diamond"></span>"added by the sampler (trained on, never evaluated)"</li>
            <li><span class="mark boundary-line"></span><span data-testid="ml-plane-threshold">{threshold_text}</span></li>
        }
        .into_any(),
        PlaneMode::LabelSets => {
            let items = sets.with(|s| {
                s.iter()
                    .take(COLOURED_SETS)
                    .enumerate()
                    .map(|(rank, (set, n))| {
                        let [r, g, b] = class_rgb(rank);
                        view! {
                            <li><span class="swatch" style:background-color=format!("rgb({r}, {g}, {b})")></span>
                                {label_set_name(set)} <span class="sub">{format!(" {n}")}</span></li>
                        }
                    })
                    .collect_view()
            });
            let others: usize = sets.with(|s| s.iter().skip(COLOURED_SETS).map(|(_, n)| n).sum());
            view! {
                {items}
                <li class:muted=others == 0><span class="swatch" style:background-color="#999999"></span>{format!("other sets {others}")}</li>
                <li><span class="mark dot-hollow-centre"></span>"some labels not annotated"</li>
                <li>"cells: the label set predicted there"</li>
            }
            .into_any()
        }
    }
    };
    let summary = Memo::new(move |_| {
        ui.revision.track();
        ctl.with_session(|s| s.ml.as_ref().map(|ml| ml.internals().summary))
            .flatten()
            .unwrap_or_default()
    });
    view! {
        <section class="panel boundary-panel label-plane-panel" aria-labelledby="ml-plane-title">
            <h2 id="ml-plane-title">"Labels over the plane " <span class="sub">"(training split)"</span></h2>
            <div class="leaf plane-pick">
                <label for="ml-plane-label" class="control-label">"Show"</label>
                <select id="ml-plane-label" data-testid="ml-plane-label" prop:value=value on:change=on_pick>
                    {options}
                </select>
            </div>
            <div class="boundary-stage">
                <canvas node_ref=canvas data-testid="ml-plane" role="img"
                    aria-label="The chosen label's probability over the plane with its decision region outlined, and the training points: positives filled, negatives as rings, unknown entries as crosses; or every point coloured by its label set"></canvas>
            </div>
            <ul class="legend">{legend}</ul>
            <Show when=move || summary.with(|s| !s.is_empty())>
                <div class="internals">
                    <label>
                        <input type="checkbox" data-testid="ml-sampler-internals"
                            prop:checked=move || show_internals.get()
                            on:change=move |ev| show_internals.set(event_target_checked(&ev))/>
                        " Show the sampler's internals"
                    </label>
                    <ul class="internals-summary" data-testid="ml-internals-summary">
                        {move || summary.get().into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}
                    </ul>
                </div>
            </Show>
            <p class="hint">"Multi-label training runs on the CPU path in this page (no WebGPU kernels for the sigmoid head yet)."</p>
        </section>
    }
}
