//! The grid of a sweep: methods × values of the varied settings × seeds, each run a complete
//! [`ExperimentConfig`] made by applying link-style overrides (`crate::link`) to a base config.
//!
//! Runs are numbered in a fixed order (methods outermost, then the `--vary` axes in the order given,
//! the first one outermost, then seeds), so a run's index names the same configuration on every
//! machine, which is what `--shard` and `merge` rely on.

use crate::dataset::fnv1a64;
use crate::loss::LossSpec;
use crate::resample::SamplerSpec;
use crate::tag_names::tag_names;
use crate::{link, ExperimentConfig};
use serde_json::json;

use super::overrides::unapplied;

/// Most runs one sweep may have.
pub const MAX_RUNS: usize = 1_000_000;

/// One method: a label and the settings it changes.
#[derive(Clone, Debug, PartialEq)]
pub struct Method {
    pub label: String,
    pub overrides: Vec<(String, String)>,
}

/// A varied setting and its values.
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    pub key: String,
    pub values: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct Grid {
    pub base: ExperimentConfig,
    pub methods: Vec<Method>,
    pub axes: Vec<Axis>,
    pub seeds: Vec<u64>,
}

/// One run of the grid.
#[derive(Clone, Debug)]
pub struct RunSpec {
    pub index: usize,
    pub method: String,
    /// The value of each axis, in axis order.
    pub vary: Vec<String>,
    pub seed: u64,
    pub config: ExperimentConfig,
}

/// Splits at commas that are not inside `[...]`, so `model.hidden=[16,16]` stays one item.
pub fn split_top(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut cur = String::new();
    for ch in text.chars() {
        match ch {
            '[' => depth += 1,
            ']' => depth -= 1,
            ',' if depth == 0 => {
                out.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(ch);
    }
    out.push(cur);
    out.into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Reads one method: `[LABEL:]key=value&key=value`, `baseline` (no change), or a bare sampler or
/// loss name (`smote` means `sampler.kind=smote`, `focal` means `loss.kind=focal`).
pub fn parse_method(text: &str) -> Result<Method, String> {
    let text = text.trim();
    // A label ends at the first `:` before the first `=` (setting keys never hold `:`).
    let head_end = text.find('=').unwrap_or(text.len());
    let (label, body) = match text[..head_end].find(':') {
        Some(i) => (Some(text[..i].trim().to_string()), text[i + 1..].trim()),
        None => (None, text),
    };
    if body.is_empty() {
        return Err(format!("method `{text}` is empty"));
    }
    let overrides = if body.contains('=') {
        let mut v = Vec::new();
        for pair in body.split('&').filter(|p| !p.is_empty()) {
            let (k, val) = pair.split_once('=').ok_or_else(|| {
                format!("method `{text}`: `{pair}` should be key=value (join several with &)")
            })?;
            let k = k.trim();
            if k == "seed" {
                return Err(format!(
                    "method `{text}` sets the seed; give seeds with --seeds instead"
                ));
            }
            v.push((k.to_string(), val.trim().to_string()));
        }
        v
    } else {
        bare_method(body)?
    };
    Ok(Method {
        label: label.unwrap_or_else(|| body.to_string()),
        overrides,
    })
}

fn bare_method(name: &str) -> Result<Vec<(String, String)>, String> {
    if name == "baseline" {
        return Ok(Vec::new());
    }
    let samplers = SamplerSpec::known_names();
    let losses = tag_names::<LossSpec>("kind");
    match (samplers.contains(&name), losses.contains(&name)) {
        (true, false) => Ok(vec![("sampler.kind".into(), name.into())]),
        (false, true) => Ok(vec![("loss.kind".into(), name.into())]),
        (true, true) => Err(format!(
            "`{name}` is both a sampler and a loss; write sampler.kind={name} or loss.kind={name}"
        )),
        (false, false) => Err(format!(
            "unknown method `{name}`: write settings as key=value (e.g. sampler.kind=none&optimizer.lr=0.01), `baseline`, or a sampler ({}) or loss ({}) name",
            samplers.join(", "),
            losses.join(", ")
        )),
    }
}

/// Reads `KEY=v1,v2,...` (or `KEY=v1;v2;...`).
pub fn parse_axis(text: &str) -> Result<Axis, String> {
    let (key, values) = text.split_once('=').ok_or_else(|| {
        format!("--vary `{text}` should be KEY=v1,v2,... e.g. optimizer.lr=0.01,0.1")
    })?;
    let key = key.trim().to_string();
    if key == "seed" {
        return Err("vary the seed with --seeds, not --vary".into());
    }
    // Values that hold commas (`0:100,1:50`) can be separated by semicolons instead.
    let values: Vec<String> = if values.contains(';') {
        values
            .split(';')
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .collect()
    } else {
        split_top(values)
    };
    if values.is_empty() {
        return Err(format!("--vary {key}: no values given"));
    }
    if let Some(dup) = values
        .iter()
        .enumerate()
        .find(|(i, v)| values[..*i].contains(v))
    {
        return Err(format!("--vary {key}: value `{}` is given twice", dup.1));
    }
    Ok(Axis { key, values })
}

/// `N` (seeds 0..N), `a..b` (a to b−1), `a..=b` (a to b), or a list `1,5,9`.
pub fn parse_seeds(text: &str) -> Result<Vec<u64>, String> {
    let bad = || {
        format!(
            "--seeds `{text}` should be a count (5), a range (10..15 or 10..=14) or a list (1,5,9)"
        )
    };
    let num = |s: &str| s.trim().parse::<u64>().map_err(|_| bad());
    let seeds: Vec<u64> = if let Some((a, b)) = text.split_once("..=") {
        let (a, b) = (num(a)?, num(b)?);
        if b < a {
            return Err(format!("--seeds `{text}`: the range is empty"));
        }
        (a..=b).take(MAX_RUNS + 1).collect()
    } else if let Some((a, b)) = text.split_once("..") {
        (num(a)?..num(b)?).take(MAX_RUNS + 1).collect()
    } else if text.contains(',') {
        text.split(',').map(num).collect::<Result<_, _>>()?
    } else {
        (0..num(text)?).take(MAX_RUNS + 1).collect()
    };
    if seeds.is_empty() {
        return Err(format!("--seeds `{text}` gives no seeds"));
    }
    if seeds.len() > MAX_RUNS {
        return Err(format!("--seeds `{text}`: more than {MAX_RUNS} seeds"));
    }
    let mut sorted = seeds.clone();
    sorted.sort_unstable();
    if sorted.windows(2).any(|w| w[0] == w[1]) {
        return Err(format!("--seeds `{text}` lists a seed twice"));
    }
    Ok(seeds)
}

impl Grid {
    /// Number of runs.
    pub fn len(&self) -> usize {
        self.methods.len()
            * self.axes.iter().map(|a| a.values.len()).product::<usize>()
            * self.seeds.len()
    }

    /// True when some axis has no value or there is no method or seed.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The axis values of combination `combo` (first axis outermost).
    fn combination(&self, mut combo: usize) -> Vec<String> {
        let mut values = vec![String::new(); self.axes.len()];
        for (i, axis) in self.axes.iter().enumerate().rev() {
            values[i] = axis.values[combo % axis.values.len()].clone();
            combo /= axis.values.len();
        }
        values
    }

    /// Every run with its configuration. Fails on the first setting that a link would not apply
    /// cleanly, naming the method and the setting.
    pub fn runs(&self) -> Result<Vec<RunSpec>, String> {
        let total = self.len();
        if total == 0 {
            return Err("the grid is empty".into());
        }
        if total > MAX_RUNS {
            return Err(format!(
                "the grid has {total} runs; at most {MAX_RUNS} are accepted"
            ));
        }
        let combos = total / self.methods.len() / self.seeds.len();
        let mut runs = Vec::with_capacity(total);
        for method in &self.methods {
            for combo in 0..combos {
                let vary = self.combination(combo);
                for &seed in &self.seeds {
                    let config = self.config_for(method, &vary, seed)?;
                    runs.push(RunSpec {
                        index: runs.len(),
                        method: method.label.clone(),
                        vary: vary.clone(),
                        seed,
                        config,
                    });
                }
            }
        }
        Ok(runs)
    }

    fn config_for(
        &self,
        method: &Method,
        vary: &[String],
        seed: u64,
    ) -> Result<ExperimentConfig, String> {
        let mut pairs: Vec<(String, String)> = method.overrides.clone();
        pairs.extend(
            self.axes
                .iter()
                .map(|a| a.key.clone())
                .zip(vary.iter().cloned()),
        );
        pairs.push(("seed".into(), seed.to_string()));
        let fragment: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{}={}", link::encode(k), link::encode(v)))
            .collect();
        let parsed = link::parse_fragment(&fragment.join("&"), &self.base);
        let mut issues: Vec<String> = parsed.issues.iter().map(|i| i.to_string()).collect();
        if issues.is_empty() {
            issues = unapplied(&parsed.config, &pairs);
            if issues.is_empty() {
                return Ok(parsed.config);
            }
        }
        let setting: Vec<String> = self
            .axes
            .iter()
            .zip(vary)
            .map(|(a, v)| format!("{}={v}", a.key))
            .collect();
        Err(format!(
            "method `{}`{}: {}",
            method.label,
            if setting.is_empty() {
                String::new()
            } else {
                format!(" with {}", setting.join(", "))
            },
            issues.join("; ")
        ))
    }

    /// Identifies the sweep: a hash of this build's version, the base config and the grid. Shards
    /// of one sweep share it; `merge` refuses files whose ids differ.
    pub fn sweep_id(&self) -> String {
        let canonical = json!({
            "imlab": env!("CARGO_PKG_VERSION"),
            "base": self.base,
            "methods": self.methods.iter().map(|m| json!([m.label, m.overrides])).collect::<Vec<_>>(),
            "vary": self.axes.iter().map(|a| json!([a.key, a.values])).collect::<Vec<_>>(),
            "seeds": self.seeds,
        });
        format!("{:016x}", fnv1a64(canonical.to_string().as_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(methods: &[&str], axes: &[&str], seeds: &str) -> Grid {
        Grid {
            base: ExperimentConfig::default(),
            methods: methods.iter().map(|m| parse_method(m).unwrap()).collect(),
            axes: axes.iter().map(|a| parse_axis(a).unwrap()).collect(),
            seeds: parse_seeds(seeds).unwrap(),
        }
    }

    #[test]
    fn seeds_forms() {
        assert_eq!(parse_seeds("3").unwrap(), vec![0, 1, 2]);
        assert_eq!(parse_seeds("5..8").unwrap(), vec![5, 6, 7]);
        assert_eq!(parse_seeds("5..=7").unwrap(), vec![5, 6, 7]);
        assert_eq!(parse_seeds("9,1").unwrap(), vec![9, 1]);
        for bad in ["0", "8..5", "x", "1,1", "3..=2", ""] {
            assert!(parse_seeds(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn methods_and_axes() {
        let m = parse_method("small:model.hidden=[4,4]&optimizer.lr=0.1").unwrap();
        assert_eq!(m.label, "small");
        assert_eq!(m.overrides.len(), 2);
        assert_eq!(
            parse_method("none").unwrap().overrides,
            vec![("sampler.kind".to_string(), "none".to_string())]
        );
        assert!(parse_method("baseline").unwrap().overrides.is_empty());
        assert!(parse_method("no-such-method")
            .unwrap_err()
            .contains("unknown method"));
        assert!(parse_method("seed=3").is_err());
        assert_eq!(split_top("a=[1,2],b=3, c"), vec!["a=[1,2]", "b=3", "c"]);
        assert!(parse_axis("optimizer.lr").is_err());
        assert!(parse_axis("seed=1,2").is_err());
        assert!(parse_axis("optimizer.lr=0.1,0.1").is_err());
        let a = parse_axis("sampler.sampling_strategy=0:9,1:5; auto").unwrap();
        assert_eq!(a.values, vec!["0:9,1:5", "auto"]);
    }

    #[test]
    fn runs_are_ordered_method_axis_seed() {
        let g = grid(
            &["baseline", "none"],
            &["optimizer.lr=0.01,0.1", "batch_size=16,64"],
            "2",
        );
        let runs = g.runs().unwrap();
        assert_eq!(runs.len(), 16);
        assert_eq!(
            (runs[0].method.as_str(), runs[0].vary.clone(), runs[0].seed),
            ("baseline", vec!["0.01".to_string(), "16".to_string()], 0)
        );
        assert_eq!(runs[1].seed, 1);
        assert_eq!(runs[2].vary, vec!["0.01", "64"]);
        assert_eq!(runs[4].vary, vec!["0.1", "16"]);
        assert_eq!(runs[8].method, "none");
        assert_eq!(runs[5].config.seed, 1);
        assert_eq!(runs[5].config.batch_size, 16);
    }

    #[test]
    fn a_bad_setting_names_method_and_key() {
        let g = grid(&["baseline"], &["optimizer.learning_rate=0.1"], "1");
        let e = g.runs().unwrap_err();
        assert!(e.contains("optimizer.learning_rate"), "{e}");
        let g = grid(&["baseline"], &["batch_size=0"], "1");
        assert!(g.runs().unwrap_err().contains("batch_size"));
    }

    #[test]
    fn id_depends_on_grid_not_on_order_of_nothing() {
        let a = grid(&["baseline"], &[], "2");
        assert_eq!(a.sweep_id(), grid(&["baseline"], &[], "2").sweep_id());
        assert_ne!(a.sweep_id(), grid(&["baseline"], &[], "3").sweep_id());
        assert_ne!(a.sweep_id(), grid(&["none"], &[], "2").sweep_id());
    }

    /// Adversarial methods are link settings: from a base without adversarial training, a method
    /// turns it on (`adversarial.attack.*`) and reweights it (`adversarial.class_weights.*`); from a
    /// base with it, `adversarial=none` is clean training.
    #[test]
    fn adversarial_methods_are_settings() {
        use crate::adversarial::AttackMethod;
        use crate::loss::ClassWeights;
        let mut g = grid(
            &[
                "erm:baseline",
                "at:adversarial.attack.method.steps=5&adversarial.attack.epsilon=0.2",
                "rat:adversarial.attack.epsilon=0.2&adversarial.class_weights.scheme=inverse_frequency",
            ],
            &[],
            "1",
        );
        let runs = g.runs().unwrap();
        assert_eq!(runs[0].config.adversarial, None);
        let at = runs[1].config.adversarial.as_ref().unwrap();
        assert_eq!(at.attack.epsilon, 0.2);
        assert!(matches!(
            at.attack.method,
            AttackMethod::Pgd { steps: 5, .. }
        ));
        assert_eq!(at.class_weights, None);
        let rat = runs[2].config.adversarial.as_ref().unwrap();
        assert_eq!(rat.class_weights, Some(ClassWeights::InverseFrequency));
        assert!(matches!(
            rat.attack.method,
            AttackMethod::Pgd { steps: 10, .. }
        ));

        g.base = runs[2].config.clone();
        g.methods = [
            "at:baseline",
            "erm:adversarial=none",
            "uniform:adversarial.class_weights=none",
        ]
        .iter()
        .map(|m| parse_method(m).unwrap())
        .collect();
        let runs = g.runs().unwrap();
        assert_eq!(runs[0].config.adversarial, g.base.adversarial);
        assert_eq!(runs[1].config.adversarial, None);
        let plain = runs[2].config.adversarial.as_ref().unwrap();
        assert_eq!(
            (plain.class_weights.as_ref(), plain.attack.epsilon),
            (None, 0.2)
        );
    }
}
