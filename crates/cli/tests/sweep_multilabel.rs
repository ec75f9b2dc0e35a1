//! `imlab sweep` on a multi-label base (`task=multilabel`): the rows carry macro-F1 and the
//! multi-label columns, agree with `imlab run`, and the summary lists them.

mod common;

use common::{cells, ok, read, scratch};

const BASE: &str = "#v=2&task=multilabel&multilabel.data.n_samples=400&epochs=2";
const ASL: &str = "asl:multilabel.loss.kind=asymmetric&multilabel.loss.gamma_pos=1&multilabel.loss.gamma_neg=4&multilabel.loss.clip=0.05&multilabel.loss.eps=1e-8";

#[test]
fn multilabel_sweeps_write_their_scores_and_agree_with_run() {
    let dir = scratch("sweep_multilabel");
    let out = ok(
        &dir,
        &[
            "sweep",
            "--link",
            BASE,
            "--methods",
            &format!("baseline,{ASL}"),
            "--seeds",
            "2",
            "--quiet",
            "--output",
            "r.csv",
        ],
    );
    for name in [
        "macro_f1",
        "micro_f1",
        "hamming_loss",
        "subset_accuracy",
        "rarest_label_recall",
    ] {
        assert!(out.stdout.contains(name), "{name}: {}", out.stdout);
    }
    // Multi-class scores a multi-label run does not have are not listed.
    assert!(!out.stdout.contains("g_mean"), "{}", out.stdout);
    let rows = cells(&read(&dir, "r.csv"));
    let header = &rows[0];
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(
        header[col("micro_f1")..col("error")],
        [
            "micro_f1",
            "hamming_loss",
            "subset_accuracy",
            "rarest_label_recall"
        ]
    );
    assert_eq!(rows.len(), 5);
    for row in &rows[1..] {
        assert!(row[col("error")].is_empty(), "{row:?}");
        assert!(row[col("g_mean")].is_empty() && row[col("balanced_accuracy")].is_empty());
        let (method, seed) = (&row[col("method")], &row[col("seed")]);
        let mut link = format!("{BASE}&seed={seed}");
        if method == "asl" {
            link.push('&');
            link.push_str(ASL.trim_start_matches("asl:"));
        }
        let run = ok(&dir, &["run", "--link", &link]);
        let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        let fin = &v["final"];
        let same = |name: &str, want: &serde_json::Value| {
            let got: f64 = row[col(name)].parse().unwrap();
            let want = want.as_f64().unwrap_or_else(|| panic!("{name}: {want}"));
            assert!(
                (got - want).abs() <= 2.0 * f64::EPSILON * want.abs().max(1.0),
                "{method} seed {seed} {name}: {got} vs {want}"
            );
        };
        same("macro_f1", &fin["metrics"]["f1"]["macro"]["defined"]);
        same("micro_f1", &fin["metrics"]["f1"]["micro"]["defined"]);
        same("hamming_loss", &fin["metrics"]["hamming_loss"]["defined"]);
        same(
            "subset_accuracy",
            &fin["metrics"]["subset_accuracy"]["defined"],
        );
        same("rarest_label_recall", &fin["rarest_label_recall"]);
    }
    // JSON results carry the same scores in a `multilabel` object, and merge reads them back.
    ok(
        &dir,
        &[
            "sweep",
            "--link",
            BASE,
            "--methods",
            "baseline",
            "--seeds",
            "1",
            "--quiet",
            "--output",
            "r.json",
        ],
    );
    let doc: serde_json::Value = serde_json::from_str(&read(&dir, "r.json")).unwrap();
    assert!(doc["runs"][0]["multilabel"]["subset_accuracy"].is_number());
    let merged = ok(&dir, &["merge", "r.json", "--output", "m.csv"]);
    assert!(merged.stdout.contains("rarest_label_recall"));
    assert!(read(&dir, "m.csv")
        .lines()
        .next()
        .unwrap()
        .contains("micro_f1"));
}
