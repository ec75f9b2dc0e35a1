//! Robustness: adversarial training (attack, budget, mixing weight, and optionally class weights
//! inside the adversarial term: the reweighting remedy, `adversarial.class_weights`,
//! `docs/adversarial.md`) and robust evaluation of the test split, both optional.

use leptos::prelude::*;
use serde_json::Value;

use serde_json::json;

use super::edit::{self, path};
use super::form::{about_view, optional};
use super::SetupCtx;
use crate::catalog::robustness::{ADVERSARIAL, REWEIGHTING, ROBUST_EVAL};

pub fn body(ctx: SetupCtx, root: &Value) -> AnyView {
    if super::task::is_multilabel(root) {
        return view! {
            <p class="help">"Adversarial training and robust evaluation attack a multi-class loss; they are not implemented for multi-label experiments."</p>
        }
        .into_any();
    }
    let adversarial_on = edit::get(root, &path(&["adversarial"])).is_some_and(Value::is_object);
    view! {
        {optional(ctx, root, path(&["adversarial"]), ADVERSARIAL, "adversarial")}
        {adversarial_on.then(|| reweighting(ctx, root))}
        {optional(ctx, root, path(&["robust_eval"]), ROBUST_EVAL, "robust_eval")}
    }
    .into_any()
}

/// The switch for class weights inside the adversarial term (off: the loss's own weights). On, the
/// scheme's menu appears with the adversarial group's other parameters.
fn reweighting(ctx: SetupCtx, root: &Value) -> AnyView {
    let at = path(&["adversarial", "class_weights"]);
    let on = edit::get(root, &at).is_some_and(Value::is_object);
    let r = root.clone();
    let toggle = move |ev: leptos::ev::Event| {
        let mut next = r.clone();
        let value = if event_target_checked(&ev) {
            // Inverse frequency: the weighting Wang et al. start from.
            json!({"scheme": "inverse_frequency"})
        } else {
            Value::Null
        };
        edit::set(&mut next, &at, value);
        ctx.commit(next);
    };
    view! {
        <div class="optional">
            <label class="control-label check">
                <input id="setup-adversarial-class-weights" type="checkbox" data-testid="field-adversarial-class-weights"
                    prop:checked=on on:change=toggle/>
                "Reweight by class"
            </label>
            {about_view(REWEIGHTING)}
        </div>
    }
    .into_any()
}
