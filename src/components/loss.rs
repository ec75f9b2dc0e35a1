//! The loss curve: per-epoch training loss, with the test loss for comparison.

use leptos::html::Canvas;
use leptos::prelude::*;

use crate::charts::loss::{draw_loss, TEST_COLOUR, TRAIN_COLOUR};
use crate::state::Ui;

#[component]
pub fn LossPanel() -> impl IntoView {
    let ui = expect_context::<Ui>();
    let canvas = NodeRef::<Canvas>::new();
    Effect::new(move |_| {
        ui.revision.track();
        let Some(el) = canvas.get() else { return };
        ui.snapshot.with_untracked(|s| {
            if let Err(e) = draw_loss(&el, &s.history) {
                leptos::logging::warn!("loss curve not drawn: {e:?}");
            }
        });
    });
    view! {
        <section class="panel loss-panel" aria-labelledby="loss-title">
            <h2 id="loss-title">"Loss per epoch"</h2>
            <canvas
                node_ref=canvas
                data-testid="loss-curve"
                role="img"
                aria-label="Mean training loss and test loss per epoch"
            ></canvas>
            <ul class="legend">
                <li><span class="line" style:border-color=TRAIN_COLOUR></span>"train (epoch mean)"</li>
                <li><span class="line dashed" style:border-color=TEST_COLOUR></span>"test"</li>
            </ul>
        </section>
    }
}
