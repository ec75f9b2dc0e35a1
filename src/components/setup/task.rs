//! The task: multi-class (one class per sample, softmax) or multi-label (a set of labels per
//! sample, one sigmoid per label). Switching keeps what both share (seed, split, network,
//! optimizer, schedule, epochs) and resets what the other task refuses
//! (`ExperimentConfig::switched_to`); the other sections then show that task's choices.

use imlab_engine::experiment::TaskKind;
use leptos::prelude::*;
use serde_json::Value;

use super::edit;
use super::form::about_view;
use super::SetupCtx;
use crate::catalog::multilabel::TASKS;

/// Whether the edited config is a multi-label one.
pub fn is_multilabel(root: &Value) -> bool {
    root.get("task").and_then(Value::as_str) == Some("multilabel")
}

pub fn body(ctx: SetupCtx, root: &Value) -> AnyView {
    let current = if is_multilabel(root) {
        "multilabel"
    } else {
        "multiclass"
    };
    let r = root.clone();
    let on_change = move |ev: leptos::ev::Event| {
        let kind = match event_target_value(&ev).as_str() {
            "multilabel" => TaskKind::Multilabel,
            _ => TaskKind::Multiclass,
        };
        match edit::parse(&r) {
            Ok(cfg) => ctx.commit(edit::to_value(&cfg.switched_to(kind))),
            Err(e) => ctx.refuse(format!("not applied: {e}")),
        }
    };
    let options = TASKS
        .iter()
        .map(|e| view! { <option value=e.tag selected=e.tag == current>{e.label}</option> })
        .collect_view();
    let chosen = crate::catalog::find(TASKS, current);
    view! {
        <div class="variant">
            <label for="setup-task" class="control-label">"Each sample has"</label>
            <select id="setup-task" data-testid="field-task" prop:value=current on:change=on_change>
                {options}
            </select>
            {about_view(chosen)}
        </div>
    }
    .into_any()
}
