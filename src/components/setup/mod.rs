//! The Setup panel (left aside): every setting of the experiment the engine offers, except the
//! post-hoc decision rule (the decision panel's). One file per section. Each change is read back
//! through the engine's serde types and `ExperimentConfig::validate`, then applied with
//! `Controller::apply_config` (training restarts at step 0 and keeps playing). A refused change is
//! explained next to its section and the running experiment is kept.
//!
//! Sections can be hidden with the link's `hide=` key; the names are `task`, `data`, `sampler`, `loss`,
//! `model`, `training`, `robustness`, and `setup` (the whole panel); see `crate::url::HIDE_NAMES`.
//! With `task = multilabel` the data, resampling and loss sections show the `multilabel.` choices
//! and the robustness section says it does not apply.

pub mod data;
pub mod defaults;
pub mod edit;
pub mod form;
pub mod loss;
pub mod model;
pub mod robustness;
pub mod sampler;
pub mod task;
pub mod training;

use leptos::prelude::*;
use serde_json::Value;

use crate::runner::Controller;
use crate::url::LinkState;

/// What a section's controls need: the edited config, where to report, and the controller.
#[derive(Clone, Copy)]
pub struct SetupCtx {
    /// The config as the panel shows it: the running one, or a refused edit being explained.
    pub draft: RwSignal<Value>,
    /// The latest refusal: (section, message).
    pub error: RwSignal<Option<(&'static str, String)>>,
    pub ctl: Controller,
    pub section: &'static str,
}

impl SetupCtx {
    fn in_section(self, section: &'static str) -> Self {
        SetupCtx { section, ..self }
    }

    /// Applies an edited config, or explains why not (keeping the running experiment).
    pub fn commit(self, next: Value) {
        let mut cfg = match edit::parse(&next) {
            Ok(cfg) => cfg,
            Err(e) => return self.refuse(format!("not applied: {e}")),
        };
        if let Err(e) = cfg.validate() {
            self.draft.set(next);
            return self.refuse(format!("{e}. Training goes on with the previous settings."));
        }
        let current = self.ctl.ui.config.get_untracked();
        // A change event that changes nothing (a field left after a programmatic edit fires one
        // on blur) must not restart a run.
        if cfg == current {
            self.error.set(None);
            return;
        }
        let dropped = crate::lab::drop_edits_on_new_data(&current, &mut cfg);
        if self.ctl.apply_config(cfg) {
            if dropped > 0 {
                let note = crate::lab::dropped_note(dropped);
                self.ctl.ui.edits_dropped.set(Some(note));
            }
            self.error.set(None);
            self.ctl.ui.playing.set(true);
        } else {
            let why = self.ctl.ui.error.get_untracked().unwrap_or_default();
            self.draft.set(next);
            self.refuse(format!(
                "{why}. Training goes on with the previous settings."
            ));
        }
    }

    pub fn refuse(self, message: String) {
        self.error.set(Some((self.section, message)));
    }
}

#[component]
pub fn SetupPanel() -> impl IntoView {
    let ctl = expect_context::<Controller>();
    let link = expect_context::<LinkState>();
    let ui = ctl.ui;
    let draft = RwSignal::new(edit::to_value(&ui.config.get_untracked()));
    let error = RwSignal::new(None::<(&'static str, String)>);
    // The panel follows the running config (a preset, the ratio slider, a reset).
    Effect::new(move |_| {
        let cfg = ui.config.get();
        draft.set(edit::to_value(&cfg));
        error.set(None);
    });
    let ctx = SetupCtx {
        draft,
        error,
        ctl,
        section: "",
    };
    let hidden = move |name: &str| link.hidden.with(|h| h.iter().any(|x| x == name));
    let section = move |name: &'static str,
                        title: &'static str,
                        body: fn(SetupCtx, &Value) -> AnyView| {
        let c = ctx.in_section(name);
        let message = move || {
            error.with(|e| match e {
                Some((s, m)) if *s == name => Some(m.clone()),
                _ => None,
            })
        };
        view! {
            <section class="setup-section" data-testid=format!("setup-{name}") hidden=move || hidden(name)
                aria-label=title>
                <h3>{title}</h3>
                // First in the section and sticky, so it stays in view beside the controls.
                <Show when=move || message().is_some()>
                    <p class="setup-error" role="alert" data-testid=format!("setup-error-{name}")>
                        {message}
                    </p>
                </Show>
                {move || draft.with(|root| body(c, root))}
            </section>
        }
    };
    view! {
        <aside class="setup-panel panel" aria-label="Experiment setup" data-testid="setup"
            hidden=move || hidden("setup")>
            <h2>"Setup"</h2>
            <p class="sub">"Every change restarts training from step 0."</p>
            {section("task", "Task", task::body)}
            {section("data", "Data", data::body)}
            {section("sampler", "Resampling", sampler::body)}
            {section("loss", "Loss", loss::body)}
            {section("model", "Model", model::body)}
            {section("training", "Training", training::body)}
            {section("robustness", "Robustness", robustness::body)}
            <datalist id="sampling-strategies">
                <option value="auto"/>
                <option value="minority"/>
                <option value="majority"/>
                <option value="not_minority"/>
                <option value="not_majority"/>
                <option value="all"/>
            </datalist>
        </aside>
    }
}
