//! The feature-space panel: the penultimate-layer features of the rows on their live principal
//! plane, the class means, the global mean and the classifier vectors (`crate::lab::FeatureView`
//! says how each is computed), with a "Features | Inputs" toggle and the hovered row shared with
//! the boundary panel through `Ui::hovered`.
//!
//! Cost: the view is recomputed only while the canvas is on screen (an `IntersectionObserver`
//! says so) and only when `Ui::revision` moves, which the runner bumps once per published frame;
//! hovering redraws the cached view without recomputing it.

use std::cell::RefCell;

use leptos::html::Canvas;
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::charts::feature_space::draw_feature_space;
use crate::lab::{FeatureMode, FeatureProjector, FeatureView, PointRef};
use crate::runner::{now_ms, Controller};
use crate::state::Ui;

/// How close (CSS pixels) the pointer must be to a point to hover it.
const HOVER_PX: f64 = 9.0;

thread_local! {
    /// The latest view, for `window.imlab.featureSpace()`.
    static LATEST: RefCell<Option<FeatureView>> = const { RefCell::new(None) };
}

/// `window.imlab.featureSpace()`: the latest view's numbers as JSON (class means, global mean,
/// arrow tips, explained variance, mode), with the draw count; `null` before the first view.
pub fn latest_json() -> String {
    LATEST.with(|l| match &*l.borrow() {
        Some(v) => {
            let mut json: serde_json::Value =
                serde_json::from_str(&v.to_json()).unwrap_or_default();
            json["draws"] = serde_json::json!(crate::charts::feature_space::draw_count());
            json.to_string()
        }
        None => "null".to_string(),
    })
}

/// Calls `on_change(visible)` whenever the element enters or leaves the viewport.
fn observe_visibility(el: &web_sys::Element, on_change: impl Fn(bool) + Clone + 'static) {
    let fallback = on_change.clone();
    let cb = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
        if let Some(entry) = entries
            .iter()
            .last()
            .and_then(|e| e.dyn_into::<web_sys::IntersectionObserverEntry>().ok())
        {
            on_change(entry.is_intersecting());
        }
    });
    match web_sys::IntersectionObserver::new(cb.as_ref().unchecked_ref()) {
        Ok(observer) => {
            observer.observe(el);
            // Observes for the page's lifetime, like the panel.
            cb.forget();
        }
        // No observer (very old browser): treat the panel as always visible.
        Err(_) => fallback(true),
    }
}

/// Shortest time between two feature-space views (a view a frame would be 60 a second).
const MIN_INTERVAL_MS: f64 = 30.0;

#[component]
pub fn FeatureSpacePanel() -> impl IntoView {
    let ui = expect_context::<Ui>();
    let ctl = expect_context::<Controller>();
    let canvas = NodeRef::<Canvas>::new();
    let mode = RwSignal::new(FeatureMode::Features);
    let visible = RwSignal::new(false);
    let projector = StoredValue::new_local(FeatureProjector::default());
    // Bumped when a new view is computed: the drawing effect follows it and the hover.
    let computed = RwSignal::new(0u64);
    let note = RwSignal::new(String::new());
    let has_virtual = RwSignal::new(false);
    let tooltip = RwSignal::new(None::<(String, f64, f64, bool)>);

    Effect::new(move |_| {
        if let Some(el) = canvas.get() {
            observe_visibility(&el, move |v| visible.set(v));
        }
    });
    // Compute: at most once per published frame and at most every `MIN_INTERVAL_MS`, only while on
    // screen. Thirty views a second look as live as sixty, and halving the work leaves the frames
    // that also end an epoch (measures, curves) well under the 50 ms a long task takes.
    // A frame skipped for the interval is caught up by a trailing `tick`, so the view never stays
    // behind the model (when training pauses, the last frame is shown).
    let last_ms = StoredValue::new_local(f64::NEG_INFINITY);
    let trailing = StoredValue::new_local(false);
    let tick = RwSignal::new(0u64);
    Effect::new(move |_| {
        ui.revision.track();
        tick.track();
        let mode = mode.get();
        if !visible.get() {
            return;
        }
        let now = now_ms();
        let wanted = match mode {
            FeatureMode::Features => "features",
            FeatureMode::Inputs => "inputs",
        };
        // A mode change computes at once; a new frame waits its turn.
        let mode_changed = LATEST.with(|l| l.borrow().as_ref().map(|v| v.mode) != Some(wanted));
        let wait = MIN_INTERVAL_MS - (now - last_ms.get_value());
        if !mode_changed && wait > 0.0 {
            if !trailing.get_value() {
                trailing.set_value(true);
                set_timeout(
                    move || {
                        trailing.set_value(false);
                        tick.update(|t| *t = t.wrapping_add(1));
                    },
                    std::time::Duration::from_millis(wait.ceil() as u64),
                );
            }
            return;
        }
        last_ms.set_value(now);
        let view = ctl.with_session(|s| {
            let lab = &s.lab;
            let exp = lab.experiment();
            let mut out = None;
            projector.update_value(|p| {
                out = Some(match mode {
                    FeatureMode::Features => p.features(exp, lab.marks(), s.generation),
                    FeatureMode::Inputs => p.inputs(exp, lab.marks(), lab.plane(), s.generation),
                });
            });
            out.map(|v| (v.note(exp.train.len()), v))
        });
        let Some(Some((text, view))) = view else {
            return;
        };
        if has_virtual.get_untracked() != (view.n_virtual > 0) {
            has_virtual.set(view.n_virtual > 0);
        }
        LATEST.with(|l| *l.borrow_mut() = Some(view));
        if note.get_untracked() != text {
            note.set(text);
        }
        computed.update(|c| *c = c.wrapping_add(1));
    });
    // Draw: on a new view or a new hovered row.
    Effect::new(move |_| {
        computed.track();
        let hovered = ui.hovered.get();
        let Some(el) = canvas.get() else { return };
        let n_classes = ui.snapshot.with_untracked(|s| s.confusion.n_classes);
        LATEST.with(|l| {
            let Some(view) = &*l.borrow() else { return };
            let names = match (view.mode, view.explained) {
                ("inputs", None) => ["input 1", "input 2"],
                _ => ["PC 1", "PC 2"],
            };
            match draw_feature_space(&el, view, n_classes, hovered, names) {
                // The Export panel saves this canvas only once it holds a picture.
                Ok(()) => {
                    let _ = el.set_attribute("data-drawn", "");
                }
                Err(e) => leptos::logging::warn!("feature space not drawn: {e:?}"),
            }
        });
    });

    let on_move = move |ev: leptos::ev::MouseEvent| {
        let Some(el) = canvas.get_untracked() else {
            return;
        };
        let (w, h) = (
            el.client_width().max(1) as f64,
            el.client_height().max(1) as f64,
        );
        let (px, py) = (f64::from(ev.offset_x()), f64::from(ev.offset_y()));
        let found: Option<PointRef> = LATEST.with(|l| {
            let view = l.borrow();
            let view = view.as_ref()?;
            let (x, y) = view.window.plane_point(px / w, py / h);
            let radius = HOVER_PX / w * 2.0 * view.window.half;
            view.nearest(x, y, radius)
        });
        if ui.hovered.get_untracked() != found {
            ui.hovered.set(found);
        }
        let text = found.and_then(|r| ctl.with_session(|s| s.lab.marks().describe(r)));
        let right = px > w / 2.0;
        let x = if right { px - 12.0 } else { px + 12.0 };
        tooltip.set(text.map(|t| (t, x, py + 12.0, right)));
    };
    let mode_button = move |m: FeatureMode, label: &'static str, testid: &'static str| {
        view! {
            <button
                data-testid=testid
                aria-pressed=move || (mode.get() == m).to_string()
                on:click=move |_| mode.set(m)
            >{label}</button>
        }
    };
    view! {
        <section class="panel feature-space-panel" aria-labelledby="feature-space-title">
            <h2 id="feature-space-title">"Feature space"</h2>
            <div class="toggles" role="group" aria-label="Feature space: what to show" data-testid="feature-space-toggle">
                {mode_button(FeatureMode::Features, "Features", "feature-space-mode-features")}
                {mode_button(FeatureMode::Inputs, "Inputs", "feature-space-mode-inputs")}
            </div>
            <div class="boundary-stage">
                <canvas
                    node_ref=canvas
                    data-testid="feature-space"
                    data-lazy=""
                    role="img"
                    aria-label="The rows' penultimate-layer features on their first two principal components: training rows as dots, test rows as rings, synthetic rows as diamonds, class means as large discs, the global mean as a cross, the classifier vectors as arrows"
                    on:mousemove=on_move
                    on:mouseleave=move |_| {
                        tooltip.set(None);
                        ui.hovered.set(None);
                    }
                ></canvas>
                {move || tooltip.get().map(|(text, x, y, right)| view! {
                    <div class="point-tooltip" data-testid="feature-tooltip" role="tooltip"
                        class:flip=right
                        style:left=format!("{x:.0}px") style:top=format!("{y:.0}px")>{text}</div>
                })}
            </div>
            <p class="feature-note" data-testid="feature-space-note">{move || note.get()}</p>
            <ul class="legend">
                <li><span class="mark dot"></span>"train"</li>
                <li><span class="mark ring"></span>"test"</li>
                <li><span class="mark diamond"></span>"synthetic"</li>
                <Show when=move || has_virtual.get()>
                    <li data-testid="feature-space-virtual-legend"><span class="mark triangle"></span>"virtual feature (trained on, never evaluated)"</li>
                </Show>
                <li><span class="mark mean-disc"></span>"class mean"</li>
                <li><span class="mark global-cross">"+"</span>"global mean"</li>
                <li><span class="mark arrow-line"></span>"classifier vector"</li>
            </ul>
        </section>
    }
}
