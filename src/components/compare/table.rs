//! The A/B table: each score for A and for B, and B − A coloured better (green) or worse (red).
//! Every score here is "higher is better"; differences under half a point in the last shown digit
//! count as equal.

use imlab_engine::sweep::Scores;
use imlab_engine::Snapshot;
use leptos::prelude::*;

use crate::components::format::percent;

/// One line of the table.
pub struct Line {
    /// kebab-case key for data-testids.
    pub key: String,
    pub label: String,
    pub a: Option<f64>,
    pub b: Option<f64>,
}

/// Below this a difference is shown as no change (the table shows tenths of a percent).
const SAME: f64 = 0.0005;

/// The lines for runs A and B: the sweep scores, MCC, and each class's recall.
pub fn lines(a: (&Scores, &Snapshot), b: (&Scores, &Snapshot)) -> Vec<Line> {
    let mut out: Vec<Line> = [
        ("balanced-accuracy", "Balanced accuracy", 0),
        ("macro-f1", "Macro-F1", 1),
        ("g-mean", "G-mean", 2),
        ("minority-recall", "Minority recall", 3),
        ("accuracy", "Accuracy", 4),
        ("auc", "ROC AUC", 5),
    ]
    .into_iter()
    .map(|(key, label, k)| Line {
        key: key.into(),
        label: label.into(),
        a: a.0.values()[k],
        b: b.0.values()[k],
    })
    .collect();
    out.push(Line {
        key: "mcc".into(),
        label: "MCC".into(),
        a: a.1.confusion.mcc().value(),
        b: b.1.confusion.mcc().value(),
    });
    let classes = a.1.per_class.len().max(b.1.per_class.len());
    for c in 0..classes {
        let recall = |s: &Snapshot| s.per_class.get(c).and_then(|p| p.recall);
        out.push(Line {
            key: format!("recall-{c}"),
            label: format!(
                "Recall, class {c} (n = {})",
                a.1.test_counts.get(c).copied().unwrap_or(0)
            ),
            a: recall(a.1),
            b: recall(b.1),
        });
    }
    out
}

/// "better", "worse" or "same" for B − A.
pub fn verdict(d: f64) -> &'static str {
    if d > SAME {
        "better"
    } else if d < -SAME {
        "worse"
    } else {
        "same"
    }
}

#[component]
pub fn CompareTable(lines: Vec<Line>) -> impl IntoView {
    let rows = lines
        .into_iter()
        .map(|l| {
            let diff = match (l.a, l.b) {
                (Some(a), Some(b)) => Some(b - a),
                _ => None,
            };
            let class = diff.map_or("same", verdict);
            let diff_text = diff.map_or_else(
                || "n/a".into(),
                |d| format!("{}{:.1} pts", if d >= 0.0 { "+" } else { "−" }, (d * 100.0).abs()),
            );
            view! {
                <tr>
                    <th scope="row">{l.label}</th>
                    <td class="num" data-testid=format!("compare-a-{}", l.key)>{percent(l.a)}</td>
                    <td class="num" data-testid=format!("compare-b-{}", l.key)>{percent(l.b)}</td>
                    <td class=format!("num diff {class}") data-testid=format!("compare-diff-{}", l.key) data-verdict=class>{diff_text}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="tools-table compare-table" data-testid="compare-table">
            <thead>
                <tr>
                    <th scope="col">"Score (test split)"</th>
                    <th scope="col" class="num">"A (current)"</th>
                    <th scope="col" class="num">"B (changed)"</th>
                    <th scope="col" class="num">"B − A"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}
