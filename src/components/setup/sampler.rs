//! Resampling of the training split: the method, its parameters and `sampling_strategy`.

use leptos::prelude::*;
use serde_json::Value;

use super::edit::path;
use super::form::variant;
use super::SetupCtx;

pub fn body(ctx: SetupCtx, root: &Value) -> AnyView {
    if super::task::is_multilabel(root) {
        return variant(ctx, root, path(&["multilabel", "sampler"]), "Method", None);
    }
    variant(ctx, root, path(&["sampler"]), "Method", None)
}
