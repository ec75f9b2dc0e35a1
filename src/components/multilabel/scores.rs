//! The multi-label scores of the test split (scikit-learn's definitions and names) and the
//! imbalance measures of the training split before and after the sampler (Charte et al.).

use leptos::prelude::*;

use super::with_view;
use crate::components::format::{decimal, percent};
use crate::lab::{label_name, MultilabelView};
use crate::state::Ui;
use imlab_engine::metrics::Score;

/// A value to show: defined, or undefined with scikit-learn's substitute (`zero_division=0`) and
/// why it is undefined.
#[derive(Clone, PartialEq)]
enum Shown {
    Value(Option<f64>),
    Substitute(Option<f64>, String),
}

fn of(score: &Score) -> Shown {
    match score {
        Score::Defined(v) => Shown::Value(Some(*v)),
        Score::Undefined { .. } => Shown::Substitute(
            score.reference().filter(|v| v.is_finite()),
            score.reason().map(ToString::to_string).unwrap_or_default(),
        ),
    }
}

fn plain(v: Option<f64>) -> Shown {
    Shown::Value(v)
}

type Read = fn(&MultilabelView) -> Shown;

/// (test id suffix, label, value, shown as a percentage).
const SCORES: [(&str, &str, Read, bool); 11] = [
    (
        "micro-f1",
        "F1 (micro)",
        |v| of(&v.snapshot.metrics.f1.micro),
        true,
    ),
    (
        "macro-f1",
        "F1 (macro)",
        |v| of(&v.snapshot.metrics.f1.macro_),
        true,
    ),
    (
        "weighted-f1",
        "F1 (weighted)",
        |v| of(&v.snapshot.metrics.f1.weighted),
        true,
    ),
    (
        "samples-f1",
        "F1 (samples)",
        |v| of(&v.snapshot.metrics.f1.samples),
        true,
    ),
    (
        "hamming-loss",
        "Hamming loss",
        |v| of(&v.snapshot.metrics.hamming_loss),
        false,
    ),
    (
        "subset-accuracy",
        "Subset accuracy",
        |v| of(&v.snapshot.metrics.subset_accuracy),
        true,
    ),
    (
        "jaccard-samples",
        "Jaccard (samples)",
        |v| of(&v.snapshot.metrics.jaccard.samples),
        true,
    ),
    (
        "lrap",
        "Label-ranking avg. precision",
        |v| {
            plain(
                v.snapshot
                    .ranking
                    .as_ref()
                    .map(|r| r.label_ranking_average_precision),
            )
        },
        false,
    ),
    (
        "coverage-error",
        "Coverage error",
        |v| plain(v.snapshot.ranking.as_ref().map(|r| r.coverage_error)),
        false,
    ),
    (
        "ranking-loss",
        "Ranking loss",
        |v| plain(v.snapshot.ranking.as_ref().map(|r| r.label_ranking_loss)),
        false,
    ),
    (
        "macro-roc-auc",
        "ROC AUC (macro)",
        |v| {
            v.snapshot
                .ranking
                .as_ref()
                .map_or(Shown::Value(None), |r| of(&r.roc_auc.macro_))
        },
        false,
    ),
];

#[component]
pub fn LabelScoresPanel() -> impl IntoView {
    let ui = expect_context::<Ui>();
    let rows = SCORES
        .iter()
        .map(|&(id, label, read, pct)| {
            let shown = Memo::new(move |_| with_view(ui, Shown::Value(None), read));
            let text = move || {
                let f = |v| if pct { percent(v) } else { decimal(v) };
                match shown.get() {
                    Shown::Value(v) => f(v),
                    // Marked: scikit-learn's number, computed with 0 for the undefined parts.
                    Shown::Substitute(Some(v), _) => format!("{} *", f(Some(v))),
                    Shown::Substitute(None, _) => "undefined".into(),
                }
            };
            let why = move || match shown.get() {
                Shown::Substitute(_, why) => format!("Undefined here ({why}); shown is scikit-learn's value with zero_division=0"),
                Shown::Value(_) => String::new(),
            };
            view! {
                <tr><th scope="row">{label}</th><td data-testid=format!("ml-score-{id}") title=why>{text}</td></tr>
            }
        })
        .collect_view();
    let rarest = move || {
        with_view(ui, String::new(), |v| {
            format!(
                "{}: {}",
                label_name(v.snapshot.rarest_label),
                percent(v.snapshot.rarest_label_recall)
            )
        })
    };
    let measures = move || {
        with_view(ui, None, |v| {
            let s = &v.snapshot;
            let (a, b) = (&s.train_measures, &s.resampled_measures);
            Some(view! {
                <table class="ml-measures" data-testid="ml-measures">
                    <thead><tr><th></th><th scope="col">"training split"</th><th scope="col">"after the sampler"</th></tr></thead>
                    <tbody>
                        <tr><th scope="row">"Rows"</th><td data-testid="ml-measure-rows">{s.train_rows}</td><td>{format!("{} (+{} added)", s.resampled_rows, s.added_rows)}</td></tr>
                        <tr><th scope="row" title="mean number of labels per sample">"Cardinality"</th><td data-testid="ml-measure-cardinality">{format!("{:.3}", a.cardinality)}</td><td>{format!("{:.3}", b.cardinality)}</td></tr>
                        <tr><th scope="row" title="cardinality / number of labels">"Density"</th><td>{format!("{:.3}", a.density)}</td><td>{format!("{:.3}", b.density)}</td></tr>
                        <tr><th scope="row" title="mean over labels of (largest label count / this label's count)">"MeanIR"</th><td data-testid="ml-measure-mean-ir">{format!("{:.2}", a.mean_ir)}</td><td data-testid="ml-measure-mean-ir-after">{format!("{:.2}", b.mean_ir)}</td></tr>
                        <tr><th scope="row">"MaxIR"</th><td>{format!("{:.2}", a.max_ir)}</td><td>{format!("{:.2}", b.max_ir)}</td></tr>
                        <tr><th scope="row" title="concurrence of rare and frequent labels in the same samples (0: none)">"SCUMBLE"</th><td data-testid="ml-measure-scumble">{format!("{:.3}", a.scumble)}</td><td>{format!("{:.3}", b.scumble)}</td></tr>
                        <tr><th scope="row" title="partial labels: not annotated, ignored by the loss, never counted as negatives">"Unknown entries"</th><td data-testid="ml-measure-unknown">{s.train_unknown_entries}</td><td></td></tr>
                    </tbody>
                </table>
            })
        })
    };
    view! {
        <section class="panel label-scores-panel" aria-labelledby="ml-scores-title" data-testid="ml-scores">
            <h2 id="ml-scores-title">"Scores " <span class="sub">"(test split)"</span></h2>
            <p class="ml-rarest">"Rarest label's recall " <strong data-testid="ml-rarest-recall">{rarest}</strong></p>
            <table class="ml-score-table"><tbody>{rows}</tbody></table>
            <p class="hint ml-footnote">"* undefined for some rows or labels (0/0, e.g. a sample with no true and no predicted label): scikit-learn's value, which counts those as 0 (zero_division=0). Hover for the reason."</p>
            <h3>"Imbalance of the labels"</h3>
            {measures}
        </section>
    }
}
