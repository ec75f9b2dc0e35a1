//! The training loss and its parameters (class weights included).

use leptos::prelude::*;
use serde_json::Value;

use super::edit::path;
use super::form::variant;
use super::SetupCtx;

pub fn body(ctx: SetupCtx, root: &Value) -> AnyView {
    if super::task::is_multilabel(root) {
        return view! {
            {variant(ctx, root, path(&["multilabel", "loss"]), "Loss", None)}
            {super::form::leaf(ctx, root, path(&["multilabel", "correlation_weight"]), "multilabel")}
        }
        .into_any();
    }
    variant(ctx, root, path(&["loss"]), "Loss", None)
}
