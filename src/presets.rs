//! Presets: experiments that each tell one story about imbalance, stored as link fragments (the
//! same text a shared link carries), so a preset is readable and reproducible from the URL it
//! writes. Every preset is checked natively: it parses without issues, builds an experiment and
//! trains.

use imlab_engine::link::{parse_fragment, ParsedLink};
use imlab_engine::ExperimentConfig;

pub struct Preset {
    /// Stable id (the menu's value; kebab-case).
    pub id: &'static str,
    pub title: &'static str,
    /// What to look at once it runs.
    pub story: &'static str,
    /// The link fragment, on top of the default config.
    pub fragment: &'static str,
}

impl Preset {
    pub fn parse(&self) -> ParsedLink {
        parse_fragment(self.fragment, &ExperimentConfig::default())
    }
}

pub fn find(id: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.id == id)
}

/// The long-tailed multi-label data both multi-label presets share.
const MULTILABEL_LONG_TAIL: &str = "v=2&task=multilabel&multilabel.data.n_labels=6&multilabel.data.label_frequencies.rho=100&multilabel.data.n_samples=1500&multilabel.data.flip_rate=0.04&epochs=40";

pub const PRESETS: &[Preset] = &[
    Preset {
        id: "accuracy-lies",
        title: "Accuracy lies",
        story: "One minority point for every 20 majority points. Predicting the majority everywhere already scores about 95% accuracy: watch accuracy climb while the minority's recall and the balanced accuracy lag behind.",
        fragment: "v=2&dataset.counts.ratio=0.05",
    },
    Preset {
        id: "smote-vs-duplication",
        title: "SMOTE versus duplication",
        story: "Random over-sampling copies the few minority points, so the model draws tight islands around them. SMOTE fills the space between minority neighbours instead. This runs random over-sampling; switch Resampling to SMOTE and compare the boundary.",
        fragment: "v=2&dataset.counts.ratio=0.05&sampler.kind=ros",
    },
    Preset {
        id: "smote-noisy-overlap",
        title: "SMOTE in a noisy overlap",
        story: "When the classes overlap, SMOTE interpolates between minority points across majority territory and pushes the boundary deep into the majority: minority recall rises, majority recall and precision pay for it.",
        fragment: "v=2&dataset.noise=0.5&dataset.counts.ratio=0.1&sampler.kind=smote",
    },
    Preset {
        id: "cleaning-tomek-enn",
        title: "Cleaning with Tomek links and ENN",
        story: "Edited Nearest Neighbours removes majority points whose neighbours disagree with them, clearing the overlap around the minority. Switch Resampling to Tomek links: it only removes points in mutual-nearest pairs, a much lighter touch.",
        fragment: "v=2&dataset.noise=0.35&dataset.counts.ratio=0.2&sampler.kind=enn",
    },
    Preset {
        id: "focal-vs-weighted",
        title: "Focal versus weighted cross-entropy",
        story: "Focal loss (γ = 2) down-weights points the model already gets right, but it does not know which class is rare. Switch the loss to weighted cross-entropy: class weights move the boundary toward the majority far more.",
        fragment: "v=2&dataset.counts.ratio=0.05&loss.kind=focal&loss.gamma=2",
    },
    Preset {
        id: "logit-adjustment-long-tail",
        title: "Logit adjustment on a long tail",
        story: "Five overlapping classes whose sizes fall exponentially from 400 to 8 rows. The logit-adjusted loss adds τ·log(prior) to the logits while training, so the tail classes get their share of the plane. Switch the loss to cross-entropy: accuracy goes up a little, balanced accuracy drops (about 0.75 → 0.63 after 30 epochs).",
        fragment: "v=2&dataset.generator=blobs&dataset.noise=1.2&dataset.counts.kind=exponential&dataset.counts.n_max=400&dataset.counts.rho=50&dataset.counts.classes=5&loss.kind=logit_adjusted&loss.tau=1",
    },
    Preset {
        id: "thresholding-recovers-recall",
        title: "Thresholding recovers recall",
        story: "The model is trained plainly on 1:20 data, then class 1 is predicted whenever its probability is at least 0.1 instead of 0.5. Minority recall comes back without retraining; watch what happens to precision.",
        fragment: "v=2&dataset.counts.ratio=0.05&posthoc.kind=threshold&posthoc.threshold=0.1",
    },
    Preset {
        id: "label-noise-long-tail",
        title: "Label noise meets a long tail",
        story: "Four classes on a long tail, and 20% of the minority labels flipped to the majority. Inverse-frequency weights now also amplify the flipped points: the rare classes are hurt twice.",
        fragment: "v=2&dataset.generator=blobs&dataset.noise=1&dataset.counts.kind=exponential&dataset.counts.n_max=400&dataset.counts.rho=20&dataset.counts.classes=4&dataset.label_noise.kind=toward_majority&dataset.label_noise.rate=0.2&loss.kind=weighted_ce&loss.weights.scheme=inverse_frequency",
    },
    Preset {
        id: "minority-collapse",
        title: "Minority collapse",
        story: "Six blobs, one majority class and five minority classes at 1 : 100, SGD with weight decay, trained long (Fang et al. 2021). The five minority classifier vectors fold onto one direction: their mean angle falls to 0° and only the majority is predicted. Drag the ratio slider toward 1 : 10 and the angle opens again to about 100° (the simplex's 101.5°); the collapse sets in near 1 : 30.",
        fragment: "v=2&dataset.generator=blobs&dataset.noise=0.5&dataset.counts.classes=6&dataset.counts.majority=300&dataset.counts.ratio=0.01&model.hidden=[32,32]&optimizer.kind=sgd&optimizer.lr=0.05&optimizer.momentum=0.9&optimizer.weight_decay=0.05&epochs=300",
    },
    Preset {
        id: "multilabel-rare-labels-vanish",
        title: "Multi-label: rare labels vanish under BCE",
        story: "Six overlapping labels, the head label 100 times as frequent as the tail one, 4% of the entries flipped. Binary cross-entropy with one 0.5 threshold gets the head labels and drops the rare ones: watch the bottom bars and the rarest label's cell of the predicted co-occurrence. Once it has trained, press \"Tune per-label thresholds\": each label gets the threshold that maximises its F1 on the training split, and the rarest label comes part of the way back without retraining.",
        fragment: MULTILABEL_LONG_TAIL,
    },
    Preset {
        id: "multilabel-asl-thresholds",
        title: "Multi-label: asymmetric loss brings rare labels back",
        story: "The same data with the asymmetric loss: γ− = 4 and a 0.05 probability margin discard the easy negatives that swamp a rare label, so training itself keeps the rare labels (compare the rarest label's recall with the BCE preset). Tuning per-label thresholds on top raises the macro-F1 a little more, but it maximises each label's training F1, not its recall: here the rarest label gives some recall back.",
        fragment: concat!(
            "v=2&task=multilabel&multilabel.data.n_labels=6&multilabel.data.label_frequencies.rho=100&multilabel.data.n_samples=1500&multilabel.data.flip_rate=0.04&epochs=40",
            "&multilabel.loss.kind=asymmetric&multilabel.loss.gamma_pos=0&multilabel.loss.gamma_neg=4&multilabel.loss.clip=0.05&multilabel.loss.eps=1e-8"
        ),
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use imlab_engine::Experiment;

    #[test]
    fn every_preset_builds_and_trains() {
        let mut ids = std::collections::BTreeSet::new();
        for p in PRESETS {
            assert!(ids.insert(p.id), "duplicate preset id {}", p.id);
            let parsed = p.parse();
            assert!(parsed.issues.is_empty(), "{}: {:?}", p.id, parsed.issues);
            assert_ne!(parsed.config, ExperimentConfig::default(), "{}", p.id);
            parsed.config.validate().expect(p.id);
            if parsed.config.task == imlab_engine::experiment::TaskKind::Multilabel {
                let mut exp =
                    imlab_engine::multilabel::MultilabelExperiment::new(parsed.config).expect(p.id);
                exp.train_steps(5).expect(p.id);
                assert_eq!(exp.step(), 5, "{}", p.id);
                continue;
            }
            let mut exp = Experiment::new(parsed.config).expect(p.id);
            exp.train_steps(5).expect(p.id);
            assert_eq!(exp.step(), 5, "{}", p.id);
        }
        assert!(PRESETS.len() >= 8);
    }

    /// The two multi-label presets' story, trained to the end: BCE drops the rarest label and
    /// thresholds tuned on the training split bring part of it back without retraining; ASL
    /// brings more of it back by training; tuning on top of ASL raises the macro-F1. `cargo test -p imbalance-lab multilabel_presets -- --nocapture` prints it.
    #[test]
    fn multilabel_presets_tell_their_story() {
        use crate::lab::{MultilabelLab, StepBudget};
        use imlab_engine::multilabel::DecisionRule;
        let run = |id: &str| {
            let mut lab = MultilabelLab::new(find(id).expect(id).parse().config).expect(id);
            lab.train_cpu(StepBudget::new(u64::MAX, 1e18), &mut || 0.0)
                .expect(id);
            lab.refresh().expect(id);
            lab
        };
        let scores = |lab: &MultilabelLab| {
            let s = &lab.view().snapshot;
            let r = s.rarest_label;
            (
                s.rarest_label_recall.unwrap_or(0.0),
                s.metrics.per_label[r].f1.value().unwrap_or(0.0),
                s.metrics.f1.macro_.value().unwrap_or(0.0),
            )
        };
        let tune = |lab: &mut MultilabelLab| {
            let thresholds = lab.tuned_thresholds().unwrap();
            lab.set_decision(DecisionRule::PerLabelThresholds { thresholds })
                .unwrap();
            scores(lab)
        };
        let mut bce_lab = run("multilabel-rare-labels-vanish");
        let bce = scores(&bce_lab);
        let bce_tuned = tune(&mut bce_lab);
        let mut asl_lab = run("multilabel-asl-thresholds");
        let asl = scores(&asl_lab);
        let asl_tuned = tune(&mut asl_lab);
        println!("(rarest recall, rarest F1, macro-F1): BCE {bce:?}, BCE + tuned {bce_tuned:?}, ASL {asl:?}, ASL + tuned {asl_tuned:?}");
        assert!(bce.0 < 0.1, "BCE drops the rarest label: {bce:?}");
        assert!(
            bce_tuned.0 > bce.0 && bce_tuned.2 > bce.2,
            "{bce:?} → {bce_tuned:?}"
        );
        assert!(
            asl.0 > bce_tuned.0 && asl.2 > bce.2,
            "BCE {bce:?}, ASL {asl:?}"
        );
        assert!(asl_tuned.2 > asl.2, "ASL {asl:?}, tuned {asl_tuned:?}");
    }

    #[test]
    fn presets_say_what_they_claim() {
        let cfg = |id: &str| find(id).expect(id).parse().config;
        assert_eq!(cfg("smote-vs-duplication").sampler.name(), "ros");
        assert_eq!(cfg("smote-noisy-overlap").sampler.name(), "smote");
        assert_eq!(cfg("cleaning-tomek-enn").sampler.name(), "enn");
        assert_eq!(cfg("focal-vs-weighted").loss.name(), "focal");
        assert_eq!(
            cfg("logit-adjustment-long-tail").loss.name(),
            "logit_adjusted"
        );
        assert_eq!(
            cfg("thresholding-recovers-recall").posthoc.name(),
            "threshold"
        );
        assert!(!cfg("label-noise-long-tail").dataset.label_noise.is_none());
        // The minority-collapse preset is the sweep preset's base at 1 : 100.
        let mc = cfg("minority-collapse");
        let mut sweep_base = imlab_engine::sweep::presets::Preset::find("minority-collapse")
            .unwrap()
            .base()
            .unwrap();
        sweep_base.dataset.counts = mc.dataset.counts.clone();
        assert_eq!(mc, sweep_base);
    }
}
