//! The confusion matrix, rows = true class, columns = predicted class, on the test split (what
//! every score uses) or the original training split (before resampling: synthetic rows are never
//! counted). Cells show counts or their share of the row; either way each cell is shaded by its
//! share of its row, so the diagonal reads as per-class recall.

use imlab_engine::metrics::ConfusionMatrix;
use imlab_engine::Snapshot;
use leptos::prelude::*;

use crate::charts::palette::class_css;
use crate::state::Ui;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Split {
    Test,
    Train,
}

fn matrix(s: &Snapshot, split: Split) -> Option<&ConfusionMatrix> {
    match split {
        Split::Test => Some(&s.confusion),
        Split::Train => s.train_confusion.as_ref(),
    }
}

#[component]
pub fn ConfusionPanel() -> impl IntoView {
    let ui = expect_context::<Ui>();
    let split = RwSignal::new(Split::Test);
    let normalized = RwSignal::new(false);
    let n = Memo::new(move |_| ui.snapshot.with(|s| s.confusion.n_classes));
    let header = move || {
        (0..n.get())
            .map(|p| view! { <th scope="col"><span class="cm-swatch" style:background-color=class_css(p)></span>{p}</th> })
            .collect_view()
    };
    let rows = move || {
        (0..n.get())
            .map(|t| {
                let cells = (0..n.get())
                    .map(|p| view! { <Cell truth=t pred=p split=split normalized=normalized/> })
                    .collect_view();
                view! {
                    <tr>
                        <th scope="row"><span class="cm-swatch" style:background-color=class_css(t)></span>{t}</th>
                        {cells}
                    </tr>
                }
            })
            .collect_view()
    };
    let split_name = move || match split.get() {
        Split::Test => "(test split)",
        Split::Train => "(training split, original rows)",
    };
    view! {
        <section class="panel confusion-panel" aria-labelledby="cm-title">
            <h2 id="cm-title">"Confusion matrix " <span class="sub">{split_name}</span></h2>
            <div class="toggles" role="group" aria-label="Confusion matrix options">
                <button
                    data-testid="cm-split"
                    aria-pressed=move || (split.get() == Split::Train).to_string()
                    on:click=move |_| split.update(|s| *s = if *s == Split::Test { Split::Train } else { Split::Test })
                >{move || if split.get() == Split::Test { "show train" } else { "show test" }}</button>
                <button
                    data-testid="cm-normalize"
                    aria-pressed=move || normalized.get().to_string()
                    on:click=move |_| normalized.update(|v| *v = !*v)
                >{move || if normalized.get() { "show counts" } else { "row %" }}</button>
            </div>
            <table class="confusion" data-testid="confusion-matrix" data-split=move || if split.get() == Split::Test { "test" } else { "train" }>
                <thead>
                    <tr>
                        <th class="corner" scope="col"><span>"true ↓"</span> <span>"pred →"</span></th>
                        {header}
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
}

#[component]
fn Cell(
    truth: usize,
    pred: usize,
    split: RwSignal<Split>,
    normalized: RwSignal<bool>,
) -> impl IntoView {
    let ui = expect_context::<Ui>();
    let count_share = move || {
        ui.snapshot.with(|s| {
            let Some(cm) = matrix(s, split.get()) else {
                return (None, 0.0);
            };
            let row = cm.support(truth);
            let count = cm.get(truth, pred);
            let share = if row == 0 {
                0.0
            } else {
                count as f64 / row as f64
            };
            (Some(count), share)
        })
    };
    let text = move || match (count_share(), normalized.get()) {
        ((None, _), _) => "–".to_string(),
        ((Some(_), share), true) => format!("{:.0}%", share * 100.0),
        ((Some(c), _), false) => c.to_string(),
    };
    let share = move || count_share().1;
    // Correct cells shade blue, errors vermillion (Okabe–Ito), by their share of the row.
    let background = move || {
        let (r, g, b) = if truth == pred {
            (0, 114, 178)
        } else {
            (213, 94, 0)
        };
        format!("rgba({r}, {g}, {b}, {:.3})", 0.08 + 0.72 * share())
    };
    let dark = move || share() > 0.55;
    let title = move || {
        format!(
            "true {truth}, predicted {pred}: {:.1}% of class {truth}",
            share() * 100.0
        )
    };
    view! {
        <td
            data-testid=format!("cm-{truth}-{pred}")
            class:diag=truth == pred
            class:dark=dark
            style:background-color=background
            title=title
        >
            {text}
        </td>
    }
}
