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

pub use imlab_engine::sweep::overrides::unapplied;

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
