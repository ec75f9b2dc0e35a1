//! Rows per class: the original training split, the training set after resampling (what the model
//! trains on), and the test split (what it is judged on). Bars share one scale, so over-sampling
//! shows as the middle bar growing and under-sampling as the majority's shrinking.

use leptos::prelude::*;

use crate::charts::palette::class_css;
use crate::state::Ui;

#[component]
pub fn ClassCountsPanel() -> impl IntoView {
    let ui = expect_context::<Ui>();
    let n = Memo::new(move |_| ui.snapshot.with(|s| s.train_counts.len()));
    let max = Memo::new(move |_| {
        ui.snapshot.with(|s| {
            s.train_counts
                .iter()
                .chain(&s.resampled_counts)
                .chain(&s.test_counts)
                .copied()
                .max()
                .unwrap_or(1)
                .max(1)
        })
    });
    let rows = move || {
        (0..n.get())
            .map(|c| {
                let bar = move |which: &'static str| {
                    let count = move || {
                        ui.snapshot.with(|s| {
                            let v = match which {
                                "train" => &s.train_counts,
                                "resampled" => &s.resampled_counts,
                                _ => &s.test_counts,
                            };
                            v.get(c).copied().unwrap_or(0)
                        })
                    };
                    let width = move || format!("{:.1}%", count() as f64 / max.get() as f64 * 100.0);
                    view! {
                        <div class=format!("count-bar {which}")>
                            <span class="count-key">{which}</span>
                            <span class="count-track">
                                <span class="count-fill" style:width=width style:background-color=class_css(c)></span>
                            </span>
                            <span class="count-value" data-testid=format!("count-{which}-{c}")>{count}</span>
                        </div>
                    }
                };
                view! {
                    <li class="count-class">
                        <span class="count-class-name"><span class="cm-swatch" style:background-color=class_css(c)></span>{format!("Class {c}")}</span>
                        {bar("train")}
                        {bar("resampled")}
                        {bar("test")}
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <section class="panel class-counts-panel" aria-labelledby="counts-title">
            <h2 id="counts-title">"Rows per class " <span class="sub">"train → after resampling · test"</span></h2>
            <ul class="class-counts" data-testid="class-counts">{rows}</ul>
        </section>
    }
}
