//! The experiment a command starts from: `--config file.json`, `--link URL`, or the default.

use imlab_engine::{link, ExperimentConfig};

use crate::args::Args;

/// Reads the config named by `--config` or `--link` (refusing a link with any problem, since it
/// would not reproduce its numbers), or the default config when neither is given.
pub fn load(args: &Args) -> Result<ExperimentConfig, String> {
    match (args.get("config"), args.get("link")) {
        (Some(_), Some(_)) => Err("give --config or --link, not both".into()),
        (Some(path), None) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read config `{path}`: {e}"))?;
            ExperimentConfig::from_json(&text).map_err(|e| format!("{path}: {e}"))
        }
        (None, Some(url)) => {
            let fragment = url.split_once('#').map_or(url, |(_, f)| f);
            let parsed = link::parse_fragment(fragment, &ExperimentConfig::default());
            let pairs: Vec<(String, String)> = fragment
                .trim_start_matches(['#', '?'])
                .split('&')
                .filter(|p| !p.is_empty())
                .map(|p| {
                    let (k, v) = p.split_once('=').unwrap_or((p, ""));
                    (link::decode(k), link::decode(v))
                })
                .filter(|(k, _)| k != "v" && !link::INFO_KEYS.contains(&k.as_str()))
                .collect();
            let mut list: Vec<String> = parsed.issues.iter().map(|i| i.to_string()).collect();
            list.extend(unapplied(&parsed.config, &pairs));
            if !list.is_empty() {
                return Err(format!(
                    "the link has problems, so it would not reproduce its numbers:\n  {}",
                    list.join("\n  ")
                ));
            }
            Ok(parsed.config)
        }
        (None, None) => Ok(ExperimentConfig::default()),
    }
}

/// The given `key=value` settings that `config` does not contain, as messages.
///
/// The link parser hands each group to serde, which drops a key its type does not have unless the
/// type denies unknown fields (`optimizer.learning_rate`, `sampler.k`); such a setting would be
/// silently ignored. A key counts as applied when its dotted path exists in the config's JSON form,
/// or when serde leaves it out as a default: the value `none`, or the `kind` of an object left out
/// entirely (`dataset.label_noise.kind=none`, `dataset.source.kind=generated`).
pub fn unapplied(config: &ExperimentConfig, pairs: &[(String, String)]) -> Vec<String> {
    let written = serde_json::to_value(config).unwrap_or(serde_json::Value::Null);
    let mut out = Vec::new();
    for (k, v) in pairs {
        if lookup(&written, k).is_some() || v == "none" {
            continue;
        }
        if let Some(parent) = k.strip_suffix(".kind") {
            if lookup(&written, parent).is_none() {
                continue;
            }
        }
        out.push(format!(
            "`{k}`: not a setting of this experiment, so it would be ignored; check the spelling"
        ));
    }
    out
}

/// The value at dotted `key` (`a.b.0.c`: objects by name, arrays by index).
fn lookup<'a>(v: &'a serde_json::Value, key: &str) -> Option<&'a serde_json::Value> {
    key.split('.').try_fold(v, |v, part| match v {
        serde_json::Value::Array(items) => items.get(part.parse::<usize>().ok()?),
        other => other.get(part),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn misspelt_keys_are_caught_and_defaults_left_out_are_not() {
        let c = ExperimentConfig::default();
        let bad = unapplied(
            &c,
            &pairs(&[("optimizer.learning_rate", "0.1"), ("sampler.k", "3")]),
        );
        assert_eq!(bad.len(), 2, "{bad:?}");
        assert!(bad[0].contains("optimizer.learning_rate"));
        let fine = pairs(&[
            ("optimizer.lr", "0.1"),
            ("model.hidden", "[4]"),
            ("dataset.label_noise.kind", "none"),
            ("dataset.source.kind", "generated"),
            ("dataset.mixture", "none"),
            ("threshold", "none"),
        ]);
        assert!(unapplied(&c, &fine).is_empty());
    }
}
