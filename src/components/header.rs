//! The title bar: title, preset picker, share, theme and presentation toggles, and the backend
//! badge. Also the notice for a link that could not be read in full, and the notice when WebGPU is
//! not used.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::presets::{self, PRESETS};
use crate::runner::Controller;
use crate::state::Ui;
use crate::theme::{self, Theme};
use crate::url::{self, LinkState};

#[component]
pub fn Header() -> impl IntoView {
    let ui = expect_context::<Ui>();
    let link = expect_context::<LinkState>();
    provide_context(ChosenPreset(RwSignal::new(None)));
    // The theme applies even when its toggle is hidden (`hide=theme`).
    theme::apply(theme::initial(), false);
    // Multi-label runs train on the CPU whatever the backend (no GPU kernels for them yet).
    let multilabel = move || ui.ml.with(Option::is_some);
    let label = move || {
        if multilabel() {
            "CPU (multi-label)".to_string()
        } else {
            ui.backend.with(|b| b.label.clone())
        }
    };
    let is_cpu = move || multilabel() || ui.backend.with(|b| b.label == "CPU");
    view! {
        <header class="topbar">
            <div class="brand">
                <h1>"Imbalance Lab"</h1>
                <p class="tagline">"What class imbalance does to a classifier, live"</p>
            </div>
            <div class="header-tools">
                <Show when=move || !link.is_hidden("presets")><PresetPicker/></Show>
                <Show when=move || !link.is_hidden("share")><ShareButton/></Show>
                <Show when=move || !link.is_hidden("theme")><ThemeToggle/></Show>
                <Show when=move || !link.is_hidden("presentation")><PresentationToggle/></Show>
                <span class="badge" class:cpu=is_cpu title="Compute backend training the model">
                    <span class="badge-key">"Backend"</span>
                    <span class="badge-value" data-testid="backend">{label}</span>
                </span>
            </div>
        </header>
        <PresetExplanation/>
    }
}

/// The preset chosen last (its story stays shown while the user explores from there).
#[derive(Clone, Copy)]
struct ChosenPreset(RwSignal<Option<&'static str>>);

#[component]
fn PresetPicker() -> impl IntoView {
    let ctl = expect_context::<Controller>();
    let chosen = use_chosen();
    let on_change = move |ev: leptos::ev::Event| {
        let id = event_target_value(&ev);
        let Some(p) = presets::find(&id) else {
            chosen.0.set(None);
            return;
        };
        // Presets are checked by a native test; a refusal here would be shown by the controller.
        if ctl.apply_config(p.parse().config) {
            ctl.ui.playing.set(true);
        }
        chosen.0.set(Some(p.id));
    };
    view! {
        <label for="preset-select" class="visually-hidden">"Preset"</label>
        <select id="preset-select" data-testid="preset" title="Experiments that each tell one story"
            prop:value=move || chosen.0.get().unwrap_or("") on:change=on_change>
            <option value="">"Presets…"</option>
            {PRESETS.iter().map(|p| view! { <option value=p.id>{p.title}</option> }).collect_view()}
        </select>
    }
}

fn use_chosen() -> ChosenPreset {
    expect_context::<ChosenPreset>()
}

#[component]
fn PresetExplanation() -> impl IntoView {
    let chosen = use_chosen();
    let story = move || chosen.0.get().and_then(presets::find);
    view! {
        <Show when=move || story().is_some()>
            <p class="preset-explanation" role="status" data-testid="preset-explanation">
                <strong>{move || story().map(|p| p.title)}</strong>
                " — "
                {move || story().map(|p| p.story)}
            </p>
        </Show>
    }
}

#[component]
fn ShareButton() -> impl IntoView {
    let shown = RwSignal::new(None::<String>);
    let copied = RwSignal::new(false);
    let on_click = move |_| {
        let Some(href) = url::current_url() else {
            return;
        };
        spawn_local(async move {
            match url::copy_to_clipboard(&href).await {
                Ok(()) => {
                    copied.set(true);
                    shown.set(None);
                }
                Err(_) => {
                    copied.set(false);
                    shown.set(Some(href));
                }
            }
        });
    };
    let select_all = move |ev: leptos::ev::FocusEvent| {
        if let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        {
            input.select();
        }
    };
    view! {
        <button data-testid="share" on:click=on_click aria-label="Copy a link to this experiment">
            {move || if copied.get() { "Link copied ✓" } else { "Share" }}
        </button>
        <Show when=move || shown.get().is_some()>
            <label class="share-field">
                <span class="visually-hidden">"Link to this experiment (select and copy)"</span>
                <input data-testid="share-url" type="text" readonly
                    prop:value=move || shown.get().unwrap_or_default() on:focus=select_all/>
            </label>
        </Show>
    }
}

#[component]
fn ThemeToggle() -> impl IntoView {
    let current = RwSignal::new(theme::initial());
    let ui = expect_context::<Ui>();
    let flip = move |_| {
        let next = current.get_untracked().other();
        current.set(next);
        theme::apply(next, true);
        ui.redraw();
    };
    view! {
        <button data-testid="theme-toggle" on:click=flip
            aria-pressed=move || (current.get() == Theme::Dark).to_string()
            aria-label=move || format!("Switch to the {} theme", current.get().other().name())>
            {move || if current.get() == Theme::Dark { "☀ Light" } else { "☾ Dark" }}
        </button>
    }
}

#[component]
fn PresentationToggle() -> impl IntoView {
    let ui = expect_context::<Ui>();
    let on = RwSignal::new(false);
    let flip = move || {
        let next = !on.get_untracked();
        on.set(next);
        theme::set_presentation(next);
        ui.redraw();
    };
    // `p` toggles it, except while typing into a field.
    let _ = window_event_listener(leptos::ev::keydown, move |e| {
        let typing = crate::keys::is_form_field(&crate::keys::target_tag(&e));
        if !typing
            && !e.ctrl_key()
            && !e.alt_key()
            && !e.meta_key()
            && e.key().eq_ignore_ascii_case("p")
        {
            e.prevent_default();
            flip();
        }
    });
    view! {
        <button data-testid="presentation-toggle" on:click=move |_| flip()
            aria-pressed=move || on.get().to_string()
            aria-label="Presentation mode: large type, setup hidden (p)">
            {move || if on.get() { "Exit presentation" } else { "Present" }}
        </button>
    }
}

/// Problems in the link the page was opened with, or in the saved session it restored, each naming
/// its key (shown as text).
#[component]
pub fn LinkNotice() -> impl IntoView {
    let link = expect_context::<LinkState>();
    let dismissed = RwSignal::new(false);
    view! {
        <Show when=move || !dismissed.get() && link.issues.with(|i| !i.is_empty())>
            <div class="notice link-issues" role="status" data-testid="link-issues">
                <p>{move || if link.saved_session.get() {
                    "Parts of your saved session could not be used and were left at their defaults; the rest was restored:"
                } else {
                    "Parts of this link could not be used; the rest was applied:"
                }}</p>
                <ul>
                    {move || link.issues.get().into_iter().map(|i| view! {
                        <li><code class="link-key">{i.key}</code>": "{i.message}</li>
                    }).collect_view()}
                </ul>
                <button class="small" on:click=move |_| dismissed.set(true)>"Dismiss"</button>
            </div>
        </Show>
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
