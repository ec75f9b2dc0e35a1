//! How probabilities become label sets, changed without retraining: one threshold for every
//! label, one per label (sliders ordered head to tail, and a button that tunes them for each
//! label's F1 on the training split), or the k most probable labels. Every view follows at once
//! and the link carries the rule (`multilabel.decision`).

use imlab_engine::multilabel::DecisionRule;
use leptos::prelude::*;

use super::with_view;
use crate::charts::palette::class_css;
use crate::lab::label_name;
use crate::runner::Controller;
use crate::state::Ui;

fn rule_of(ui: Ui) -> DecisionRule {
    ui.config.with(|c| c.multilabel_setup().decision)
}

#[component]
pub fn LabelDecisionPanel() -> impl IntoView {
    let ui = expect_context::<Ui>();
    let ctl = expect_context::<Controller>();
    let n_labels = Memo::new(move |_| with_view(ui, 0, |v| v.n_labels));
    let kind = Memo::new(move |_| rule_of(ui).name());
    let global = move || match rule_of(ui) {
        DecisionRule::Threshold { threshold } => threshold,
        _ => 0.5,
    };
    let on_kind = move |ev: leptos::ev::Event| {
        let l = n_labels.get_untracked();
        let current = rule_of(ui);
        let base = match &current {
            DecisionRule::Threshold { threshold } => *threshold,
            _ => 0.5,
        };
        let next = match event_target_value(&ev).as_str() {
            "per_label_thresholds" => DecisionRule::PerLabelThresholds {
                thresholds: vec![base; l],
            },
            "top_k" => DecisionRule::TopK { k: 1 },
            _ => DecisionRule::Threshold { threshold: base },
        };
        ctl.set_multilabel_decision(next);
    };
    let set_global = move |ev: leptos::ev::Event| {
        if let Ok(t) = event_target_value(&ev).parse::<f64>() {
            ctl.set_multilabel_decision(DecisionRule::Threshold { threshold: t });
        }
    };
    let set_k = move |ev: leptos::ev::Event| {
        if let Ok(k) = event_target_value(&ev).parse::<usize>() {
            ctl.set_multilabel_decision(DecisionRule::TopK { k });
        }
    };
    let k_now = move || match rule_of(ui) {
        DecisionRule::TopK { k } => k,
        _ => 1,
    };
    let per_label = move || {
        let order = with_view(ui, Vec::new(), |v| v.head_to_tail.clone());
        order
            .into_iter()
            .map(|l| view! { <LabelThreshold label=l/> })
            .collect_view()
    };
    view! {
        <section class="panel label-decision-panel" aria-labelledby="ml-decision-title" data-testid="ml-decision">
            <h2 id="ml-decision-title">"Decision rule " <span class="sub">"(no retraining)"</span></h2>
            <div class="leaf">
                <label for="ml-rule" class="control-label">"Predict a label when"</label>
                <select id="ml-rule" data-testid="ml-rule" prop:value=move || kind.get() on:change=on_kind>
                    <option value="threshold" selected=move || kind.get() == "threshold">"its probability passes one threshold"</option>
                    <option value="per_label_thresholds" selected=move || kind.get() == "per_label_thresholds">"it passes its own threshold"</option>
                    <option value="top_k" selected=move || kind.get() == "top_k">"it is among the k most probable"</option>
                </select>
            </div>
            <Show when=move || kind.get() == "threshold">
                <div class="leaf">
                    <label for="ml-threshold" class="control-label">"Threshold " <strong data-testid="ml-threshold-value">{move || format!("{:.2}", global())}</strong></label>
                    <input id="ml-threshold" type="range" min="0.01" max="0.99" step="0.01" data-testid="ml-threshold"
                        prop:value=move || global().to_string() on:input=set_global/>
                </div>
            </Show>
            <Show when=move || kind.get() == "per_label_thresholds">
                <ul class="label-thresholds">{per_label}</ul>
            </Show>
            <Show when=move || kind.get() == "top_k">
                <div class="leaf">
                    <label for="ml-topk" class="control-label">"k"</label>
                    <input id="ml-topk" type="number" min="1" max=move || n_labels.get().to_string() step="1" data-testid="ml-topk"
                        prop:value=move || k_now().to_string() on:change=set_k/>
                </div>
            </Show>
            <button type="button" data-testid="ml-tune" on:click=move |_| { ctl.tune_multilabel_thresholds(); }
                title="For each label, the threshold that maximises its F1 on the training split's original rows (known entries only); test data is never used">
                "Tune per-label thresholds on the training split (F1)"
            </button>
            <p class="hint">"A label is predicted when its probability is strictly above its threshold. Tuning uses the training split only, so the test scores stay honest."</p>
        </section>
    }
}

#[component]
fn LabelThreshold(label: usize) -> impl IntoView {
    let ui = expect_context::<Ui>();
    let ctl = expect_context::<Controller>();
    let value = move || match rule_of(ui) {
        DecisionRule::PerLabelThresholds { thresholds } => {
            thresholds.get(label).copied().unwrap_or(0.5)
        }
        _ => 0.5,
    };
    let on_input = move |ev: leptos::ev::Event| {
        let Ok(t) = event_target_value(&ev).parse::<f64>() else {
            return;
        };
        if let DecisionRule::PerLabelThresholds { mut thresholds } = rule_of(ui) {
            if let Some(slot) = thresholds.get_mut(label) {
                *slot = t;
                ctl.set_multilabel_decision(DecisionRule::PerLabelThresholds { thresholds });
            }
        }
    };
    let id = format!("ml-threshold-{label}");
    let name = label_name(label);
    view! {
        <li class="label-threshold">
            <label for=id.clone() class="control-label">
                <span class="swatch" style:background-color=class_css(label)></span>
                {name}
                " " <strong data-testid=format!("ml-threshold-{label}-value")>{move || format!("{:.2}", value())}</strong>
            </label>
            <input id=id.clone() type="range" min="0.01" max="0.99" step="0.01" data-testid=id
                prop:value=move || value().to_string() on:input=on_input/>
        </li>
    }
}
