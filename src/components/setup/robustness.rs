//! Robustness: adversarial training (attack, budget, mixing weight) and robust evaluation of the
//! test split, both optional; the class weights of the adversarial loss (the reweighting remedy)
//! are read from the link (`adversarial.class_weights.scheme`, `docs/adversarial.md`).

use leptos::prelude::*;
use serde_json::Value;

use super::edit::path;
use super::form::optional;
use super::SetupCtx;
use crate::catalog::robustness::{ADVERSARIAL, ROBUST_EVAL};

pub fn body(ctx: SetupCtx, root: &Value) -> AnyView {
    if super::task::is_multilabel(root) {
        return view! {
            <p class="help">"Adversarial training and robust evaluation attack a multi-class loss; they are not implemented for multi-label experiments."</p>
        }
        .into_any();
    }
    view! {
        {optional(ctx, root, path(&["adversarial"]), ADVERSARIAL, "adversarial")}
        {optional(ctx, root, path(&["robust_eval"]), ROBUST_EVAL, "robust_eval")}
    }
    .into_any()
}
