//! The toolbar: play/pause, one step, reset, the minority:majority ratio, speed, and the step count.

use leptos::prelude::*;

use crate::lab::{ratio_label, RATIO_MAX, RATIO_MIN, RATIO_STEP};
use crate::runner::Controller;
use crate::state::{Ui, SPEEDS};

#[component]
pub fn Controls() -> impl IntoView {
    let ui = expect_context::<Ui>();
    let ctl = expect_context::<Controller>();
    let playing = move || ui.playing.get();
    view! {
        <section class="toolbar" aria-label="Training controls">
            <div class="buttons">
                <button
                    class="primary"
                    data-testid="play-pause"
                    aria-label=move || if playing() { "Pause training (space)" } else { "Play training (space)" }
                    aria-pressed=move || playing().to_string()
                    on:click=move |_| ctl.toggle_play()
                >
                    {move || if playing() { "❚❚ Pause" } else { "▶ Play" }}
                </button>
                <button data-testid="step-once" aria-label="One optimizer step (right arrow)" on:click=move |_| ctl.step_once()>
                    "Step ›"
                </button>
                <button data-testid="reset" aria-label="Reset to step 0 (r)" on:click=move |_| ctl.reset()>
                    "↺ Reset"
                </button>
            </div>
            <StepCounter/>
            <Show when=move || ui.ml.with(Option::is_none)>
                <RatioControl/>
            </Show>
            <SpeedControl/>
        </section>
    }
}

#[component]
fn StepCounter() -> impl IntoView {
    let ui = expect_context::<Ui>();
    view! {
        <div class="counter" aria-live="off">
            <span class="counter-key">"Step"</span>
            <span class="counter-value" data-testid="step">{move || ui.ml.with(|m| m.as_ref().map(|v| v.snapshot.step)).unwrap_or_else(|| ui.snapshot.with(|s| s.step))}</span>
            <span class="counter-key">"Epoch"</span>
            <span class="counter-value" data-testid="epoch">{move || ui.ml.with(|m| m.as_ref().map(|v| v.snapshot.epoch)).unwrap_or_else(|| ui.snapshot.with(|s| s.epoch))}</span>
        </div>
    }
}

#[component]
fn RatioControl() -> impl IntoView {
    let ui = expect_context::<Ui>();
    let ctl = expect_context::<Controller>();
    let on_value = move |ev: leptos::ev::Event| {
        if let Ok(v) = event_target_value(&ev).parse::<f64>() {
            ctl.set_ratio(v);
        }
    };
    let label = move || ratio_label(ui.ratio.get());
    view! {
        <div class="field ratio">
            <label for="ratio-input">"Minority : majority"</label>
            <input
                id="ratio-input"
                type="range"
                data-testid="ratio"
                min=RATIO_MIN
                max=RATIO_MAX
                step=RATIO_STEP
                prop:value=move || ui.ratio.get().to_string()
                aria-valuetext=move || format!("{} (minority to majority)", label())
                on:input=on_value
                on:change=on_value
            />
            <output for="ratio-input" class="ratio-value">{label}</output>
        </div>
    }
}

#[component]
fn SpeedControl() -> impl IntoView {
    let ui = expect_context::<Ui>();
    let ctl = expect_context::<Controller>();
    view! {
        <div class="field speed">
            <label for="speed-input" title="Optimizer steps per animation frame">"Steps / frame"</label>
            <select
                id="speed-input"
                data-testid="speed"
                on:change=move |ev| {
                    if let Ok(v) = event_target_value(&ev).parse::<u64>() {
                        ctl.set_speed(v);
                    }
                }
            >
                {SPEEDS
                    .iter()
                    .map(|&n| view! { <option value=n.to_string() selected=move || ui.speed.get() == n>{n}</option> })
                    .collect_view()}
            </select>
        </div>
    }
}
