//! The classifier: hidden layers, activation, output head.

use leptos::prelude::*;
use serde_json::Value;

use super::edit::path;
use super::form::{leaf, variant};
use super::SetupCtx;

pub fn body(ctx: SetupCtx, root: &Value) -> AnyView {
    view! {
        {leaf(ctx, root, path(&["model", "hidden"]), "model")}
        {leaf(ctx, root, path(&["model", "activation"]), "model")}
        {variant(ctx, root, path(&["model", "head"]), "Output head", Some("linear"))}
    }
    .into_any()
}
