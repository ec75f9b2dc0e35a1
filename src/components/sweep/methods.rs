//! The methods a sweep or an A/B comparison can choose from, read from the engine's catalogs so a
//! new sampler or loss appears here without editing this file. Each is written as `imlab sweep
//! --methods` reads it (`baseline`, a sampler name, a loss name), so a browser sweep and the CLI
//! label their rows the same.

use imlab_engine::loss::LossSpec;
use imlab_engine::resample::SamplerSpec;
use imlab_engine::tag_names::tag_names;

/// Sampler names as links and `--methods` spell them (the serde `kind`, e.g. `rus`; old long
/// aliases such as `random_under_sampler` are left out), in the catalog's order.
pub fn samplers() -> Vec<&'static str> {
    let known = SamplerSpec::known_names();
    SamplerSpec::catalog()
        .iter()
        .filter_map(|spec| {
            let value = serde_json::to_value(spec).ok()?;
            let kind = value.get("kind")?.as_str()?;
            known.iter().copied().find(|k| *k == kind)
        })
        .collect()
}

/// Loss names, without serde aliases (`cross_entropy` is `ce`): a name is kept when a loss built
/// from it is written back under the same name.
pub fn losses() -> Vec<&'static str> {
    tag_names::<LossSpec>("kind")
        .into_iter()
        .filter(|&name| {
            serde_json::from_value::<LossSpec>(serde_json::json!({ "kind": name }))
                .ok()
                .and_then(|spec| serde_json::to_value(spec).ok())
                .is_some_and(|v| v.get("kind").and_then(|k| k.as_str()) == Some(name))
        })
        .collect()
}

/// Every method, grouped: (group title, method names).
pub fn groups() -> Vec<(&'static str, Vec<&'static str>)> {
    vec![
        ("Baseline", vec!["baseline"]),
        ("Samplers", samplers()),
        ("Losses", losses()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use imlab_engine::sweep::grid::parse_method;

    #[test]
    fn every_listed_method_is_one_the_cli_reads() {
        let all: Vec<&str> = groups().into_iter().flat_map(|(_, m)| m).collect();
        assert!(all.contains(&"ros") && all.contains(&"focal") && all.contains(&"ce"));
        assert!(
            all.contains(&"rus") && !all.contains(&"random_under_sampler"),
            "{all:?}"
        );
        assert_eq!(samplers().len(), SamplerSpec::catalog().len());
        assert!(!all.contains(&"cross_entropy"));
        for m in all {
            let parsed = parse_method(m).unwrap_or_else(|e| panic!("{m}: {e}"));
            assert_eq!(parsed.label, m);
        }
    }
}
