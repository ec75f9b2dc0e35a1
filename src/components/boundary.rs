//! The decision-boundary panel: the canvas (redrawn on every published frame) and its legend.

use leptos::html::Canvas;
use leptos::prelude::*;

use crate::charts::boundary::{BoundaryPainter, BoundaryScene};
use crate::charts::palette::class_css;
use crate::components::format::class_name;
use crate::runner::Controller;
use crate::state::Ui;

#[component]
pub fn BoundaryPanel() -> impl IntoView {
    let ui = expect_context::<Ui>();
    let ctl = expect_context::<Controller>();
    let canvas = NodeRef::<Canvas>::new();
    let painter = StoredValue::new_local(BoundaryPainter::default());
    Effect::new(move |_| {
        ui.revision.track();
        let Some(el) = canvas.get() else { return };
        ctl.with_session(|s| {
            let lab = &s.lab;
            let marks = lab.marks();
            let scene = BoundaryScene {
                grid: lab.grid(),
                probs: lab.grid_probs(),
                n_classes: lab.experiment().data.n_classes,
                train: &marks.train,
                test: &marks.test,
                synthetic: &marks.synthetic,
                data_key: s.generation,
            };
            painter.update_value(|p| {
                if let Err(e) = p.draw(&el, &scene) {
                    leptos::logging::warn!("decision boundary not drawn: {e:?}");
                }
            });
        });
    });
    let n_classes = Memo::new(move |_| ui.snapshot.with(|s| s.confusion.n_classes));
    let legend = move || {
        let (counts, totals) = ui.snapshot.with(|s| {
            let totals: Vec<usize> = s
                .train_counts
                .iter()
                .zip(&s.test_counts)
                .map(|(a, b)| a + b)
                .collect();
            (s.train_counts.clone(), totals)
        });
        (0..n_classes.get())
            .map(|c| {
                let name = class_name(c, &counts);
                let n = totals.get(c).copied().unwrap_or(0);
                view! {
                    <li title="samples in train + test">
                        <span class="swatch" style:background-color=class_css(c)></span>
                        {name}
                        <span class="sub">{format!("{n}")}</span>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <section class="panel boundary-panel" aria-labelledby="boundary-title">
            <h2 id="boundary-title">"Decision boundary"</h2>
            <canvas
                node_ref=canvas
                data-testid="decision-boundary"
                role="img"
                aria-label="Model's class probabilities over the plane, with training points as dots and test points as rings"
            ></canvas>
            <ul class="legend">
                {legend}
                <li><span class="mark dot"></span>"train"</li>
                <li><span class="mark ring"></span>"test"</li>
            </ul>
        </section>
    }
}
