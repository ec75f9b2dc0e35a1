//! A small confusion matrix (counts, rows true class, columns predicted) for each side of an A/B
//! comparison, the diagonal shaded by recall.

use imlab_engine::metrics::ConfusionMatrix;
use leptos::prelude::*;

#[component]
pub fn MiniConfusion(
    title: &'static str,
    cm: ConfusionMatrix,
    testid: &'static str,
) -> impl IntoView {
    let k = cm.n_classes;
    let rows = (0..k)
        .map(|t| {
            let cells = (0..k)
                .map(|p| {
                    let n = cm.get(t, p);
                    let support = cm.support(t).max(1) as f64;
                    let share = n as f64 / support;
                    // Set through the CSSOM (`style:`), which the page's CSP allows, not as an
                    // inline style attribute, which it blocks.
                    let background = if t == p {
                        format!("rgba(0, 158, 115, {:.2})", 0.12 + 0.5 * share)
                    } else if n > 0 {
                        format!("rgba(213, 94, 0, {:.2})", 0.08 + 0.5 * share)
                    } else {
                        String::new()
                    };
                    view! { <td class="num" style:background=background>{n}</td> }
                })
                .collect_view();
            view! { <tr><th scope="row">{t}</th>{cells}</tr> }
        })
        .collect_view();
    view! {
        <figure class="mini-confusion" data-testid=testid>
            <figcaption>{title}</figcaption>
            <table>
                <thead><tr><th></th>{(0..k).map(|p| view! { <th scope="col">{p}</th> }).collect_view()}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </figure>
    }
}
