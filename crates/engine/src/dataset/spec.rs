//! What data an experiment uses: a generator with per-class counts and noise, or a bundled dataset, or
//! an uploaded CSV file; optionally subsampled to a class-count profile and with label noise.

use serde::{Deserialize, Serialize};

use super::blobs::{circle_centers, gaussian_mixture, GaussianComponent};
use super::bundled::{self, BundledName};
use super::content_hash::{content_hash, is_content_hash};
use super::csv::{self, CsvOptions, LabelColumn, Table};
use super::edits::PointEdits;
use super::feature_columns::{self, ColumnRef};
use super::label_noise::LabelNoise;
use super::source::{DataSource, NoData};
use super::subsample::subsample_indices;
use super::{blobs, checkerboard, circles, moons, profile, spiral, two_gaussians, xor, Dataset};
use crate::error::{EngineError, Result};
use crate::rng::Rng;

/// Largest number of rows a dataset may have (generated, or kept from a file); keeps any link from
/// freezing the tab.
pub const MAX_ROWS: usize = 200_000;
/// Most classes any dataset may have.
pub const MAX_CLASSES: usize = 100;
/// Most features a generated Gaussian mixture may have.
pub const MAX_MIXTURE_FEATURES: usize = 64;
/// Most components per class in a Gaussian mixture.
pub const MAX_MIXTURE_COMPONENTS: usize = 16;

/// The synthetic generators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Generator {
    /// Two interleaving half circles (two classes).
    Moons,
    /// Gaussian blobs with centres on a circle, or a Gaussian mixture per class (2 to 10 classes).
    Blobs,
    /// Concentric circles, one ring per class (2 to 10 classes).
    Circles,
    /// Spiral arms, one per class (2 to 10 classes).
    Spiral,
    /// The XOR quadrant pattern (two classes).
    Xor,
    /// A checkerboard coloured by class (2 to 10 classes).
    Checkerboard,
    /// Menon et al. 2021 §6.1: `x | y ~ N(y·(1,1), σ² I)` (two classes).
    TwoGaussians,
}

impl Generator {
    pub const ALL: [Generator; 7] = [
        Generator::Moons,
        Generator::Blobs,
        Generator::Circles,
        Generator::Spiral,
        Generator::Xor,
        Generator::Checkerboard,
        Generator::TwoGaussians,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Generator::Moons => "moons",
            Generator::Blobs => "blobs",
            Generator::Circles => "circles",
            Generator::Spiral => "spiral",
            Generator::Xor => "xor",
            Generator::Checkerboard => "checkerboard",
            Generator::TwoGaussians => "two_gaussians",
        }
    }

    pub fn from_name(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.name() == s)
    }

    /// The class counts this generator supports.
    pub fn class_range(self) -> (usize, usize) {
        match self {
            Generator::Moons | Generator::Xor | Generator::TwoGaussians => (2, 2),
            Generator::Blobs | Generator::Circles | Generator::Spiral | Generator::Checkerboard => {
                (2, 10)
            }
        }
    }
}

/// How many samples each class gets.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ClassCounts {
    /// Explicit count per class.
    Explicit { counts: Vec<usize> },
    /// Class 0 has `majority` samples; every other class has `round(majority × ratio)`, at least 1.
    /// `ratio` is minority:majority (0.1 means one minority sample per ten majority samples).
    Ratio {
        majority: usize,
        ratio: f64,
        classes: usize,
    },
    /// Exponential long tail, `ρ = n_max/n_min` (methods-spec §C.2; [`profile::exponential`]).
    Exponential {
        n_max: usize,
        rho: f64,
        classes: usize,
    },
    /// Step: the last `round(µ·K)` classes have `int(n_max/ρ)` (methods-spec §C.3; [`profile::step`]).
    Step {
        n_max: usize,
        rho: f64,
        mu: f64,
        classes: usize,
    },
    /// Linear from `n_max` down to `max(1, round(n_max/ρ))` (methods-spec §C.4; [`profile::linear`]).
    Linear {
        n_max: usize,
        rho: f64,
        classes: usize,
    },
}

impl ClassCounts {
    /// The count of each class. Fails, naming the setting, on parameters out of range; sizes are
    /// bounded before anything is allocated.
    pub fn resolve(&self) -> Result<Vec<usize>> {
        match self {
            ClassCounts::Explicit { counts } => {
                if counts.len() > MAX_CLASSES {
                    return Err(EngineError::config(
                        "counts",
                        format!("at most {MAX_CLASSES} classes, got {}", counts.len()),
                    ));
                }
                check_total(counts)?;
                Ok(counts.clone())
            }
            ClassCounts::Ratio {
                majority,
                ratio,
                classes,
            } => {
                check_classes(*classes)?;
                check_size("majority", *majority)?;
                if !(ratio.is_finite() && *ratio > 0.0 && *ratio <= 1.0) {
                    return Err(EngineError::config(
                        "ratio",
                        format!("the minority:majority ratio must be in (0, 1], got {ratio}"),
                    ));
                }
                let minority = ((*majority as f64) * ratio).round().max(1.0) as usize;
                let mut v = vec![minority; *classes];
                v[0] = *majority;
                check_total(&v)?;
                Ok(v)
            }
            ClassCounts::Exponential {
                n_max,
                rho,
                classes,
            } => {
                check_profile(*n_max, *rho, *classes)?;
                let v = profile::exponential(*n_max, *rho, *classes);
                check_total(&v)?;
                Ok(v)
            }
            ClassCounts::Step {
                n_max,
                rho,
                mu,
                classes,
            } => {
                check_profile(*n_max, *rho, *classes)?;
                let minority = if mu.is_finite() && *mu > 0.0 && *mu < 1.0 {
                    profile::step_minority_classes(*mu, *classes)
                } else {
                    0
                };
                if minority < 1 || minority >= *classes {
                    return Err(EngineError::config(
                        "mu",
                        format!(
                            "the minority fraction µ must leave between 1 and {} of the {classes} classes minority (round(µ·K)); got µ = {mu}",
                            classes - 1
                        ),
                    ));
                }
                let v = profile::step(*n_max, *rho, *mu, *classes);
                check_total(&v)?;
                Ok(v)
            }
            ClassCounts::Linear {
                n_max,
                rho,
                classes,
            } => {
                check_profile(*n_max, *rho, *classes)?;
                let v = profile::linear(*n_max, *rho, *classes);
                check_total(&v)?;
                Ok(v)
            }
        }
    }
}

fn check_classes(classes: usize) -> Result<()> {
    if (2..=MAX_CLASSES).contains(&classes) {
        Ok(())
    } else {
        Err(EngineError::config(
            "classes",
            format!("must be 2 to {MAX_CLASSES}, got {classes}"),
        ))
    }
}

fn check_size(key: &str, n: usize) -> Result<()> {
    if (1..=MAX_ROWS).contains(&n) {
        Ok(())
    } else {
        Err(EngineError::config(
            key,
            format!("must be 1 to {MAX_ROWS}, got {n}"),
        ))
    }
}

fn check_profile(n_max: usize, rho: f64, classes: usize) -> Result<()> {
    check_classes(classes)?;
    check_size("n_max", n_max)?;
    if !(rho.is_finite() && (1.0..=1e6).contains(&rho)) {
        return Err(EngineError::config(
            "rho",
            format!("the imbalance ratio ρ = n_max/n_min must be between 1 and 1e6, got {rho}"),
        ));
    }
    Ok(())
}

fn check_total(counts: &[usize]) -> Result<()> {
    let total = counts
        .iter()
        .try_fold(0usize, |acc, &c| acc.checked_add(c))
        .unwrap_or(usize::MAX);
    if total > MAX_ROWS {
        return Err(EngineError::config(
            "counts",
            format!("at most {MAX_ROWS} rows in all, asked for {total}"),
        ));
    }
    Ok(())
}

/// Where the rows come from.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum DataOrigin {
    /// The spec's `generator`, `counts`, `noise` (and `mixture`).
    #[default]
    Generated,
    /// A file under `public/data/`; all rows, or the `subsample` profile's count per class.
    Bundled {
        name: BundledName,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        subsample: Option<ClassCounts>,
        /// Z-score every feature over the kept rows (breast-cancer features span six decades).
        #[serde(default = "standardize_by_default")]
        standardize: bool,
    },
    /// A CSV file the user supplied, named by [`content_hash`] of its bytes (which a link carries;
    /// the bytes themselves come from a [`DataSource`]).
    Uploaded {
        hash: String,
        #[serde(default)]
        label_column: LabelColumn,
        #[serde(default)]
        standardize: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        subsample: Option<ClassCounts>,
        /// The feature columns in the order listed; `None`: every column but the label (see
        /// [`super::feature_columns`]).
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            deserialize_with = "feature_columns::deserialize_features"
        )]
        features: Option<Vec<ColumnRef>>,
    },
}

fn standardize_by_default() -> bool {
    true
}

impl DataOrigin {
    pub fn is_generated(&self) -> bool {
        matches!(self, DataOrigin::Generated)
    }
}

/// A dataset description. `generator`, `counts`, `noise` and `mixture` describe generated data and
/// are ignored when `source` names a file; `label_noise` applies to every source.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DatasetSpec {
    pub generator: Generator,
    pub counts: ClassCounts,
    /// Standard deviation of the Gaussian noise added to each coordinate (moons, circles, spiral, xor,
    /// checkerboard), of each blob, or σ of the two Gaussians.
    pub noise: f64,
    /// For `blobs`: one Gaussian mixture per class instead of unit blobs on a circle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mixture: Option<Vec<Vec<GaussianComponent>>>,
    #[serde(default, skip_serializing_if = "LabelNoise::is_none")]
    pub label_noise: LabelNoise,
    #[serde(default, skip_serializing_if = "DataOrigin::is_generated")]
    pub source: DataOrigin,
    /// Training points added or removed by clicking the plot (applied after the split; `edits`).
    #[serde(default, skip_serializing_if = "PointEdits::is_empty")]
    pub edits: PointEdits,
}

impl Default for DatasetSpec {
    fn default() -> Self {
        DatasetSpec {
            generator: Generator::Moons,
            counts: ClassCounts::Ratio {
                majority: 500,
                ratio: 0.1,
                classes: 2,
            },
            noise: 0.25,
            mixture: None,
            label_noise: LabelNoise::None,
            source: DataOrigin::Generated,
            edits: PointEdits::default(),
        }
    }
}

/// A dataset with what the app shows beside it.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadedDataset {
    pub data: Dataset,
    pub feature_names: Vec<String>,
    /// Display name of each class.
    pub class_names: Vec<String>,
    /// Rows whose label noise flipped (ascending).
    pub flipped: Vec<usize>,
    /// For a file: the file's data rows (0-based, header excluded) kept by the subsample, in order.
    pub kept_rows: Option<Vec<usize>>,
}

impl DatasetSpec {
    /// Menon et al. 2021 §6.1 as the paper sets it: `P(y=+1) = 0.05`, `σ = 1`.
    pub fn menon_two_gaussians(total: usize) -> Self {
        DatasetSpec {
            generator: Generator::TwoGaussians,
            counts: ClassCounts::Explicit {
                counts: two_gaussians::paper_counts(total).to_vec(),
            },
            noise: 1.0,
            ..DatasetSpec::default()
        }
    }

    /// Checks every field without touching file contents; returns the class counts, or for an upload
    /// without a subsample profile an empty list (its counts are known only once the bytes are read).
    pub fn validate(&self) -> Result<Vec<usize>> {
        self.label_noise.validate()?;
        self.edits.validate()?;
        let counts = match &self.source {
            DataOrigin::Generated => self.validate_generated()?,
            DataOrigin::Bundled {
                name, subsample, ..
            } => {
                let available = name.class_counts();
                match subsample {
                    None => available.to_vec(),
                    Some(profile) => {
                        let counts = profile.resolve()?;
                        check_subsample(&counts, available)?;
                        counts
                    }
                }
            }
            DataOrigin::Uploaded {
                hash,
                subsample,
                features,
                ..
            } => {
                if !is_content_hash(hash) {
                    return Err(EngineError::config(
                        "hash",
                        format!("\"{hash}\" is not a content hash (expected fnv1a64- and 16 hex digits); upload the file again"),
                    ));
                }
                if let Some(features) = features {
                    feature_columns::check_list(features)
                        .map_err(|m| EngineError::config("dataset.source.features", m))?;
                }
                match subsample {
                    None => Vec::new(),
                    Some(profile) => profile.resolve()?,
                }
            }
        };
        check_two_per_class(&counts)?;
        Ok(counts)
    }

    fn validate_generated(&self) -> Result<Vec<usize>> {
        let counts = self.counts.resolve()?;
        let (lo, hi) = self.generator.class_range();
        if counts.len() < lo || counts.len() > hi {
            return Err(EngineError::config(
                "classes",
                format!(
                    "{} supports {lo} to {hi} classes, got {}",
                    self.generator.name(),
                    counts.len()
                ),
            ));
        }
        check_total(&counts)?;
        if !(self.noise.is_finite() && (0.0..=5.0).contains(&self.noise)) {
            return Err(EngineError::config(
                "noise",
                format!("must be between 0 and 5, got {}", self.noise),
            ));
        }
        if let Some(mixture) = &self.mixture {
            if self.generator != Generator::Blobs {
                return Err(EngineError::config(
                    "mixture",
                    format!(
                        "a Gaussian mixture applies to the blobs generator only, not {}",
                        self.generator.name()
                    ),
                ));
            }
            validate_mixture(mixture, counts.len())?;
        }
        Ok(counts)
    }

    /// Generates the data from the `data` stream. Needs no file: fails for bundled and uploaded
    /// sources (use [`DatasetSpec::generate_with`]).
    pub fn generate(&self, rng: &mut Rng) -> Result<Dataset> {
        self.generate_with(rng, &NoData)
    }

    /// Generates or loads the data, reading files from `files`.
    pub fn generate_with(&self, rng: &mut Rng, files: &dyn DataSource) -> Result<Dataset> {
        Ok(self.load(rng, files)?.data)
    }

    /// Generates or loads the data with names for display.
    ///
    /// Streams: features (and, for files, the subsample choice, `rng.fork("subsample", class)`) come
    /// from `rng`, the experiment's `data` stream. Label noise draws from `rng.fork("label_noise", 0)`,
    /// taken before anything else is drawn, so switching label noise on, off or to another rate never
    /// moves a point. Label noise is applied last, before the split.
    pub fn load(&self, rng: &mut Rng, files: &dyn DataSource) -> Result<LoadedDataset> {
        let counts = self.validate()?;
        let mut label_rng = rng.fork("label_noise", 0);
        let mut loaded = match &self.source {
            DataOrigin::Generated => {
                let data = self.generate_shape(&counts, rng);
                LoadedDataset {
                    feature_names: (1..=data.n_features).map(|j| format!("x{j}")).collect(),
                    class_names: (0..data.n_classes).map(|c| c.to_string()).collect(),
                    data,
                    flipped: Vec::new(),
                    kept_rows: None,
                }
            }
            DataOrigin::Bundled {
                name,
                subsample,
                standardize,
            } => {
                let text = files.bundled_text(*name).ok_or_else(|| {
                    EngineError::Data(format!(
                        "the bundled dataset {} ({}) is not loaded yet",
                        name.name(),
                        name.file_name()
                    ))
                })?;
                let table = bundled::parse(*name, text)?;
                from_table(
                    table,
                    subsample.is_some().then_some(&counts[..]),
                    *standardize,
                    rng,
                )?
            }
            DataOrigin::Uploaded {
                hash,
                label_column,
                standardize,
                subsample,
                features,
            } => {
                let bytes = files.uploaded_bytes(hash).ok_or_else(|| {
                    EngineError::Data(format!(
                        "this experiment uses an uploaded CSV file ({hash}) that is not loaded; upload the same file again"
                    ))
                })?;
                let actual = content_hash(bytes);
                if actual != *hash {
                    return Err(EngineError::Data(format!(
                        "the uploaded file's content hash is {actual}, but the experiment names {hash}: it is a different file"
                    )));
                }
                let table = csv::parse(
                    bytes,
                    &CsvOptions {
                        label_column: label_column.clone(),
                        features: features.clone(),
                        standardize: false,
                    },
                )?;
                from_table(
                    table,
                    subsample.is_some().then_some(&counts[..]),
                    *standardize,
                    rng,
                )?
            }
        };
        loaded.flipped = self.label_noise.apply(&mut loaded.data, &mut label_rng);
        Ok(loaded)
    }

    fn generate_shape(&self, counts: &[usize], rng: &mut Rng) -> Dataset {
        let noise = self.noise;
        match self.generator {
            Generator::Moons => moons([counts[0], counts[1]], noise, rng),
            Generator::Blobs => match &self.mixture {
                Some(mixture) => gaussian_mixture(counts, mixture, rng),
                None => {
                    let centers = circle_centers(counts.len(), 2.0);
                    blobs(counts, &centers, noise.max(1e-3), rng)
                }
            },
            Generator::Circles => circles(counts, noise, rng),
            Generator::Spiral => spiral(counts, noise, rng),
            Generator::Xor => xor([counts[0], counts[1]], noise, rng),
            Generator::Checkerboard => checkerboard(counts, noise, rng),
            Generator::TwoGaussians => {
                two_gaussians::two_gaussians([counts[0], counts[1]], noise, rng)
            }
        }
    }
}

fn from_table(
    table: Table,
    subsample: Option<&[usize]>,
    standardize: bool,
    rng: &Rng,
) -> Result<LoadedDataset> {
    let Table {
        data,
        feature_names,
        class_names,
        ..
    } = table;
    let (mut data, kept_rows) = match subsample {
        Some(counts) => {
            let keep = subsample_indices(&data, counts, rng)?;
            (data.select(&keep), Some(keep))
        }
        None => (data, None),
    };
    if standardize {
        csv::standardize_in_place(&mut data);
    }
    Ok(LoadedDataset {
        data,
        feature_names,
        class_names,
        flipped: Vec::new(),
        kept_rows,
    })
}

fn check_subsample(counts: &[usize], available: &[usize]) -> Result<()> {
    if counts.len() != available.len() {
        return Err(EngineError::config(
            "subsample",
            format!(
                "the profile has {} classes but the data has {}",
                counts.len(),
                available.len()
            ),
        ));
    }
    for (class, (&want, &have)) in counts.iter().zip(available).enumerate() {
        if want > have {
            return Err(EngineError::config(
                "subsample",
                format!("class {class} has {have} rows; the profile asks for {want}. Lower n_max or the majority count"),
            ));
        }
    }
    Ok(())
}

fn check_two_per_class(counts: &[usize]) -> Result<()> {
    if let Some((class, &count)) = counts.iter().enumerate().find(|(_, &c)| c < 2) {
        return Err(EngineError::TooFewSamples {
            class,
            count,
            needed: 2,
            what: "a train/test split".into(),
        });
    }
    Ok(())
}

fn validate_mixture(mixture: &[Vec<GaussianComponent>], classes: usize) -> Result<()> {
    let bad = |m: String| Err(EngineError::config("mixture", m));
    if mixture.len() != classes {
        return bad(format!(
            "one mixture per class is needed: {classes} classes, {} mixtures",
            mixture.len()
        ));
    }
    let d = mixture[0].first().map_or(0, |c| c.mean.len());
    if !(1..=MAX_MIXTURE_FEATURES).contains(&d) {
        return bad(format!(
            "means must have 1 to {MAX_MIXTURE_FEATURES} coordinates, got {d}"
        ));
    }
    for (class, components) in mixture.iter().enumerate() {
        if components.is_empty() || components.len() > MAX_MIXTURE_COMPONENTS {
            return bad(format!(
                "class {class} needs 1 to {MAX_MIXTURE_COMPONENTS} components, got {}",
                components.len()
            ));
        }
        for c in components {
            if c.mean.len() != d {
                return bad(format!(
                    "class {class}: every mean must have {d} coordinates, got {}",
                    c.mean.len()
                ));
            }
            if c.mean.iter().any(|v| !v.is_finite() || v.abs() > 1e6) {
                return bad(format!(
                    "class {class}: means must be finite and within ±1e6"
                ));
            }
            if !(c.spread.is_finite() && (0.0..=100.0).contains(&c.spread)) {
                return bad(format!(
                    "class {class}: spread must be between 0 and 100, got {}",
                    c.spread
                ));
            }
            if !(c.weight.is_finite() && c.weight > 0.0) {
                return bad(format!(
                    "class {class}: weights must be positive, got {}",
                    c.weight
                ));
            }
        }
    }
    Ok(())
}
