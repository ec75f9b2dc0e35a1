//! The data: generated (generator, class sizes or an imbalance profile, noise) or a bundled file;
//! label noise, the test split and the seed.

use leptos::prelude::*;
use serde_json::Value;

use super::edit::{get, path};
use super::form::{leaf, variant};
use super::SetupCtx;

pub fn body(ctx: SetupCtx, root: &Value) -> AnyView {
    if super::task::is_multilabel(root) {
        return view! {
            {super::form::fields(ctx, root, &path(&["multilabel", "data"]), "multilabel_data", &["kind"])}
            {leaf(ctx, root, path(&["test_fraction"]), "")}
            {leaf(ctx, root, path(&["seed"]), "")}
        }
        .into_any();
    }
    let generated = get(root, &path(&["dataset", "source"])).is_none();
    let generator = generated.then(|| {
        view! {
            {leaf(ctx, root, path(&["dataset", "generator"]), "dataset")}
            {variant(ctx, root, path(&["dataset", "counts"]), "Class sizes", None)}
            {leaf(ctx, root, path(&["dataset", "noise"]), "dataset")}
        }
    });
    view! {
        {variant(ctx, root, path(&["dataset", "source"]), "Source", Some("generated"))}
        {generator}
        {variant(ctx, root, path(&["dataset", "label_noise"]), "Label noise", Some("none"))}
        {leaf(ctx, root, path(&["test_fraction"]), "")}
        {leaf(ctx, root, path(&["seed"]), "")}
    }
    .into_any()
}
