//! The title bar with the backend badge, and the notice shown when WebGPU is not used.

use leptos::prelude::*;

use crate::state::Ui;

#[component]
pub fn Header() -> impl IntoView {
    let ui = expect_context::<Ui>();
    let label = move || ui.backend.with(|b| b.label.clone());
    let is_cpu = move || ui.backend.with(|b| b.label == "CPU");
    view! {
        <header class="topbar">
            <div class="brand">
                <h1>"Imbalance Lab"</h1>
                <p class="tagline">"What class imbalance does to a classifier, live"</p>
            </div>
            <span class="badge" class:cpu=is_cpu title="Compute backend training the model">
                <span class="badge-key">"Backend"</span>
                <span class="badge-value" data-testid="backend">{label}</span>
            </span>
        </header>
    }
}

#[component]
pub fn BackendNotice() -> impl IntoView {
    let ui = expect_context::<Ui>();
    let notice = move || ui.backend.with(|b| b.notice.clone());
    view! {
        <Show when=move || notice().is_some()>
            <p class="notice" role="status" data-testid="backend-notice">{notice}</p>
        </Show>
    }
}
