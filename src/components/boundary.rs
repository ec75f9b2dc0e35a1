//! The decision-boundary panel: the canvas (redrawn on every published frame), the sampler-internals
//! toggle, the hover tooltip saying where a point came from, and the legend. Data with more than two
//! features is shown on its first two principal components, and the panel says the boundary is not
//! drawn there. The hovered row is shared through `Ui::hovered`, so the feature-space view
//! highlights it too (and a row hovered there is highlighted here).
//!
//! With robust evaluation or adversarial training configured, hovering a point on the input plane
//! draws its ε-ball and its adversarial example under that attack, and the tooltip gives the clean
//! and adversarial predictions (`crate::lab::eps_ball`); on a principal-component plane the tooltip
//! says why no ball is drawn.

use leptos::html::Canvas;
use leptos::prelude::*;

use crate::charts::boundary::{BoundaryPainter, BoundaryScene};
use crate::charts::palette::class_css;
use crate::components::format::class_name;
use crate::components::point_edits::{edit_at, PointEditBar};
use crate::lab::{configured_attack, eps_ball, EpsBall, Plane};
use crate::runner::Controller;
use crate::state::Ui;

/// How close (CSS pixels) the pointer must be to a point for the tooltip.
const HOVER_PX: f64 = 9.0;

/// Where the pointer is on the canvas, as fractions of its width and height, with the width in CSS
/// pixels (for distances measured in pixels).
fn pointer_on(canvas: NodeRef<Canvas>, ev: &leptos::ev::MouseEvent) -> Option<(f64, f64, f64)> {
    let el = canvas.get_untracked()?;
    let (w, h) = (
        el.client_width().max(1) as f64,
        el.client_height().max(1) as f64,
    );
    Some((
        f64::from(ev.offset_x()) / w,
        f64::from(ev.offset_y()) / h,
        w,
    ))
}

#[component]
pub fn BoundaryPanel() -> impl IntoView {
    let ui = expect_context::<Ui>();
    let ctl = expect_context::<Controller>();
    let link = expect_context::<crate::url::LinkState>();
    let canvas = NodeRef::<Canvas>::new();
    let painter = StoredValue::new_local(BoundaryPainter::default());
    let show_internals = RwSignal::new(true);
    // Text, the attack's line, position, and whether it sits left of the pointer.
    let tooltip = RwSignal::new(None::<(String, Option<String>, f64, f64, bool)>);
    let ball = RwSignal::new(None::<EpsBall>);
    // The class a click on the plot adds (None: clicks do not edit the data).
    let edit_class = RwSignal::new(None::<usize>);
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some((fx, fy, w)) = pointer_on(canvas, &ev) else {
            return;
        };
        edit_at(ctl, edit_class.get_untracked(), fx, fy, ev.shift_key(), w);
    };
    Effect::new(move |_| {
        ui.revision.track();
        let hovered = ui.hovered.get();
        let hovered_ball = ball.get();
        let internals_on = show_internals.get();
        let Some(el) = canvas.get() else { return };
        ctl.with_session(|s| {
            let lab = &s.lab;
            let marks = lab.marks();
            let scene = BoundaryScene {
                grid: lab.grid(),
                probs: lab.grid_probs(),
                decision: lab.grid_decision(),
                n_classes: lab.experiment().data.n_classes,
                train: &marks.train,
                added: marks.added,
                test: &marks.test,
                synthetic: &marks.synthetic,
                internals: internals_on.then(|| lab.internals()),
                data_key: s.generation * 2 + u64::from(internals_on),
                hovered: hovered.and_then(|r| marks.get(r).copied()),
                eps_ball: hovered_ball.as_ref(),
            };
            painter.update_value(|p| {
                if let Err(e) = p.draw(&el, &scene) {
                    leptos::logging::warn!("decision boundary not drawn: {e:?}");
                }
            });
        });
    });
    let on_move = move |ev: leptos::ev::MouseEvent| {
        let Some((fx, fy, w)) = pointer_on(canvas, &ev) else {
            return;
        };
        let (px, py) = (f64::from(ev.offset_x()), f64::from(ev.offset_y()));
        let found = ctl.with_session(|s| {
            let grid = s.lab.grid();
            let (x, y) = grid.plane_point(fx, fy);
            let radius = HOVER_PX / w * grid.span;
            let marks = s.lab.marks();
            marks.nearest(x, y, radius).map(|r| {
                let (ball, line) = attack_on(&s.lab, marks.get(r).copied());
                (r, marks.describe(r), ball, line)
            })
        });
        let found = found.flatten();
        let at = found.as_ref().map(|f| f.0);
        if ui.hovered.get_untracked() != at {
            ui.hovered.set(at);
        }
        let new_ball = found.as_ref().and_then(|f| f.2.clone());
        if ball.with_untracked(|b| *b != new_ball) {
            ball.set(new_ball);
        }
        // Left of the pointer on the right half, so the tooltip stays inside the picture.
        let x = if px > w / 2.0 { px - 12.0 } else { px + 12.0 };
        let right = px > w / 2.0;
        tooltip.set(found.map(|(_, text, _, line)| (text, line, x, py + 12.0, right)));
    };
    let plane_note = move || {
        ui.revision.track();
        ctl.with_session(|s| match s.lab.plane() {
            Plane::Features => None,
            Plane::Pca { explained, .. } => Some(format!(
                "{} features: points shown on their first two principal components ({:.0}% + {:.0}% of the variance). The model's boundary lives in all {} features and is not drawn here.",
                s.lab.experiment().data.n_features,
                explained[0] * 100.0,
                explained[1] * 100.0,
                s.lab.experiment().data.n_features,
            )),
        })
        .flatten()
    };
    let internals_summary = move || {
        ui.revision.track();
        ctl.with_session(|s| s.lab.internals().summary())
            .unwrap_or_default()
    };
    let has_internals = move || !internals_summary().is_empty();
    let n_classes = Memo::new(move |_| ui.snapshot.with(|s| s.confusion.n_classes));
    let legend = move || {
        let (counts, totals) = ui.snapshot.with(|s| {
            let totals: Vec<usize> = s
                .train_counts
                .iter()
                .zip(&s.test_counts)
                .map(|(a, b)| a + b)
                .collect();
            (s.train_counts.clone(), totals)
        });
        (0..n_classes.get())
            .map(|c| {
                let name = class_name(c, &counts);
                let n = totals.get(c).copied().unwrap_or(0);
                view! {
                    <li title="samples in train + test">
                        <span class="swatch" style:background-color=class_css(c)></span>
                        {name}
                        <span class="sub">{format!("{n}")}</span>
                    </li>
                }
            })
            .collect_view()
    };
    let has_attack = move || {
        ui.revision.track();
        ctl.with_session(|s| {
            s.lab.plane().shows_boundary() && configured_attack(s.lab.experiment()).is_some()
        })
        .unwrap_or(false)
    };
    let has_synthetic = move || {
        ui.revision.track();
        ctl.with_session(|s| !s.lab.marks().synthetic.is_empty())
            .unwrap_or(false)
    };
    view! {
        <section class="panel boundary-panel" aria-labelledby="boundary-title">
            <h2 id="boundary-title">"Decision boundary"</h2>
            <div class="boundary-stage">
                <canvas
                    node_ref=canvas
                    data-testid="decision-boundary"
                    role="img"
                    aria-label="Model's class probabilities over the plane, the decision rule's boundary as a dark line, training points as dots, test points as rings, synthetic points as diamonds"
                    class:editing=move || edit_class.get().is_some()
                    on:mousemove=on_move
                    on:mouseleave=move |_| {
                        tooltip.set(None);
                        ball.set(None);
                        ui.hovered.set(None);
                    }
                    on:click=on_click
                ></canvas>
                {move || tooltip.get().map(|(text, line, x, y, right)| view! {
                    <div class="point-tooltip" data-testid="point-tooltip" role="tooltip"
                        class:flip=right
                        style:left=format!("{x:.0}px") style:top=format!("{y:.0}px")>
                        {text}
                        {line.map(|l| view! { <span class="tooltip-attack" data-testid="tooltip-attack">{l}</span> })}
                    </div>
                })}
            </div>
            {move || plane_note().map(|t| view! { <p class="plane-note" data-testid="plane-note">{t}</p> })}
            // `hide=edit`: no picker, so no class is ever chosen and clicks never edit.
            <Show when=move || !link.is_hidden("edit")><PointEditBar edit_class=edit_class/></Show>
            <ul class="legend">
                {legend}
                <li><span class="mark dot"></span>"train"</li>
                <li><span class="mark ring"></span>"test"</li>
                <li class:muted=move || !has_synthetic()><span class="mark diamond"></span>"synthetic (trained on, never evaluated)"</li>
                <Show when=move || ui.config.with(|c| !c.dataset.edits.add.is_empty())>
                    <li><span class="mark added-square"></span>"added by you (trained on, never evaluated)"</li>
                </Show>
                <Show when=move || plane_note().is_none()>
                    <li><span class="mark boundary-line"></span>"decision rule's boundary"</li>
                </Show>
                <Show when=has_attack>
                    <li title="hover a point"><span class="mark eps-ball"></span>"ε-ball of the hovered point, and its adversarial example (crossed dot)"</li>
                </Show>
            </ul>
            <Show when=has_internals>
                <div class="internals">
                    <label>
                        <input type="checkbox" data-testid="sampler-internals"
                            prop:checked=move || show_internals.get()
                            on:change=move |ev| show_internals.set(event_target_checked(&ev))/>
                        " Show the sampler's internals"
                    </label>
                    <ul class="internals-summary" data-testid="internals-summary">
                        {move || internals_summary().into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}
                    </ul>
                </div>
            </Show>
        </section>
    }
}

/// The hovered point's ε-ball and adversarial example, and the tooltip's line about them; nothing
/// without an attack configured. One row, attacked with the current model.
fn attack_on(
    lab: &crate::lab::Lab,
    mark: Option<crate::lab::Mark>,
) -> (Option<EpsBall>, Option<String>) {
    let exp = lab.experiment();
    let (Some(attack), Some(m)) = (configured_attack(exp), mark) else {
        return (None, None);
    };
    if !lab.plane().shows_boundary() {
        let line = format!(
            "ε-ball not drawn: this plane projects {} features onto two, and a ball in the model's inputs has no faithful picture here",
            exp.data.n_features
        );
        return (None, Some(line));
    }
    match eps_ball(exp, attack, m.x, m.y, m.class) {
        Some(b) => {
            let line = b.describe(attack);
            (Some(b), Some(line))
        }
        None => (None, None),
    }
}
