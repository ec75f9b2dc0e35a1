//! How the model is trained: optimizer, batch size, run length, learning-rate schedule, deferred
//! re-weighting (DRW) and an optional second stage (cRT or two-phase fine-tuning).

use leptos::prelude::*;
use serde_json::Value;

use super::edit::path;
use super::form::{leaf, optional, variant};
use super::SetupCtx;
use crate::catalog::training::{DRW, SECOND_STAGES};

pub fn body(ctx: SetupCtx, root: &Value) -> AnyView {
    let crt = SECOND_STAGES[0];
    let second = crate::catalog::Entry {
        label: "Second stage",
        about: "After the run, re-trains the output layer (cRT: class-balanced batches; two-phase fine-tuning; virtual-feature calibration: real plus class-balanced virtual features) or, with pseudo-labels, the whole network on labeled plus pseudo-labelled rows.",
        ..crt
    };
    let multi_class = (!super::task::is_multilabel(root)).then(|| {
        view! {
            {optional(ctx, root, path(&["schedule", "drw"]), DRW, "drw")}
            {optional(ctx, root, path(&["schedule", "second_stage"]), second, "second_stage")}
        }
    });
    view! {
        {variant(ctx, root, path(&["optimizer"]), "Optimizer", None)}
        {leaf(ctx, root, path(&["batch_size"]), "")}
        {leaf(ctx, root, path(&["epochs"]), "")}
        {variant(ctx, root, path(&["schedule", "lr"]), "Learning-rate schedule", None)}
        {leaf(ctx, root, path(&["schedule", "warmup_epochs"]), "")}
        {multi_class}
    }
    .into_any()
}
