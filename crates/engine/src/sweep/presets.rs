//! Paper protocols as sweeps: a base link, the methods to compare, seeds and epochs, shrunk so that a
//! whole preset runs in a browser tab in about a minute. `docs/paper-presets.md` says what each one
//! reproduces (the direction of a published finding) and what it does not (the papers' networks,
//! data sizes and epochs). The CLI runs the same presets with `imlab sweep --preset NAME`.

use crate::{link, ExperimentConfig};

use super::grid::{parse_method, parse_seeds, Grid};
use super::overrides::unapplied;

/// One paper protocol.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Preset {
    /// Stable name (CLI `--preset`, the browser's select).
    pub name: &'static str,
    /// What the user sees.
    pub title: &'static str,
    /// Settings on top of the default config, in the link format (`key=value&...`).
    pub base_link: &'static str,
    /// Methods, each as `imlab sweep --methods` reads them.
    pub methods: &'static [&'static str],
    /// Seeds, as `--seeds` reads them.
    pub seeds: &'static str,
    pub epochs: usize,
}

pub const PRESETS: [Preset; 6] = [
    // Buda et al. 2018: step imbalance, half of the classes minority at ρ = 10; ROS vs RUS vs
    // thresholding by the prior vs two-phase training.
    Preset {
        name: "buda-step-digits",
        title: "Buda et al. 2018 — step imbalance on digits (µ = 0.5, ρ = 10)",
        base_link: concat!(
            "dataset.source.kind=bundled&dataset.source.name=digits&model.hidden=[32]",
            "&dataset.source.subsample.kind=step&dataset.source.subsample.n_max=150",
            "&dataset.source.subsample.rho=10&dataset.source.subsample.mu=0.5",
            "&dataset.source.subsample.classes=10&batch_size=64"
        ),
        methods: &[
            "baseline",
            "ros",
            "rus:sampler.kind=rus",
            "prior_thresholding:posthoc.kind=prior_correction",
            "two_phase_ros:sampler.kind=ros&schedule.second_stage.method=output_fine_tuning&schedule.second_stage.epochs=5",
        ],
        seeds: "5",
        epochs: 20,
    },
    // Menon et al. 2021 §6.1: x | y ~ N(y·(1,1), σ²I), σ = 1, a linear model; logit adjustment
    // (loss and post-hoc) approaches the Bayes balanced error Φ(−√2) ≈ 7.86 %, ERM and re-weighting
    // do not.
    Preset {
        name: "menon-two-gaussians",
        title: "Menon et al. 2021 §6.1 — two Gaussians, linear model",
        base_link: concat!(
            "dataset.generator=two_gaussians&dataset.noise=1",
            "&dataset.counts.kind=ratio&dataset.counts.majority=2000&dataset.counts.ratio=0.05",
            "&dataset.counts.classes=2&model.hidden=[]&batch_size=64"
        ),
        methods: &[
            "baseline",
            "logit_adjusted",
            "posthoc_la:posthoc.kind=logit_adjustment&posthoc.tau=1",
            "weighted_ce",
            "ldam",
        ],
        seeds: "5",
        epochs: 20,
    },
    // The long-tail methods on an exponential profile (ρ = 10, as CIFAR-10-LT ρ10 in Cao Table 2): logit adjustment, balanced softmax,
    // deferred re-weighting, classifier re-training.
    Preset {
        name: "longtail-digits",
        title: "Long tail on digits (exponential, ρ = 10) — LA, balanced softmax, DRW, cRT",
        base_link: concat!(
            "dataset.source.kind=bundled&dataset.source.name=digits&model.hidden=[32]",
            "&dataset.source.subsample.kind=exponential&dataset.source.subsample.n_max=170",
            "&dataset.source.subsample.rho=10&dataset.source.subsample.classes=10&batch_size=64"
        ),
        methods: &[
            "baseline",
            "logit_adjusted",
            "balanced_softmax",
            "drw:schedule.drw.start_fraction=0.8",
            "crt:schedule.second_stage.method=classifier_retraining&schedule.second_stage.epochs=10",
        ],
        seeds: "5",
        epochs: 30,
    },
    // The representation-level remedies of issue 14 on the long-tail digits data (same base as
    // `longtail-digits`): classifier re-training, virtual-feature calibration (the head re-trained
    // on real plus class-balanced virtual features from calibrated class Gaussians) and
    // pseudo-labels (half of each class's training labels withheld as an unlabeled pool), each 10
    // epochs after the 30 of stage 1 (`docs/paper-presets.md`).
    Preset {
        name: "longtail-digits-representation",
        title: "Long tail on digits (ρ = 10) — cRT, virtual-feature calibration, pseudo-labels",
        base_link: concat!(
            "dataset.source.kind=bundled&dataset.source.name=digits&model.hidden=[32]",
            "&dataset.source.subsample.kind=exponential&dataset.source.subsample.n_max=170",
            "&dataset.source.subsample.rho=10&dataset.source.subsample.classes=10&batch_size=64"
        ),
        methods: &[
            "baseline",
            "crt:schedule.second_stage.method=classifier_retraining&schedule.second_stage.epochs=10",
            "vfc:schedule.second_stage.method=virtual_feature_calibration&schedule.second_stage.epochs=10",
            "pseudo_labels:schedule.second_stage.method=pseudo_labels&schedule.second_stage.epochs=10",
        ],
        seeds: "5",
        epochs: 30,
    },
    // Fang et al. 2021 (minority collapse, layer-peeled model): one majority class and five
    // minority classes (the `ratio` profile the app's ratio slider moves), SGD with weight decay
    // 0.05, 300 epochs. Each method is one minority:majority ratio; the minority classifier
    // vectors' angle (`imlab run` history, `collapse.minority_angle_classifiers`) falls from about
    // 100° to 0° past a ratio of about 1:30 (`docs/paper-presets.md`), and minority recall with it.
    Preset {
        name: "minority-collapse",
        title: "Fang et al. 2021 — minority collapse (6 blobs, weight decay, 300 epochs)",
        base_link: MINORITY_COLLAPSE_BASE,
        methods: &[
            "ratio_0.5:dataset.counts.ratio=0.5",
            "ratio_0.2:dataset.counts.ratio=0.2",
            "ratio_0.1:dataset.counts.ratio=0.1",
            "ratio_0.05:dataset.counts.ratio=0.05",
            "ratio_0.03:dataset.counts.ratio=0.03",
            "ratio_0.02:dataset.counts.ratio=0.02",
            "ratio_0.01:dataset.counts.ratio=0.01",
        ],
        seeds: "5",
        epochs: 300,
    },
    // Wang et al. 2022, "Imbalanced Adversarial Training with Reweighting": under imbalance,
    // adversarial training hurts the under-represented classes more than natural training does, and
    // reweighting helps it less. Four blobs, two of them minority at ρ = 10 (step profile), PGD-5
    // L∞ adversarial training and PGD-10 robust evaluation at the same ε; natural ERM and reweighted
    // ERM beside adversarial training plain, reweighted (inverse frequency in the adversarial term)
    // and with the balanced softmax.
    Preset {
        name: "adversarial-disparity",
        title: "Wang et al. 2022 — adversarial training under imbalance (4 blobs, step ρ = 10, PGD)",
        base_link: ADVERSARIAL_DISPARITY_BASE,
        methods: &[
            "erm:adversarial=none",
            "reweighted_erm:adversarial=none&loss.kind=weighted_ce",
            "at:baseline",
            "reweighted_at:adversarial.class_weights.scheme=inverse_frequency",
            "at_balanced_softmax:loss.kind=balanced_softmax",
        ],
        seeds: "5",
        epochs: 30,
    },
];

/// The adversarial-disparity preset's settings: the data, the network, adversarial training
/// (PGD-5, L∞, ε = 0.5, random start) and robust evaluation (PGD-10 at the same ε). Blobs of
/// σ = 1: the classes overlap, so the budget moves rows across the boundaries.
pub const ADVERSARIAL_DISPARITY_BASE: &str = concat!(
    "dataset.generator=blobs&dataset.noise=1&dataset.counts.kind=step",
    "&dataset.counts.n_max=1000&dataset.counts.rho=10&dataset.counts.mu=0.5",
    "&dataset.counts.classes=4&model.hidden=[16,16]&batch_size=64",
    "&adversarial.attack.method.kind=pgd&adversarial.attack.method.steps=5",
    "&adversarial.attack.norm=linf&adversarial.attack.epsilon=0.5",
    "&robust_eval.method.kind=pgd&robust_eval.method.steps=10&robust_eval.norm=linf",
    "&robust_eval.epsilon=0.5"
);

/// The minority-collapse preset's settings (the app's "Minority collapse" preset uses the same).
pub const MINORITY_COLLAPSE_BASE: &str = concat!(
    "dataset.generator=blobs&dataset.noise=0.5&dataset.counts.classes=6",
    "&dataset.counts.majority=300&model.hidden=[32,32]&optimizer.kind=sgd&optimizer.lr=0.05",
    "&optimizer.momentum=0.9&optimizer.weight_decay=0.05&batch_size=32"
);

impl Preset {
    pub fn find(name: &str) -> Option<&'static Preset> {
        PRESETS.iter().find(|p| p.name == name)
    }

    pub fn names() -> Vec<&'static str> {
        PRESETS.iter().map(|p| p.name).collect()
    }

    /// The base config: the default with `base_link` applied and `epochs` set.
    pub fn base(&self) -> Result<ExperimentConfig, String> {
        let parsed = link::parse_fragment(self.base_link, &ExperimentConfig::default());
        let pairs: Vec<(String, String)> = self
            .base_link
            .split('&')
            .filter_map(|p| p.split_once('='))
            .map(|(k, v)| (link::decode(k), link::decode(v)))
            .collect();
        let mut issues: Vec<String> = parsed.issues.iter().map(|i| i.to_string()).collect();
        issues.extend(unapplied(&parsed.config, &pairs));
        if !issues.is_empty() {
            return Err(format!("preset {}: {}", self.name, issues.join("; ")));
        }
        let mut config = parsed.config;
        config.epochs = self.epochs;
        Ok(config)
    }

    /// The preset's grid on `base` (its own [`Preset::base`], or a caller's), with `seeds` if given.
    pub fn grid_on(&self, base: ExperimentConfig, seeds: Option<&str>) -> Result<Grid, String> {
        Ok(Grid {
            base,
            methods: self
                .methods
                .iter()
                .map(|m| parse_method(m))
                .collect::<Result<_, _>>()?,
            axes: Vec::new(),
            seeds: parse_seeds(seeds.unwrap_or(self.seeds))?,
        })
    }

    /// The preset's whole grid.
    pub fn grid(&self) -> Result<Grid, String> {
        self.grid_on(self.base()?, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::MemorySource;
    use crate::sweep::runner::run_one;

    fn files() -> MemorySource {
        let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../public/data");
        MemorySource::new().with_bundled_dir(&dir).unwrap()
    }

    #[test]
    fn every_preset_builds_and_its_first_seed_of_each_method_runs() {
        let files = files();
        for p in PRESETS {
            let mut grid = p.grid().unwrap_or_else(|e| panic!("{e}"));
            // One seed and two epochs keep the test quick; the configs are the preset's.
            grid.seeds = vec![0];
            grid.base.epochs = 2;
            let runs = grid.runs().unwrap_or_else(|e| panic!("{}: {e}", p.name));
            assert_eq!(runs.len(), p.methods.len());
            for r in &runs {
                let row = run_one(r, &files);
                assert!(
                    row.error.is_none(),
                    "{} {}: {:?}",
                    p.name,
                    r.method,
                    row.error
                );
                assert!(row.scores.balanced_accuracy.is_some());
            }
        }
        assert_eq!(Preset::names().len(), PRESETS.len());
        assert!(Preset::find("no-such").is_none());
    }

    #[test]
    fn presets_set_what_they_say() {
        use crate::dataset::{ClassCounts, DataOrigin};
        let buda = Preset::find("buda-step-digits").unwrap().base().unwrap();
        match &buda.dataset.source {
            DataOrigin::Bundled {
                subsample: Some(ClassCounts::Step { mu, rho, .. }),
                ..
            } => assert_eq!((*mu, *rho), (0.5, 10.0)),
            other => panic!("{other:?}"),
        }
        let lt = Preset::find("longtail-digits").unwrap().grid().unwrap();
        let runs = lt.runs().unwrap();
        let drw = runs.iter().find(|r| r.method == "drw").unwrap();
        assert!(drw.config.schedule.drw.is_some());
        let crt = runs.iter().find(|r| r.method == "crt").unwrap();
        assert!(crt.config.schedule.second_stage.is_some());
        let mc = Preset::find("minority-collapse").unwrap().grid().unwrap();
        assert!(matches!(
            mc.base.optimizer,
            crate::optim::OptimizerSpec::Sgd { weight_decay, .. } if weight_decay == 0.05
        ));
        let ratios: Vec<f64> = (mc.runs().unwrap().iter())
            .filter(|r| r.seed == 0)
            .map(|r| match r.config.dataset.counts {
                ClassCounts::Ratio { ratio, classes, .. } => {
                    assert_eq!(classes, 6);
                    ratio
                }
                ref other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(ratios, [0.5, 0.2, 0.1, 0.05, 0.03, 0.02, 0.01]);
        let adv = Preset::find("adversarial-disparity")
            .unwrap()
            .grid()
            .unwrap();
        let runs = adv.runs().unwrap();
        let of = |m: &str| &runs.iter().find(|r| r.method == m).unwrap().config;
        assert!(adv.base.robust_eval.is_some());
        assert_eq!(of("erm").adversarial, None);
        assert_eq!(of("erm").robust_eval, adv.base.robust_eval);
        assert!(matches!(
            of("reweighted_erm").loss,
            crate::loss::LossSpec::WeightedCe { .. }
        ));
        let at = of("at").adversarial.as_ref().unwrap();
        assert_eq!((at.attack.epsilon, at.attack.steps()), (0.5, 5));
        assert_eq!(at.class_weights, None);
        assert_eq!(
            of("reweighted_at")
                .adversarial
                .as_ref()
                .unwrap()
                .class_weights,
            Some(crate::loss::ClassWeights::InverseFrequency)
        );
        assert_eq!(of("at_balanced_softmax").loss.name(), "balanced_softmax");
        assert!(of("at_balanced_softmax").adversarial.is_some());
        assert!(matches!(
            adv.base.dataset.counts,
            ClassCounts::Step { classes: 4, rho, .. } if rho == 10.0
        ));
        let menon = Preset::find("menon-two-gaussians").unwrap().base().unwrap();
        assert!(menon.model.hidden.is_empty());
        assert_eq!(menon.dataset.noise, 1.0);
    }
}
