//! The disparity panel (issue 15): per class, recall on the clean test rows beside recall on the
//! same rows attacked within ε (`robust_eval`), and the disparity measures of each (max − min gap,
//! min/max ratio, standard deviation across classes, worst class). Robustness is bought mostly
//! with the minority classes' accuracy; this panel is where that shows.

use leptos::prelude::*;

use crate::charts::palette::class_css;
use crate::components::format::{class_name, percent};
use crate::state::Ui;
use imlab_engine::adversarial::Disparity;

#[component]
pub fn DisparityPanel() -> impl IntoView {
    let ui = expect_context::<Ui>();
    let has = Memo::new(move |_| ui.snapshot.with(|s| s.robust.is_some()));
    let attack = move || {
        ui.snapshot.with(|s| {
            s.robust.as_ref().map(|r| {
                format!(
                    "{} under {}, ε = {}",
                    r.attack.method.name(),
                    r.attack.norm.name(),
                    r.attack.epsilon
                )
            })
        })
    };
    let n = Memo::new(move |_| ui.snapshot.with(|s| s.per_class.len()));
    let rows = move || {
        (0..n.get())
            .map(|c| view! { <DisparityRow class=c/> })
            .collect_view()
    };
    let measures = move |robust: bool| {
        move || {
            ui.snapshot.with(|s| {
                s.robust.as_ref().map(|r| {
                    let d: &Disparity = if robust {
                        &r.robust_disparity
                    } else {
                        &r.clean_disparity
                    };
                    (
                        percent(d.gap),
                        d.ratio.map_or("undefined".into(), |v| format!("{v:.2}")),
                        percent(d.std_dev),
                        match (d.worst_class, d.worst_accuracy) {
                            (Some(c), a) => format!("class {c}: {}", percent(a)),
                            _ => "undefined".into(),
                        },
                    )
                })
            })
        }
    };
    let summary_row = move |label: &'static str, robust: bool, testid: &'static str| {
        let m = measures(robust);
        view! {
            <tr data-testid=testid>
                <th scope="row">{label}</th>
                <td>{move || m().map(|v| v.0)}</td>
                <td>{move || m().map(|v| v.1)}</td>
                <td>{move || m().map(|v| v.2)}</td>
                <td>{move || m().map(|v| v.3)}</td>
            </tr>
        }
    };
    view! {
        <section class="panel disparity-panel" data-testid="disparity" aria-labelledby="disparity-title">
            <h2 id="disparity-title">"Robustness per class " <span class="sub">"(test split)"</span></h2>
            <Show
                when=move || has.get()
                fallback=|| view! {
                    <p class="hint" data-testid="disparity-off">
                        "Turn on Robust evaluation (Setup → Robustness) to attack every test row within ε and compare each class's clean and robust recall."
                    </p>
                }
            >
                <p class="sub" data-testid="disparity-attack">{attack}</p>
                <table class="disparity-table">
                    <thead><tr><th scope="col">"class"</th><th scope="col">"clean"</th><th scope="col">"robust"</th><th scope="col">"drop"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
                <table class="disparity-table">
                    <thead><tr>
                        <th scope="col"></th>
                        <th scope="col" title="max − min recall over classes">"gap"</th>
                        <th scope="col" title="min / max recall (1: parity)">"ratio"</th>
                        <th scope="col" title="standard deviation of the recalls across classes">"sd"</th>
                        <th scope="col">"worst class"</th>
                    </tr></thead>
                    <tbody>
                        {summary_row("clean", false, "disparity-clean")}
                        {summary_row("robust", true, "disparity-robust")}
                    </tbody>
                </table>
            </Show>
        </section>
    }
}

#[component]
fn DisparityRow(class: usize) -> impl IntoView {
    let ui = expect_context::<Ui>();
    let pair = move || {
        ui.snapshot.with(|s| {
            s.robust.as_ref().map_or((None, None), |r| {
                (
                    r.clean_recall.get(class).copied().flatten(),
                    r.robust_recall.get(class).copied().flatten(),
                )
            })
        })
    };
    let name = move || ui.snapshot.with(|s| class_name(class, &s.train_counts));
    let drop = move || match pair() {
        (Some(a), Some(b)) => format!("{:+.1} pts", (b - a) * 100.0),
        _ => "undefined".into(),
    };
    view! {
        <tr data-testid=format!("disparity-row-{class}")>
            <th scope="row"><span class="swatch" style:background-color=class_css(class)></span>{name}</th>
            <td>{move || percent(pair().0)}</td>
            <td data-testid=format!("robust-recall-{class}")>{move || percent(pair().1)}</td>
            <td>{drop}</td>
        </tr>
    }
}
