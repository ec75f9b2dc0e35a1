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
            if !parsed.issues.is_empty() {
                let list: Vec<String> = parsed.issues.iter().map(|i| i.to_string()).collect();
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
