//! Checks that link-style `key=value` settings really landed in a config. Shared by the sweep grid
//! (each method's and axis's settings) and the CLI's `--link` reader.

use crate::ExperimentConfig;

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
        // `task=multiclass` is the default, which the JSON leaves out.
        let default_task = k == "task" && v == crate::experiment::TaskKind::Multiclass.name();
        if lookup(&written, k).is_some() || v == "none" || default_task {
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

    #[test]
    fn the_default_task_written_out_counts_as_applied() {
        let c = ExperimentConfig::default();
        let pair = |k: &str, v: &str| vec![(k.to_string(), v.to_string())];
        assert!(unapplied(&c, &pair("task", "multiclass")).is_empty());
        assert_eq!(unapplied(&c, &pair("task", "multilabel")).len(), 1);
        assert_eq!(unapplied(&c, &pair("tsak", "multiclass")).len(), 1);
    }
}
