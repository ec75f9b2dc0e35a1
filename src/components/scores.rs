//! Accuracy beside balanced accuracy (mean per-class recall): the gap between them is the first
//! thing imbalance does, so it is said in words when it is large.

use leptos::prelude::*;

use crate::components::format::{decimal, percent};
use crate::state::Ui;

/// Percentage points of gap above which the panel explains it.
const GAP_NOTE: f64 = 5.0;

#[component]
pub fn ScoresPanel() -> impl IntoView {
    let ui = expect_context::<Ui>();
    let accuracy = move || ui.snapshot.with(|s| s.accuracy);
    let balanced = move || ui.snapshot.with(|s| s.balanced_accuracy);
    let note = move || match (accuracy(), balanced()) {
        (Some(a), Some(b)) if (a - b) * 100.0 > GAP_NOTE => Some(format!(
            "Accuracy is {:.0} points above balanced accuracy: the majority class carries it.",
            (a - b) * 100.0
        )),
        _ => None,
    };
    view! {
        <section class="panel scores-panel" aria-labelledby="scores-title">
            <h2 id="scores-title">"Scores " <span class="sub">"(test split)"</span></h2>
            <div class="scores">
                <div class="score">
                    <span class="score-value" data-testid="accuracy">{move || percent(accuracy())}</span>
                    <span class="score-key">"Accuracy"</span>
                </div>
                <div class="score balanced">
                    <span class="score-value" data-testid="balanced-accuracy">{move || percent(balanced())}</span>
                    <span class="score-key">"Balanced accuracy"</span>
                </div>
            </div>
            <div class="scores secondary">
                <div class="score">
                    <span class="score-value" data-testid="macro-f1">{move || percent(ui.snapshot.with(|s| s.macro_f1))}</span>
                    <span class="score-key" title="Mean of the per-class F1 scores">"Macro-F1"</span>
                </div>
                <div class="score">
                    <span class="score-value" data-testid="g-mean">{move || percent(ui.snapshot.with(|s| s.g_mean))}</span>
                    <span class="score-key" title="Geometric mean of the per-class recalls">"G-mean"</span>
                </div>
                <div class="score">
                    <span class="score-value" data-testid="mcc">{move || decimal(ui.snapshot.with(|s| s.mcc))}</span>
                    <span class="score-key" title="Matthews correlation coefficient, −1 to 1">"MCC"</span>
                </div>
            </div>
            <p class="score-note" aria-live="polite">{note}</p>
        </section>
    }
}
