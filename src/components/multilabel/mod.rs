//! The multi-label workspace, shown instead of the multi-class panels while `task = multilabel`
//! runs: the plane (one label's sigmoid, or every label set), the decision rule, the scores, the
//! per-label bars, the label co-occurrence of the test split and the per-epoch curves. Every panel
//! reads `Ui::ml` (the runner's `MultilabelLab` view); the plot also borrows the session for its
//! grid and points. One file per panel.

pub mod bars;
pub mod cooccurrence;
pub mod curves;
pub mod decision;
pub mod plane;
pub mod scores;

use leptos::prelude::*;

use crate::components::setup::SetupPanel;
use crate::lab::MultilabelView;
use crate::state::Ui;

/// The view's value at `f`, or `default` before the multi-label view exists.
pub(crate) fn with_view<R>(ui: Ui, default: R, f: impl FnOnce(&MultilabelView) -> R) -> R {
    ui.ml.with(|v| v.as_ref().map(f)).unwrap_or(default)
}

#[component]
pub fn MultilabelWorkspace() -> impl IntoView {
    view! {
        <main class="workspace multilabel-workspace" data-testid="multilabel-workspace">
            <SetupPanel/>
            <div class="centre">
                <plane::LabelPlanePanel/>
                <decision::LabelDecisionPanel/>
            </div>
            <div class="metrics">
                <scores::LabelScoresPanel/>
                <bars::LabelBarsPanel/>
            </div>
            <div class="metrics-more">
                <cooccurrence::CooccurrencePanel/>
                <curves::LabelCurvesPanel/>
            </div>
        </main>
    }
}
