//! The pseudo-label panel (second stage `pseudo_labels`): what pseudo-labelling did to the
//! unlabeled pool, per class — rows in the pool, rows given the class, how many were right
//! (precision) and the share of the class's own pool rows it got back (recall). Under imbalance
//! the pseudo-labels favour the head classes; this is where that shows. Shown only for that stage.

use leptos::prelude::*;

use crate::charts::palette::class_css;
use crate::components::format::{class_name, percent};
use crate::state::Ui;

#[component]
pub fn PseudoLabelPanel() -> impl IntoView {
    let ui = expect_context::<Ui>();
    let configured = Memo::new(move |_| {
        ui.config.with(|c| {
            c.schedule.second_stage.as_ref().map(|st| st.method)
                == Some(imlab_engine::experiment::SecondStageMethod::PseudoLabels)
        })
    });
    let summary = move || {
        ui.snapshot.with(|s| match &s.pseudo_labels {
            Some(r) => format!(
                "{} of the {} pool rows reached confidence {} and were pseudo-labelled; {} of them right.",
                r.accepted,
                r.pool_size,
                r.confidence,
                percent(r.accuracy)
            ),
            None => "Stage 1 trains on the labeled rows; the pool is pseudo-labelled when stage 2 begins.".into(),
        })
    };
    let n = Memo::new(move |_| {
        ui.snapshot
            .with(|s| s.pseudo_labels.as_ref().map_or(0, |r| r.per_class.len()))
    });
    let rows = move || {
        (0..n.get())
            .map(|c| view! { <PseudoLabelRow class=c/> })
            .collect_view()
    };
    view! {
        <Show when=move || configured.get()>
            <section class="panel pseudo-label-panel" data-testid="pseudo-labels" aria-labelledby="pseudo-labels-title">
                <h2 id="pseudo-labels-title">"Pseudo-labels " <span class="sub">"(unlabeled pool)"</span></h2>
                <p class="sub" data-testid="pseudo-labels-summary">{summary}</p>
                <table class="disparity-table">
                    <thead><tr>
                        <th scope="col">"class"</th>
                        <th scope="col" title="pool rows whose withheld label is this class">"in pool"</th>
                        <th scope="col" title="pool rows given this class">"assigned"</th>
                        <th scope="col" title="right / assigned">"precision"</th>
                        <th scope="col" title="right / in pool">"recall"</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </section>
        </Show>
    }
}

#[component]
fn PseudoLabelRow(class: usize) -> impl IntoView {
    let ui = expect_context::<Ui>();
    let cell = move || {
        ui.snapshot.with(|s| {
            s.pseudo_labels
                .as_ref()
                .and_then(|r| r.per_class.get(class).cloned())
        })
    };
    let name = move || ui.snapshot.with(|s| class_name(class, &s.train_counts));
    view! {
        <tr data-testid=format!("pseudo-labels-row-{class}")>
            <th scope="row"><span class="swatch" style:background-color=class_css(class)></span>{name}</th>
            <td>{move || cell().map(|c| c.in_pool)}</td>
            <td>{move || cell().map(|c| c.assigned)}</td>
            <td>{move || percent(cell().and_then(|c| c.precision))}</td>
            <td data-testid=format!("pseudo-recall-{class}")>{move || percent(cell().and_then(|c| c.recall))}</td>
        </tr>
    }
}
