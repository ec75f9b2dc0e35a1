//! The test-split confusion matrix, rows = true class, columns = predicted class. Each cell is
//! shaded by its share of its row, so the diagonal reads as per-class recall.

use leptos::prelude::*;

use crate::state::Ui;

#[component]
pub fn ConfusionPanel() -> impl IntoView {
    let ui = expect_context::<Ui>();
    let n = Memo::new(move |_| ui.snapshot.with(|s| s.confusion.n_classes));
    let header = move || {
        (0..n.get())
            .map(|p| view! { <th scope="col">{p}</th> })
            .collect_view()
    };
    let rows = move || {
        (0..n.get())
            .map(|t| {
                let cells = (0..n.get())
                    .map(|p| view! { <Cell truth=t pred=p/> })
                    .collect_view();
                view! {
                    <tr>
                        <th scope="row">{t}</th>
                        {cells}
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <section class="panel confusion-panel" aria-labelledby="cm-title">
            <h2 id="cm-title">"Confusion matrix " <span class="sub">"(test split)"</span></h2>
            <table class="confusion" data-testid="confusion-matrix">
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
fn Cell(truth: usize, pred: usize) -> impl IntoView {
    let ui = expect_context::<Ui>();
    let count = move || ui.snapshot.with(|s| s.confusion.get(truth, pred));
    let share = move || {
        ui.snapshot.with(|s| {
            let row = s.confusion.support(truth);
            if row == 0 {
                0.0
            } else {
                s.confusion.get(truth, pred) as f64 / row as f64
            }
        })
    };
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
            {count}
        </td>
    }
}
