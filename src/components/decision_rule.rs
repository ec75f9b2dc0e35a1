//! The decision rule: how the model's probabilities become a predicted class (`posthoc.rs` of the
//! engine). None (arg-max), a threshold on P(class 1) for two classes, logit adjustment with τ
//! (Menon et al. 2021), or prior correction (Buda et al. 2018). Changing it retrains nothing: every
//! view is re-derived from the stored probabilities at once, and training goes on with the rule.

use imlab_engine::posthoc::PostHoc;
use leptos::prelude::*;

use crate::runner::Controller;
use crate::state::Ui;

/// The rule when the user picks a kind, before touching its slider.
fn default_for(kind: &str) -> PostHoc {
    match kind {
        "threshold" => PostHoc::Threshold { threshold: 0.5 },
        "logit_adjustment" => PostHoc::LogitAdjustment { tau: 1.0 },
        "prior_correction" => PostHoc::PriorCorrection,
        _ => PostHoc::None,
    }
}

#[component]
pub fn DecisionRulePanel() -> impl IntoView {
    let ui = expect_context::<Ui>();
    let ctl = expect_context::<Controller>();
    let current = Memo::new(move |_| {
        ui.revision.track();
        ctl.with_session(|s| s.lab.experiment().posthoc())
            .unwrap_or_default()
    });
    let n_classes = Memo::new(move |_| ui.snapshot.with(|s| s.confusion.n_classes));
    let kind = move || current.with(|p| p.name());
    let on_kind = move |ev| {
        let k = event_target_value(&ev);
        ctl.set_posthoc(default_for(&k));
    };
    let threshold = move || match current.get() {
        PostHoc::Threshold { threshold } => threshold,
        _ => 0.5,
    };
    let tau = move || match current.get() {
        PostHoc::LogitAdjustment { tau } => tau,
        _ => 1.0,
    };
    let on_threshold = move |ev| {
        if let Ok(t) = event_target_value(&ev).parse::<f64>() {
            ctl.set_posthoc(PostHoc::Threshold { threshold: t });
        }
    };
    let on_tau = move |ev| {
        if let Ok(t) = event_target_value(&ev).parse::<f64>() {
            ctl.set_posthoc(PostHoc::LogitAdjustment { tau: t });
        }
    };
    let explain = move || {
        match current.get() {
        PostHoc::None => "Predict the most probable class.".to_string(),
        PostHoc::Threshold { threshold } => format!(
            "Predict class 1 when P(class 1) ≥ {threshold:.2}. Lower it to trade precision for minority recall."
        ),
        PostHoc::LogitAdjustment { tau } => format!(
            "Subtract {tau:.2} · ln(class prior) from each logit (Menon et al. 2021); τ = 1 is prior correction."
        ),
        PostHoc::PriorCorrection => {
            "Divide each probability by its class's share of the training split (Buda et al. 2018).".to_string()
        }
    }
    };
    view! {
        <section class="panel decision-rule-panel" aria-labelledby="rule-title">
            <h2 id="rule-title">"Decision rule " <span class="sub">"(no retraining)"</span></h2>
            <div class="rule-row">
                <label>
                    <span class="rule-key">"Rule"</span>
                    <select data-testid="decision-rule" on:change=on_kind prop:value=kind>
                        <option value="none" selected=move || kind() == "none">"arg-max (none)"</option>
                        <option
                            value="threshold"
                            disabled=move || n_classes.get() != 2
                            selected=move || kind() == "threshold"
                        >"threshold on P(class 1)"</option>
                        <option value="logit_adjustment" selected=move || kind() == "logit_adjustment">"logit adjustment τ"</option>
                        <option value="prior_correction" selected=move || kind() == "prior_correction">"prior correction"</option>
                    </select>
                </label>
                <Show when=move || kind() == "threshold">
                    <label class="rule-slider">
                        <span class="rule-key">"t"</span>
                        <input
                            type="range" min="0" max="1" step="0.01"
                            data-testid="threshold"
                            aria-label="Decision threshold on P(class 1)"
                            prop:value=move || threshold().to_string()
                            on:input=on_threshold
                        />
                        <output class="rule-value">{move || format!("{:.2}", threshold())}</output>
                    </label>
                </Show>
                <Show when=move || kind() == "logit_adjustment">
                    <label class="rule-slider">
                        <span class="rule-key">"τ"</span>
                        <input
                            type="range" min="0" max="3" step="0.05"
                            data-testid="logit-tau"
                            aria-label="Logit adjustment τ"
                            prop:value=move || tau().to_string()
                            on:input=on_tau
                        />
                        <output class="rule-value">{move || format!("{:.2}", tau())}</output>
                    </label>
                </Show>
            </div>
            <p class="rule-note">{explain}</p>
        </section>
    }
}
