//! Precision, recall and F1 of every class on the test split, with its support: the table behind
//! the macro averages. Undefined scores (0/0, e.g. a class never predicted) say so.

use leptos::prelude::*;

use crate::charts::palette::class_css;
use crate::components::format::{class_name, percent};
use crate::state::Ui;

#[component]
pub fn PerClassPanel() -> impl IntoView {
    let ui = expect_context::<Ui>();
    let n = Memo::new(move |_| ui.snapshot.with(|s| s.per_class.len()));
    let rows = move || {
        (0..n.get())
            .map(|c| {
                let get = move |f: fn(&imlab_engine::experiment::ClassScores) -> Option<f64>| {
                    move || percent(ui.snapshot.with(|s| s.per_class.get(c).and_then(f)))
                };
                let name = move || ui.snapshot.with(|s| class_name(c, &s.train_counts));
                let support = move || ui.snapshot.with(|s| s.per_class.get(c).map_or(0, |r| r.support));
                view! {
                    <tr>
                        <th scope="row"><span class="cm-swatch" style:background-color=class_css(c)></span>{name}</th>
                        <td data-testid=format!("precision-{c}")>{get(|r| r.precision)}</td>
                        <td data-testid=format!("recall-table-{c}")>{get(|r| r.recall)}</td>
                        <td data-testid=format!("f1-{c}")>{get(|r| r.f1)}</td>
                        <td class="num">{support}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <section class="panel per-class-panel" aria-labelledby="per-class-title">
            <h2 id="per-class-title">"Per class " <span class="sub">"(test split)"</span></h2>
            <table class="per-class" data-testid="per-class-table">
                <thead>
                    <tr><th scope="col">"class"</th><th scope="col">"precision"</th><th scope="col">"recall"</th><th scope="col">"F1"</th><th scope="col">"n"</th></tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
}
