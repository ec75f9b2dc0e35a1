//! Per-label recall and F1 on the test split as bars, ordered from the most to the least frequent
//! label of the training split, with each label's training frequency, IRLbl and test support
//! beside them: the rare labels a model drops sit at the bottom.

use leptos::prelude::*;

use super::with_view;
use crate::charts::palette::class_css;
use crate::components::format::percent;
use crate::lab::label_name;
use crate::state::Ui;

#[component]
pub fn LabelBarsPanel() -> impl IntoView {
    let ui = expect_context::<Ui>();
    let order = Memo::new(move |_| with_view(ui, Vec::new(), |v| v.head_to_tail.clone()));
    let rows = move || {
        order
            .get()
            .into_iter()
            .map(|l| view! { <LabelBar label=l/> })
            .collect_view()
    };
    view! {
        <section class="panel label-bars-panel" aria-labelledby="label-bars-title" data-testid="ml-bars">
            <h2 id="label-bars-title">"Recall and F1 per label " <span class="sub">"(test split, head to tail)"</span></h2>
            <ul class="bars label-bars">{rows}</ul>
            <p class="hint">"Frequency and IRLbl are the training split's (before resampling); n is the label's test support."</p>
        </section>
    }
}

#[component]
fn LabelBar(label: usize) -> impl IntoView {
    let ui = expect_context::<Ui>();
    let report = move || {
        with_view(ui, None, |v| {
            v.snapshot.metrics.per_label.get(label).cloned()
        })
    };
    let recall = move || report().and_then(|r| r.recall.value());
    let f1 = move || report().and_then(|r| r.f1.value());
    let support = move || report().map_or(0, |r| r.support);
    let freq = move || {
        with_view(ui, (0, 0.0, 0.0), |v| {
            let m = &v.snapshot.train_measures;
            (
                m.positives.get(label).copied().unwrap_or(0),
                m.frequency.get(label).copied().unwrap_or(0.0),
                m.ir_lbl.get(label).copied().unwrap_or(0.0),
            )
        })
    };
    let name = label_name(label);
    let width = |v: Option<f64>| format!("{:.1}%", v.unwrap_or(0.0) * 100.0);
    let colour = class_css(label);
    let name_for_aria = name.clone();
    let name_for_f1 = name.clone();
    view! {
        <li class="bar-row label-bar" data-testid=format!("ml-bar-{label}")>
            <span class="bar-label">
                <span class="swatch" style:background-color=colour.clone()></span>
                <strong>{name.clone()}</strong>
                <span class="sub" data-testid=format!("ml-freq-{label}")>
                    {move || {
                        let (n, f, ir) = freq();
                        format!(" {n} in training ({:.1}%), IRLbl {ir:.1}, test n={}", f * 100.0, support())
                    }}
                </span>
            </span>
            <span class="bar-track" role="meter" aria-valuemin="0" aria-valuemax="1"
                aria-valuenow=move || recall().unwrap_or(0.0).to_string()
                aria-label=format!("Recall of label {name_for_aria}")>
                <span class="bar-fill" style:width=move || width(recall()) style:background-color=colour.clone()></span>
            </span>
            <span class="bar-value" data-testid=format!("ml-recall-{label}")>{move || percent(recall())}</span>
            <span class="bar-track f1-track" role="meter" aria-valuemin="0" aria-valuemax="1"
                aria-valuenow=move || f1().unwrap_or(0.0).to_string()
                aria-label=format!("F1 of label {name_for_f1}")>
                <span class="bar-fill f1-fill" style:width=move || width(f1()) style:background-color=colour></span>
            </span>
            <span class="bar-value f1-value" data-testid=format!("ml-f1-{label}")>{move || format!("F1 {}", percent(f1()))}</span>
        </li>
    }
}
