//! The controls the tools panels (Compare A/B, Sweep) share around a [`SweepJob`]: where the runs
//! train, the epochs, Run and Cancel, the refusal message, the progress line and the note on the
//! backend. `prefix` names the panel in every data-testid (`sweep-run`, `compare-progress`, …).

use leptos::prelude::*;

use crate::sweep_runner::{SweepBackend, SweepJob};

/// "Train on": automatic (WebGPU side by side on a hardware adapter, else the CPU path), WebGPU
/// side by side, or the CPU path (the same bytes as `imlab sweep`).
#[component]
pub fn BackendField(prefix: &'static str, backend: RwSignal<SweepBackend>) -> impl IntoView {
    let id = format!("{prefix}-backend");
    view! {
        <div class="field">
            <label for=id.clone() title="WebGPU trains up to 16 runs side by side in one dispatch; the CPU path gives the same bytes as imlab sweep">"Train on"</label>
            <select id=id.clone() data-testid=id on:change=move |ev| backend.set(SweepBackend::from_code(&event_target_value(&ev)))>
                {[
                    (SweepBackend::Auto, "Automatic (WebGPU on a GPU, else CPU)"),
                    (SweepBackend::WebGpu, "WebGPU, side by side"),
                    (SweepBackend::Cpu, "CPU (same bytes as imlab sweep)"),
                ]
                    .into_iter()
                    .map(|(b, text)| view! { <option value=b.code() selected=move || backend.get() == b>{text}</option> })
                    .collect_view()}
            </select>
        </div>
    }
}

#[component]
pub fn EpochsField(prefix: &'static str, epochs: RwSignal<String>) -> impl IntoView {
    let id = format!("{prefix}-epochs");
    view! {
        <div class="field">
            <label for=id.clone()>"Epochs"</label>
            <input id=id.clone() data-testid=id type="number" min="1" size="5" prop:value=move || epochs.get() on:input=move |ev| epochs.set(event_target_value(&ev))/>
        </div>
    }
}

/// Run (disabled while the job runs) and Cancel (enabled only then).
#[component]
pub fn RunCancel(
    prefix: &'static str,
    run_label: &'static str,
    job: SweepJob,
    on_run: impl Fn() + 'static,
) -> impl IntoView {
    let running = move || job.view.with(|v| v.running);
    view! {
        <div class="buttons">
            <button class="primary" data-testid=format!("{prefix}-run") disabled=running on:click=move |_| on_run()>{run_label}</button>
            <button data-testid=format!("{prefix}-cancel") disabled=move || !running() on:click=move |_| job.cancel()>"Cancel"</button>
        </div>
    }
}

/// The refusal message, the progress bar with `status` beside it (data-testid `status_id`), and
/// the job's note on where it trains.
#[component]
pub fn JobProgress(
    prefix: &'static str,
    job: SweepJob,
    message: RwSignal<Option<String>>,
    status_id: &'static str,
    status: Signal<String>,
) -> impl IntoView {
    view! {
        <p class="tools-message error" role="alert" hidden=move || message.with(Option::is_none) data-testid=format!("{prefix}-message")>{move || message.get()}</p>
        <div class="progress-line">
            <progress data-testid=format!("{prefix}-progress") max="1" prop:value=move || job.view.with(|v| v.progress)></progress>
            <span class=status_id data-testid=status_id aria-live="polite">{move || status.get()}</span>
        </div>
        <p class="tools-note" data-testid=format!("{prefix}-backend-note") hidden=move || job.view.with(|v| v.backend.is_empty())>{move || job.view.with(|v| v.backend.clone())}</p>
    }
}
