//! The sweep's summary table: per method, each score's mean, standard deviation and 95 % t interval
//! over seeds (the engine's `summary::groups`, the numbers `imlab sweep` prints). The best mean of
//! each score is marked.

use imlab_engine::sweep::summary::Group;
use leptos::prelude::*;

/// Scores the table shows, by index into `SCORE_NAMES`, with their headings. Accuracy stays in the
/// CSV; on imbalanced data it mostly measures the majority class.
pub const TABLE_SCORES: [(usize, &str); 5] = [
    (0, "Balanced accuracy"),
    (1, "Macro-F1"),
    (2, "G-mean"),
    (3, "Minority recall"),
    (5, "ROC AUC"),
];

fn num(v: Option<f64>) -> String {
    v.map_or_else(|| "–".into(), |v| format!("{v:.3}"))
}

/// Index of the group with the highest mean for score `k` (none if no mean is defined).
fn best(groups: &[Group], k: usize) -> Option<usize> {
    groups
        .iter()
        .enumerate()
        .filter_map(|(i, g)| g.scores[k].mean.map(|m| (i, m)))
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _)| i)
}

#[component]
pub fn SweepTable(groups: Vec<Group>) -> impl IntoView {
    let bests: Vec<Option<usize>> = TABLE_SCORES
        .iter()
        .map(|&(k, _)| best(&groups, k))
        .collect();
    let rows = groups
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let cells = TABLE_SCORES
                .iter()
                .zip(&bests)
                .map(|(&(k, _), b)| {
                    let s = &g.scores[k];
                    let interval = s
                        .interval
                        // Every score here lies in [0, 1]; a t interval over a few seeds can reach
                        // past it, which reads as a mistake. The CSV keeps the raw interval.
                        .map(|(lo, hi)| format!("[{:.3}, {:.3}]", lo.max(0.0), hi.min(1.0)))
                        .unwrap_or_default();
                    let sd = s.sd.map(|sd| format!("± {sd:.3}")).unwrap_or_default();
                    view! {
                        <td class="num" class:best={*b == Some(i)}>
                            <span class="mean">{num(s.mean)}</span>
                            <span class="sd">{sd}</span>
                            <span class="ci">{interval}</span>
                        </td>
                    }
                })
                .collect_view();
            let n = g.scores[0].n;
            let failed = (!g.failed.is_empty()).then(|| {
                view! { <span class="failed" title=g.failed.join("\n")>{format!(" ({} failed)", g.failed.len())}</span> }
            });
            view! {
                <tr data-testid=format!("sweep-row-{}", g.method)>
                    <th scope="row">{g.method.clone()}{failed}</th>
                    <td class="num">{n}</td>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="tools-table" data-testid="sweep-table">
            <caption>"Mean ± standard deviation over seeds, with the 95 % t interval of the mean (cut to the scores' range [0, 1]; the CSV keeps it whole); the best mean per score is marked."</caption>
            <thead>
                <tr>
                    <th scope="col">"Method"</th>
                    <th scope="col" class="num">"n"</th>
                    {TABLE_SCORES.iter().map(|&(_, h)| view! { <th scope="col" class="num">{h}</th> }).collect_view()}
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}
