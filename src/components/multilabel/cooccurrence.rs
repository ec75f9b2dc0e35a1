//! Label co-occurrence on the test split, true beside predicted: cell (a, b) counts the samples
//! carrying both labels (the diagonal: each label's count). A rare label whose row empties on the
//! predicted side is a label the model dropped; a predicted pair much denser than the true one is
//! a model that ties labels together more than the data does.

use leptos::prelude::*;

use super::with_view;
use crate::lab::label_name;
use crate::state::Ui;

#[component]
pub fn CooccurrencePanel() -> impl IntoView {
    view! {
        <section class="panel cooccurrence-panel" aria-labelledby="cooc-title" data-testid="ml-cooccurrence">
            <h2 id="cooc-title">"Label co-occurrence " <span class="sub">"(test split)"</span></h2>
            <div class="cooc-pair">
                <Matrix predicted=false/>
                <Matrix predicted=true/>
            </div>
            <p class="hint">"Samples carrying both labels; the diagonal is each label's count. Shading is relative to the largest count of the true matrix."</p>
        </section>
    }
}

#[component]
fn Matrix(predicted: bool) -> impl IntoView {
    let ui = expect_context::<Ui>();
    let side = if predicted { "pred" } else { "true" };
    let title = if predicted { "Predicted" } else { "True" };
    let table = move || {
        with_view(ui, None, |v| {
            let counts = if predicted {
                v.cooccurrence_predicted.clone()
            } else {
                v.cooccurrence_true.clone()
            };
            let top = v.cooccurrence_true.iter().copied().max().unwrap_or(1).max(1);
            Some((v.n_labels, counts, top))
        })
        .map(|(l, counts, top)| {
            let head = (0..l)
                .map(|b| view! { <th scope="col">{label_name(b)}</th> })
                .collect_view();
            let body = (0..l)
                .map(|a| {
                    let cells = (0..l)
                        .map(|b| {
                            let c = counts[a * l + b];
                            let shade = (c as f64 / top as f64).min(1.0);
                            let ink = if shade > 0.55 { "#ffffff" } else { "inherit" };
                            view! {
                                <td data-testid=format!("ml-cooc-{side}-{a}-{b}")
                                    class:diagonal=a == b
                                    style:background-color=format!("rgba(0, 114, 178, {:.3})", 0.08 + 0.85 * shade)
                                    style:color=ink>
                                    {c}
                                </td>
                            }
                        })
                        .collect_view();
                    view! { <tr><th scope="row">{label_name(a)}</th>{cells}</tr> }
                })
                .collect_view();
            view! {
                <table class="cooc" data-testid=format!("ml-cooc-{side}")>
                    <caption>{title}</caption>
                    <thead><tr><th></th>{head}</tr></thead>
                    <tbody>{body}</tbody>
                </table>
            }
        })
    };
    view! { <div class="cooc-matrix">{table}</div> }
}
