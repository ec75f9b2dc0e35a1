//! Per-class recall on the test split as bars: the number accuracy hides.

use leptos::prelude::*;

use crate::charts::palette::class_css;
use crate::components::format::{class_name, percent};
use crate::state::Ui;

#[component]
pub fn RecallPanel() -> impl IntoView {
    let ui = expect_context::<Ui>();
    let n = Memo::new(move |_| ui.snapshot.with(|s| s.per_class.len()));
    let rows = move || {
        (0..n.get())
            .map(|c| view! { <RecallBar class=c/> })
            .collect_view()
    };
    view! {
        <section class="panel recall-panel" aria-labelledby="recall-title">
            <h2 id="recall-title">"Recall per class " <span class="sub">"(test split)"</span></h2>
            <ul class="bars">{rows}</ul>
        </section>
    }
}

#[component]
fn RecallBar(class: usize) -> impl IntoView {
    let ui = expect_context::<Ui>();
    let recall = move || {
        ui.snapshot
            .with(|s| s.per_class.get(class).and_then(|c| c.recall))
    };
    let name = move || ui.snapshot.with(|s| class_name(class, &s.train_counts));
    let support = move || {
        ui.snapshot
            .with(|s| s.per_class.get(class).map_or(0, |c| c.support))
    };
    let width = move || format!("{:.1}%", recall().unwrap_or(0.0) * 100.0);
    view! {
        <li class="bar-row">
            <span class="bar-label">{name} <span class="sub">" n=" {support}</span></span>
            <span
                class="bar-track"
                role="meter"
                aria-valuemin="0"
                aria-valuemax="1"
                aria-valuenow=move || recall().unwrap_or(0.0).to_string()
                aria-label=move || format!("Recall of {}", name())
            >
                <span class="bar-fill" style:width=width style:background-color=class_css(class)></span>
            </span>
            <span class="bar-value" data-testid=format!("recall-{class}")>{move || percent(recall())}</span>
        </li>
    }
}
