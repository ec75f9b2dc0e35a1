//! The accuracy-vs-ε panel (issue 15), beside the disparity panel: "Run ε sweep" attacks the
//! current model on the test split at nine budgets from 0 to twice the configured ε
//! ([`crate::lab::EpsSweep`]) and draws each class's recall over ε in its class colour, with the
//! worst class's recall dashed. ε = 0 is the clean recall.
//!
//! The work goes in slices of at most [`SLICE_MS`] per animation frame, chunks of rows at a time,
//! so no task holds the page for long; progress and Cancel are shown meanwhile. Training keeps
//! going: the sweep attacks a copy of the model taken when Run was pressed (the panel says which
//! step), so the curves are one model's, not a blend of several. A new experiment (reset, new data
//! or settings) stops the sweep. The finished curves are on the panel as JSON (`data-curves`).

use std::cell::RefCell;
use std::rc::Rc;

use leptos::html::Canvas;
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::charts::palette::class_css;
use crate::charts::plot::{draw_plot, PlotSpec, Series};
use crate::lab::{configured_attack, epsilon_grid, EpsCurves, EpsSweep, EPS_POINTS};
use crate::runner::{now_ms, Controller};
use imlab_engine::adversarial::AttackSpec;

/// Milliseconds of sweep work per animation frame, on top of the live experiment's frame.
const SLICE_MS: f64 = 10.0;

const WORST: &str = "#111827";

#[derive(Clone, Debug, Default, PartialEq)]
struct EpsView {
    running: bool,
    progress: f64,
    /// Budgets finished so far (all of them once done).
    curves: EpsCurves,
    done: bool,
    /// Why the last sweep stopped early, if it did.
    stopped: Option<String>,
}

/// The sweep in progress: a token so a cancelled or replaced sweep's next frame does nothing, the
/// session's generation it was started on, and the sweep itself.
type Active = Rc<RefCell<Option<(u64, u64, EpsSweep)>>>;

#[derive(Clone, Copy)]
struct EpsJob {
    active: StoredValue<Active, LocalStorage>,
    view: RwSignal<EpsView>,
    token: StoredValue<u64>,
}

impl EpsJob {
    fn new() -> Self {
        EpsJob {
            active: StoredValue::new_local(Rc::new(RefCell::new(None))),
            view: RwSignal::new(EpsView::default()),
            token: StoredValue::new(0),
        }
    }

    fn run(self, ctl: Controller) {
        let started = ctl.with_session(|s| {
            let exp = s.lab.experiment();
            let attack = configured_attack(exp).cloned().unwrap_or_default();
            let grid = epsilon_grid(attack.epsilon, EPS_POINTS);
            (s.generation, EpsSweep::new(exp, &attack, grid))
        });
        let Some((generation, sweep)) = started else {
            return;
        };
        let token = self.token.get_value() + 1;
        self.token.set_value(token);
        let curves = sweep.curves().clone();
        if let Some(slot) = self.active.try_get_value() {
            *slot.borrow_mut() = Some((token, generation, sweep));
        }
        self.view.set(EpsView {
            running: true,
            curves,
            ..EpsView::default()
        });
        schedule(self, ctl, token);
    }

    fn stop(self, why: &str) {
        if let Some(slot) = self.active.try_get_value() {
            slot.borrow_mut().take();
        }
        self.view.update(|v| {
            if v.running {
                v.running = false;
                v.stopped = Some(why.to_string());
            }
        });
    }

    fn tick(self, ctl: Controller, token: u64) {
        let Some(slot) = self.active.try_get_value() else {
            return;
        };
        let mut guard = slot.borrow_mut();
        let Some((_, generation, sweep)) = guard.as_mut().filter(|a| a.0 == token) else {
            return;
        };
        let current = ctl.with_session(|s| s.generation);
        match current {
            // The live experiment is being replaced right now: look again next frame.
            None => {
                drop(guard);
                schedule(self, ctl, token);
                return;
            }
            Some(g) if g != *generation => {
                drop(guard);
                self.stop("Stopped: the experiment changed (reset, new data or settings). Run the sweep again for the new model.");
                return;
            }
            Some(_) => {}
        }
        let deadline = now_ms() + SLICE_MS;
        sweep.advance(&mut || now_ms() >= deadline);
        let (progress, done, curves) = (sweep.progress(), sweep.is_done(), sweep.curves().clone());
        if done {
            guard.take();
        }
        drop(guard);
        self.view.update(|v| {
            v.progress = progress;
            v.running = !done;
            v.done = done;
            v.curves = curves;
        });
        if !done {
            schedule(self, ctl, token);
        }
    }
}

fn schedule(job: EpsJob, ctl: Controller, token: u64) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let cb = Closure::once_into_js(move || job.tick(ctl, token));
    // Fails only when the window is gone, and then there is nothing left to run.
    let _ = window.request_animation_frame(cb.unchecked_ref());
}

fn attack_text(a: &AttackSpec, configured: bool) -> String {
    let top = epsilon_grid(a.epsilon, EPS_POINTS)
        .last()
        .copied()
        .unwrap_or(0.0);
    format!(
        "{} under {}, ε from 0 to {top} ({EPS_POINTS} budgets; configured ε = {}{})",
        a.method.name(),
        a.norm.name(),
        a.epsilon,
        if configured {
            ""
        } else {
            ", the default attack: set Robust evaluation in Setup → Robustness to choose"
        }
    )
}

#[component]
pub fn EpsCurvesPanel() -> impl IntoView {
    let ctl = expect_context::<Controller>();
    let ui = ctl.ui;
    let job = EpsJob::new();
    let canvas = NodeRef::<Canvas>::new();
    let attack = move || {
        ui.config.with(|c| {
            let configured = c
                .robust_eval
                .as_ref()
                .or(c.adversarial.as_ref().map(|a| &a.attack));
            attack_text(
                &configured.cloned().unwrap_or_default(),
                configured.is_some(),
            )
        })
    };
    Effect::new(move |prev: Option<(EpsCurves, i32)>| {
        ui.revision.track();
        let curves = job.view.with(|v| v.curves.clone());
        let Some(el) = canvas.get() else {
            return (curves, 0);
        };
        let key = (curves, el.client_width());
        if prev.as_ref() == Some(&key) {
            return key;
        }
        draw(&el, &key.0);
        key
    });
    let status = move || {
        job.view.with(|v| {
            if v.running {
                format!(
                    "{:.0}% · {} of {EPS_POINTS} budgets done · model of step {} (training goes on meanwhile)",
                    v.progress * 100.0,
                    v.curves.points.len(),
                    v.curves.step
                )
            } else if let Some(why) = &v.stopped {
                why.clone()
            } else if v.done {
                format!("Done: model of step {}.", v.curves.step)
            } else {
                String::new()
            }
        })
    };
    let state = move || {
        job.view.with(|v| {
            if v.running {
                "running"
            } else if v.done {
                "done"
            } else if v.stopped.is_some() {
                "stopped"
            } else {
                "idle"
            }
        })
    };
    let data = move || {
        job.view.with(|v| {
            v.done
                .then(|| serde_json::to_string(&v.curves).unwrap_or_default())
        })
    };
    let n_classes = Memo::new(move |_| ui.snapshot.with(|s| s.per_class.len()));
    let legend = move || {
        (0..n_classes.get())
            .map(|c| view! { <li><span class="line" style:border-color=class_css(c)></span>{format!("class {c}")}</li> })
            .collect_view()
    };
    let running = move || job.view.with(|v| v.running);
    view! {
        <section class="panel eps-curves-panel" data-testid="eps-curves" data-state=state data-curves=data aria-labelledby="eps-curves-title">
            <h2 id="eps-curves-title">"Recall per class vs ε " <span class="sub">"(test split)"</span></h2>
            <p class="sub" data-testid="eps-attack">{attack}</p>
            <div class="buttons">
                <button class="primary" data-testid="eps-run" disabled=running on:click=move |_| job.run(ctl)>"Run ε sweep"</button>
                <button data-testid="eps-cancel" disabled=move || !running() on:click=move |_| job.stop("Cancelled: the budgets done so far are drawn.")>"Cancel"</button>
            </div>
            <div class="progress-line">
                <progress data-testid="eps-progress" max="1" prop:value=move || job.view.with(|v| v.progress)></progress>
                <span data-testid="eps-status" aria-live="polite">{status}</span>
            </div>
            <canvas
                node_ref=canvas
                class="eps-curves-chart"
                data-testid="eps-curves-chart"
                role="img"
                aria-label="Recall of each class on the attacked test split against the budget ε, one line per class in its colour, the worst class's recall dashed"
            ></canvas>
            <ul class="legend">
                {legend}
                <li><span class="line dashed" style:border-color=WORST></span>"worst class"</li>
            </ul>
            <p class="hint">"Training keeps going during a sweep: the sweep attacks a copy of the model taken when it started."</p>
        </section>
    }
}

fn draw(el: &web_sys::HtmlCanvasElement, curves: &EpsCurves) {
    let k = curves.points.first().map_or(0, |p| p.recall.len());
    let per_class: Vec<Vec<(f64, f64)>> = (0..k)
        .map(|c| {
            curves
                .points
                .iter()
                .filter_map(|p| p.recall[c].map(|r| (p.epsilon, r)))
                .collect()
        })
        .collect();
    let worst: Vec<(f64, f64)> = curves
        .points
        .iter()
        .filter_map(|p| p.worst.map(|w| (p.epsilon, w)))
        .collect();
    let colours: Vec<String> = (0..k).map(class_css).collect();
    let mut series: Vec<Series> = per_class
        .iter()
        .zip(&colours)
        .map(|(points, colour)| Series {
            points,
            colour,
            dashed: false,
            width: 2.0,
        })
        .collect();
    series.push(Series {
        points: &worst,
        colour: WORST,
        dashed: true,
        width: 2.2,
    });
    let x_max = curves
        .attack
        .as_ref()
        .and_then(|a| epsilon_grid(a.epsilon, EPS_POINTS).last().copied())
        .unwrap_or(1.0);
    let spec = PlotSpec {
        x_max,
        y_max: 1.0,
        x_label: "ε",
        y_label: "recall",
        reference: None,
        series,
        markers: Vec::new(),
        empty_text: curves
            .points
            .is_empty()
            .then_some("Run the ε sweep to draw the curves"),
        bars: Vec::new(),
    };
    if let Err(e) = draw_plot(el, &spec) {
        leptos::logging::warn!("ε curves not drawn: {e:?}");
    }
}
