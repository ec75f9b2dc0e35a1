//! The training loss and its parameters (class weights included).

use leptos::prelude::*;
use serde_json::Value;

use super::edit::path;
use super::form::variant;
use super::SetupCtx;

pub fn body(ctx: SetupCtx, root: &Value) -> AnyView {
    variant(ctx, root, path(&["loss"]), "Loss", None)
}
