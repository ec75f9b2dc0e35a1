//! The shareable link: an [`ExperimentConfig`] as readable `key=value` pairs in the URL fragment.
//!
//! Every config field maps to a dotted key derived from its JSON form, so a new setting appears in
//! links without a table to maintain: `seed=42`, `dataset.generator=moons`,
//! `dataset.counts.kind=ratio`, `model.hidden=16,16`, `optimizer.kind=adam`, `optimizer.lr=0.01`.
//! Keys whose value equals the default are left out, so links stay short.
//!
//! Parsing never fails as a whole: each problem is reported with the key it concerns, the valid rest
//! is applied on top of the base config, and a bad group (say `sampler.*`) leaves that part of the
//! base config as it was.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::experiment::{ExperimentConfig, CONFIG_VERSION};
use crate::resample::SamplerSpec;

/// Keys that describe a result rather than the experiment; accepted and kept, never applied.
pub const INFO_KEYS: [&str; 2] = ["made_on", "hide"];

/// One problem found in a link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkIssue {
    pub key: String,
    pub message: String,
}

impl std::fmt::Display for LinkIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "`{}`: {}", self.key, self.message)
    }
}

/// The outcome of reading a link.
#[derive(Clone, Debug, PartialEq)]
pub struct ParsedLink {
    pub config: ExperimentConfig,
    pub issues: Vec<LinkIssue>,
    /// Informational keys (`made_on`, `hide`), verbatim.
    pub info: BTreeMap<String, String>,
}

/// Largest link accepted, in bytes; longer ones are refused before any parsing.
pub const MAX_LINK_BYTES: usize = 16 * 1024;

/// The fragment (without `#`) for `config`, listing only values that differ from the default.
pub fn to_fragment(config: &ExperimentConfig, info: &BTreeMap<String, String>) -> String {
    let mut cur = BTreeMap::new();
    flatten("", &to_value(config), &mut cur);
    let mut def = BTreeMap::new();
    flatten("", &to_value(&ExperimentConfig::default()), &mut def);
    let mut parts = vec![format!("v={CONFIG_VERSION}")];
    for (k, v) in &cur {
        if k == "version" {
            continue;
        }
        // A field is written when it differs, or when its group's kind differs (so a group is complete).
        let group_changed = group_of(k)
            .map(|g| cur.get(&format!("{g}.kind")) != def.get(&format!("{g}.kind")))
            .unwrap_or(false);
        if def.get(k) != Some(v) || group_changed {
            parts.push(format!("{}={}", k, encode(v)));
        }
    }
    // An optional section starts from its defaults when a link turns it on, so a value the config
    // leaves out (an `Option` at `None`, say `multilabel.data.cardinality` with explicit rates)
    // must be written as `none`, or the reader would take the default back. Only where the value's
    // enclosing choices are the defaults' (a key of another variant does not exist here).
    let mut opt = BTreeMap::new();
    if let Value::Object(defaults) = ExperimentConfig::optional_section_defaults() {
        for (top, v) in defaults {
            if cur.keys().any(|k| k.starts_with(&format!("{top}."))) {
                flatten(&top, &v, &mut opt);
            }
        }
    }
    for (k, v) in &opt {
        if v == "none" || cur.contains_key(k) || cur.keys().any(|c| c.starts_with(&format!("{k}.")))
        {
            continue;
        }
        let same_choices = k
            .match_indices('.')
            .map(|(i, _)| format!("{}.kind", &k[..i]))
            .all(|kind| cur.get(&kind) == opt.get(&kind));
        if same_choices {
            parts.push(format!("{k}=none"));
        }
    }
    for (k, v) in info {
        parts.push(format!("{}={}", k, encode(v)));
    }
    parts.join("&")
}

/// Reads a fragment (with or without a leading `#` or `?`) on top of `base`.
pub fn parse_fragment(fragment: &str, base: &ExperimentConfig) -> ParsedLink {
    let mut out = ParsedLink {
        config: base.clone(),
        issues: Vec::new(),
        info: BTreeMap::new(),
    };
    if fragment.len() > MAX_LINK_BYTES {
        out.issues.push(LinkIssue {
            key: "(link)".into(),
            message: format!(
                "the link is {} bytes, more than the {MAX_LINK_BYTES} accepted; nothing was applied",
                fragment.len()
            ),
        });
        return out;
    }
    let body = fragment.trim_start_matches(['#', '?']);
    let mut pairs: BTreeMap<String, String> = BTreeMap::new();
    for part in body.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        let (k, v) = (decode(k), decode(v));
        if INFO_KEYS.contains(&k.as_str()) {
            out.info.insert(k, v);
            continue;
        }
        if pairs.insert(k.clone(), v).is_some() {
            out.issues.push(LinkIssue {
                key: k,
                message: "given more than once; the last value was used".into(),
            });
        }
    }
    match pairs.remove("v") {
        Some(v) if v == CONFIG_VERSION.to_string() => {}
        Some(v) => match migrate(&v, &mut pairs) {
            Ok(()) => {}
            Err(message) => out.issues.push(LinkIssue {
                key: "v".into(),
                message,
            }),
        },
        None => {}
    }
    let mut current = BTreeMap::new();
    flatten("", &to_value(base), &mut current);
    // A section the base leaves out (off) starts from its defaults when a link turns it on, so that
    // `adversarial.attack.method.steps=5` alone is PGD with 5 steps rather than a method without
    // its `kind`.
    let base_json = to_value(base);
    if let Value::Object(defaults) = ExperimentConfig::optional_section_defaults() {
        for (top, v) in defaults {
            if base_json.get(&top).is_none() {
                flatten(&top, &v, &mut current);
            }
        }
    }
    // Apply group by group: a top-level field, or a whole object like `sampler.*`.
    let mut groups: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for (k, v) in pairs {
        let top = k.split('.').next().unwrap_or("").to_string();
        groups.entry(top).or_default().push((k, v));
    }
    let template = to_value(base);
    // Sections left out of the JSON when off (adversarial training, robust evaluation) still take keys.
    let optional = ExperimentConfig::optional_sections();
    for (top, entries) in groups {
        let Some(existing) = template.get(&top).or_else(|| optional.get(&top)) else {
            for (k, _) in entries {
                out.issues.push(LinkIssue {
                    key: k,
                    message: "unknown setting; ignored".into(),
                });
            }
            continue;
        };
        apply_group(&mut out, &top, existing, &current, entries);
    }
    if let Err(e) = out.config.validate() {
        out.issues.push(LinkIssue {
            key: error_key(&e),
            message: format!("{e}; the previous settings were kept"),
        });
        out.config = base.clone();
    }
    out
}

fn error_key(e: &crate::EngineError) -> String {
    match e {
        crate::EngineError::InvalidConfig { key, .. } => key.clone(),
        _ => "(link)".into(),
    }
}

fn apply_group(
    out: &mut ParsedLink,
    top: &str,
    existing: &Value,
    current: &BTreeMap<String, String>,
    entries: Vec<(String, String)>,
) {
    // A group whose kind changes starts from nothing but the given keys (plus serde defaults);
    // otherwise from the current values.
    let kind_key = format!("{top}.kind");
    let kind_changes = entries
        .iter()
        .any(|(k, v)| k == &kind_key && current.get(k) != Some(v));
    let mut flat: BTreeMap<String, String> = if kind_changes {
        BTreeMap::new()
    } else {
        current
            .iter()
            .filter(|(k, _)| *k == top || k.starts_with(&format!("{top}.")))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    };
    let given: Vec<String> = entries.iter().map(|(k, _)| k.clone()).collect();
    // `key=none` switches an optional object off: neither its current values nor keys given under
    // it may rebuild it (those are reported as not applied below).
    let off: Vec<String> = (entries.iter())
        .filter(|(_, v)| v == "none")
        .map(|(k, _)| format!("{k}."))
        .collect();
    flat.retain(|f, _| !off.iter().any(|p| f.starts_with(p)));
    for (k, v) in entries {
        if off.iter().any(|p| k.starts_with(p)) {
            continue;
        }
        flat.insert(k, v);
    }
    let try_build = |flat: &BTreeMap<String, String>| -> Result<ExperimentConfig, String> {
        let value = unflatten(top, flat, existing);
        let mut cfg = to_value(&out.config);
        cfg[top] = value;
        serde_json::from_value::<ExperimentConfig>(cfg)
            .map_err(|e| without_old_tags(&e.to_string()))
    };
    match try_build(&flat) {
        Ok(cfg) => {
            // serde drops fields a type does not have; a misspelt key must not vanish silently.
            let mut applied = BTreeMap::new();
            flatten("", &to_value(&cfg), &mut applied);
            for k in &given {
                let prefix = format!("{k}.");
                // An optional setting set to `none` is left out of the JSON: applied, not lost
                // (a misspelt key set to `none` names nothing the config had, and is reported).
                let off = flat.get(k).is_some_and(|v| v == "none")
                    && (current.contains_key(k) || current.keys().any(|c| c.starts_with(&prefix)));
                // A top-level value given as it already is, which the JSON leaves out as the
                // default (`task=multiclass`), is applied too.
                let unchanged = k == top && current.get(k) == flat.get(k);
                if !off
                    && !unchanged
                    && !applied.contains_key(k)
                    && !applied.keys().any(|a| a.starts_with(&prefix))
                {
                    out.issues.push(LinkIssue {
                        key: k.clone(),
                        message: "not a setting of this choice; ignored".into(),
                    });
                }
            }
            out.config = cfg;
        }
        Err(whole) => {
            // Find the given keys that break the group; apply the rest if that works.
            let mut bad = Vec::new();
            for k in &given {
                let mut without = flat.clone();
                without.remove(k);
                if try_build(&without).is_ok() {
                    bad.push(k.clone());
                }
            }
            let mut kept = flat.clone();
            for k in &bad {
                kept.remove(k);
            }
            match try_build(&kept) {
                Ok(cfg) if !bad.is_empty() => {
                    out.config = cfg;
                    for k in bad {
                        let v = flat.get(&k).cloned().unwrap_or_default();
                        out.issues.push(LinkIssue {
                            key: k,
                            message: format!("`{v}` is not a valid value ({whole}); ignored"),
                        });
                    }
                }
                _ => out.issues.push(LinkIssue {
                    key: given.join(", "),
                    message: format!("{whole}; these settings were not applied"),
                }),
            }
        }
    }
}

/// Upgrades the keys of an older link version (`v=`) in place to [`CONFIG_VERSION`].
///
/// * 1 → 2: the under-samplers' `sampler.kind` long tags became the short names the CLI and
///   `SamplerSpec::name` use (`random_under_sampler` → `rus`, `tomek_links` → `tomek`, ...; see
///   [`SamplerSpec::V1_TAGS`]). Nothing else changed.
pub fn migrate(version: &str, pairs: &mut BTreeMap<String, String>) -> Result<(), String> {
    match version.parse::<u32>() {
        Ok(v) if v > CONFIG_VERSION => Err(format!(
            "this link was made by a newer version ({v}); this build reads up to {CONFIG_VERSION}. Settings it knows were applied"
        )),
        Ok(1) => {
            if let Some(kind) = pairs.get_mut("sampler.kind") {
                if let Some((_, new)) = SamplerSpec::V1_TAGS.iter().find(|(old, _)| old == kind) {
                    *kind = (*new).to_string();
                }
            }
            Ok(())
        }
        Ok(_) => Err(format!(
            "version {version} is not a version this build knows; settings it recognises were applied"
        )),
        Err(_) => Err(format!("`{version}` is not a version number")),
    }
}

/// Upgrades a config's JSON (as read from a file) from an older `version` to [`CONFIG_VERSION`],
/// the same changes [`migrate`] makes to a link. A missing `version` is taken as current.
pub fn migrate_json(value: &mut Value) -> Result<(), String> {
    let Some(version) = value.get("version").and_then(Value::as_u64) else {
        return Ok(());
    };
    if version == u64::from(CONFIG_VERSION) {
        return Ok(());
    }
    let mut pairs = BTreeMap::new();
    if let Some(kind) = value.pointer("/sampler/kind").and_then(Value::as_str) {
        pairs.insert("sampler.kind".to_string(), kind.to_string());
    }
    migrate(&version.to_string(), &mut pairs)?;
    if let Some(kind) = pairs.remove("sampler.kind") {
        if let Some(slot) = value.pointer_mut("/sampler/kind") {
            *slot = Value::String(kind);
        }
    }
    value["version"] = Value::from(CONFIG_VERSION);
    Ok(())
}

/// serde's `expected one of ...` lists the version-1 sampler tags too (they are read as aliases);
/// a message should offer only the current names.
fn without_old_tags(message: &str) -> String {
    let mut out = message.to_string();
    for (old, _) in SamplerSpec::V1_TAGS {
        out = out
            .replace(&format!("`{old}`, "), "")
            .replace(&format!(", `{old}`"), "");
    }
    out
}

fn to_value(config: &ExperimentConfig) -> Value {
    serde_json::to_value(config).unwrap_or(Value::Null)
}

fn group_of(key: &str) -> Option<&str> {
    key.split_once('.').map(|(g, _)| g)
}

/// Dotted keys for every leaf. Arrays of scalars become comma lists; `null` becomes `none`.
fn flatten(prefix: &str, v: &Value, out: &mut BTreeMap<String, String>) {
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, child, out);
            }
        }
        Value::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => {
            let parts: Vec<String> = items.iter().map(scalar_text).collect();
            out.insert(prefix.to_string(), format!("[{}]", parts.join(",")));
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                flatten(&format!("{prefix}.{i}"), child, out);
            }
        }
        other => {
            out.insert(prefix.to_string(), scalar_text(other));
        }
    }
}

fn scalar_text(v: &Value) -> String {
    match v {
        Value::Null => "none".into(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Rebuilds the JSON value of group `top` from dotted keys, reading each leaf as the type the
/// template has at that path when it has one, else by its look (number, bool, list, none, text).
fn unflatten(top: &str, flat: &BTreeMap<String, String>, template: &Value) -> Value {
    let mut root = Value::Null;
    for (k, text) in flat {
        let path: Vec<&str> = if k == top {
            Vec::new()
        } else {
            k[top.len() + 1..].split('.').collect()
        };
        let hint = path.iter().try_fold(template, |t, p| t.get(p));
        let leaf = parse_leaf(text, hint);
        insert_path(&mut root, &path, leaf);
    }
    root
}

fn insert_path(root: &mut Value, path: &[&str], leaf: Value) {
    if path.is_empty() {
        *root = leaf;
        return;
    }
    if !root.is_object() {
        *root = Value::Object(Map::new());
    }
    let obj = root.as_object_mut().expect("made an object above");
    let child = obj.entry(path[0].to_string()).or_insert(Value::Null);
    insert_path(child, &path[1..], leaf);
}

fn parse_leaf(text: &str, hint: Option<&Value>) -> Value {
    match hint {
        Some(Value::String(_)) => return Value::String(text.to_string()),
        // A list, with brackets or typed without them as people write it: `model.hidden=64,64`.
        Some(Value::Array(_)) | None
            if matches!(hint, Some(Value::Array(_)))
                || (text.starts_with('[') && text.ends_with(']')) =>
        {
            let inner = text
                .strip_prefix('[')
                .and_then(|t| t.strip_suffix(']'))
                .unwrap_or(text);
            let items = inner
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| parse_leaf(s, None))
                .collect();
            return Value::Array(items);
        }
        _ => {}
    }
    match text {
        "none" => Value::Null,
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        _ => {
            if let Ok(i) = text.parse::<u64>() {
                Value::from(i)
            } else if let Ok(i) = text.parse::<i64>() {
                Value::from(i)
            } else if let Some(n) = text
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
            {
                Value::Number(n)
            } else {
                Value::String(text.to_string())
            }
        }
    }
}

const UNRESERVED: &[u8] = b"-_.~,:[]";

/// Percent-encodes everything but letters, digits and `-_.~,:[]` (kept readable).
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || UNRESERVED.contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes `%XX` and `+`; invalid escapes are kept literally.
pub fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 3;
                    }
                    Err(_) => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optim::OptimizerSpec;

    #[test]
    fn default_config_is_a_short_link() {
        let f = to_fragment(&ExperimentConfig::default(), &BTreeMap::new());
        assert_eq!(f, format!("v={CONFIG_VERSION}"));
    }

    #[test]
    fn round_trip_of_changed_settings() {
        let mut c = ExperimentConfig {
            seed: 7,
            optimizer: OptimizerSpec::Sgd {
                lr: 0.05,
                momentum: 0.9,
                nesterov: false,
                weight_decay: 0.0,
            },
            threshold: Some(0.3),
            ..ExperimentConfig::default()
        };
        c.model.hidden = vec![32, 8];
        let f = to_fragment(&c, &BTreeMap::new());
        let p = parse_fragment(&f, &ExperimentConfig::default());
        assert!(p.issues.is_empty(), "{:?} from {f}", p.issues);
        assert_eq!(p.config, c, "{f}");
    }

    #[test]
    fn a_bad_key_is_named_and_the_rest_applied() {
        let base = ExperimentConfig::default();
        let p = parse_fragment(
            "#v=1&seed=9&optimizer.lr=banana&model.hidden=[8]&wat=1",
            &base,
        );
        assert_eq!(p.config.seed, 9);
        assert_eq!(p.config.model.hidden, vec![8]);
        assert_eq!(p.config.optimizer, base.optimizer);
        let keys: Vec<&str> = p.issues.iter().map(|i| i.key.as_str()).collect();
        assert!(keys.contains(&"optimizer.lr"), "{:?}", p.issues);
        assert!(keys.contains(&"wat"), "{:?}", p.issues);
    }

    #[test]
    fn a_misspelt_key_inside_a_known_group_is_reported() {
        let base = ExperimentConfig::default();
        let p = parse_fragment("v=1&optimizer.learning_rate=0.5&seed=3", &base);
        assert_eq!(p.config.seed, 3);
        assert_eq!(p.issues.len(), 1, "{:?}", p.issues);
        assert_eq!(p.issues[0].key, "optimizer.learning_rate");
    }

    /// A section left out of the base (adversarial training off) starts from its defaults when some
    /// of its keys are given; `none` switches it, or a nested option, off again.
    #[test]
    fn optional_sections_turn_on_from_defaults_and_off_with_none() {
        use crate::adversarial::{AdversarialTraining, AttackMethod};
        let base = ExperimentConfig::default();
        let p = parse_fragment(
            "adversarial.attack.method.steps=5&robust_eval.norm=l2",
            &base,
        );
        assert!(p.issues.is_empty(), "{:?}", p.issues);
        let adv = p.config.adversarial.clone().unwrap();
        assert_eq!(
            adv,
            AdversarialTraining {
                attack: crate::adversarial::AttackSpec {
                    method: AttackMethod::Pgd {
                        steps: 5,
                        step_size: None,
                        random_start: true
                    },
                    ..Default::default()
                },
                ..Default::default()
            }
        );
        assert_eq!(
            p.config.robust_eval.as_ref().unwrap().norm,
            crate::adversarial::Norm::L2
        );
        let on = p.config;
        let weighted = parse_fragment("adversarial.class_weights.scheme=inverse_sqrt", &on);
        assert!(weighted.issues.is_empty(), "{:?}", weighted.issues);
        let off = parse_fragment("adversarial=none&robust_eval=none", &weighted.config);
        assert!(off.issues.is_empty(), "{:?}", off.issues);
        assert_eq!(off.config, base);
        let unweighted = parse_fragment("adversarial.class_weights=none", &weighted.config);
        assert!(unweighted.issues.is_empty(), "{:?}", unweighted.issues);
        assert_eq!(unweighted.config, on);
        // `none` wins over keys given under it, which are reported.
        let both = parse_fragment("adversarial=none&adversarial.attack.epsilon=0.3", &on);
        assert_eq!(both.config.adversarial, None);
        assert_eq!(both.issues.len(), 1, "{:?}", both.issues);
        assert_eq!(both.issues[0].key, "adversarial.attack.epsilon");
        // A misspelt key set to `none` is still reported.
        let typo = parse_fragment("adversarial.class_weight=none", &weighted.config);
        assert_eq!(typo.issues.len(), 1, "{:?}", typo.issues);
        assert_eq!(typo.issues[0].key, "adversarial.class_weight");
        // The round trip of a config with both sections on still holds.
        let f = to_fragment(&weighted.config, &BTreeMap::new());
        assert_eq!(parse_fragment(&f, &base).config, weighted.config);
    }

    /// A multi-label config is `task=multilabel` plus `multilabel.*` keys; the multi-class JSON
    /// (and so its link) has neither.
    #[test]
    fn multilabel_configs_round_trip_and_multiclass_links_are_unchanged() {
        use crate::experiment::TaskKind;
        use crate::multilabel::loss::MultilabelLossSpec;
        use crate::multilabel::resample::{MlRos, MultilabelSamplerSpec};
        use crate::multilabel::{DecisionRule, MultilabelSetup};
        let base = ExperimentConfig::default();
        assert!(!to_fragment(&base, &BTreeMap::new()).contains("task"));
        assert!(!base.to_json().contains("task") && !base.to_json().contains("multilabel"));
        let mut ml = MultilabelSetup {
            loss: MultilabelLossSpec::asymmetric_default(),
            correlation_weight: 0.1,
            sampler: MultilabelSamplerSpec::MlRos(MlRos { percentage: 30.0 }),
            decision: DecisionRule::PerLabelThresholds {
                thresholds: vec![0.5, 0.4, 0.3, 0.2, 0.1],
            },
            ..Default::default()
        };
        let crate::multilabel::MultilabelDataSpec::Generator(g) = &mut ml.data;
        g.n_samples = 600;
        g.unknown_fraction = 0.2;
        let cfg = ExperimentConfig {
            task: TaskKind::Multilabel,
            multilabel: Some(ml),
            epochs: 7,
            ..Default::default()
        };
        cfg.validate().unwrap();
        let f = to_fragment(&cfg, &BTreeMap::new());
        assert!(f.contains("task=multilabel"), "{f}");
        assert!(f.contains("multilabel.loss.kind=asymmetric"), "{f}");
        assert!(
            f.contains("multilabel.decision.thresholds=[0.5,0.4,0.3,0.2,0.1]"),
            "{f}"
        );
        let p = parse_fragment(&f, &base);
        assert!(p.issues.is_empty(), "{:?}", p.issues);
        assert_eq!(p.config, cfg);
        assert_eq!(ExperimentConfig::from_json(&cfg.to_json()).unwrap(), cfg);
        // Explicit rates leave the cardinality out; the link says so (`none`), so it reads back.
        let mut explicit = cfg.clone();
        let crate::multilabel::MultilabelDataSpec::Generator(g) =
            &mut explicit.multilabel.as_mut().unwrap().data;
        g.label_frequencies = crate::multilabel::LabelFrequencies::Explicit {
            rates: vec![0.5, 0.4, 0.3, 0.2, 0.1],
        };
        g.cardinality = None;
        explicit.validate().unwrap();
        let f = to_fragment(&explicit, &BTreeMap::new());
        assert!(f.contains("multilabel.data.cardinality=none"), "{f}");
        assert!(!f.contains("rho"), "{f}");
        let p = parse_fragment(&f, &base);
        assert!(p.issues.is_empty(), "{:?}", p.issues);
        assert_eq!(p.config, explicit);
        // `task=multiclass` written out is the default, not an unknown setting.
        let plain = parse_fragment("task=multiclass&seed=3", &base);
        assert!(plain.issues.is_empty(), "{:?}", plain.issues);
        assert_eq!(plain.config.task, TaskKind::Multiclass);
        let back = parse_fragment("task=multiclass", &cfg);
        assert!(
            back.issues.iter().any(|i| i.key == "multilabel"),
            "{:?}",
            back.issues
        );
        // `task=multilabel` alone: the section's defaults.
        let short = parse_fragment(
            "task=multilabel&multilabel.decision.kind=top_k&multilabel.decision.k=2",
            &base,
        );
        assert!(short.issues.is_empty(), "{:?}", short.issues);
        assert_eq!(short.config.task, TaskKind::Multilabel);
        assert_eq!(
            short.config.multilabel_setup().decision,
            DecisionRule::TopK { k: 2 }
        );
        // A bad value is named by its key and the previous config kept.
        let bad = parse_fragment(
            "task=multilabel&multilabel.loss.kind=focal_bce&multilabel.loss.gamma=-1",
            &base,
        );
        assert_eq!(bad.config, base);
        assert_eq!(bad.issues.len(), 1, "{:?}", bad.issues);
        assert_eq!(bad.issues[0].key, "multilabel.loss.gamma");
        // A multi-class-only option with task=multilabel is refused with its key.
        let mixed = parse_fragment("task=multilabel&sampler.kind=smote", &base);
        assert_eq!(mixed.config, base);
        assert_eq!(mixed.issues[0].key, "sampler", "{:?}", mixed.issues);
        // The section without the task is refused too.
        let orphan = parse_fragment(
            "multilabel.decision.kind=top_k&multilabel.decision.k=1",
            &base,
        );
        assert_eq!(orphan.config, base);
        assert_eq!(orphan.issues[0].key, "multilabel", "{:?}", orphan.issues);
    }

    #[test]
    fn invalid_values_keep_the_previous_config() {
        let base = ExperimentConfig::default();
        let p = parse_fragment("v=1&batch_size=0", &base);
        assert_eq!(p.config, base);
        assert_eq!(p.issues[0].key, "batch_size");
    }

    #[test]
    fn hostile_input_never_panics() {
        let base = ExperimentConfig::default();
        for s in [
            "",
            "#",
            "&&&",
            "=",
            "v",
            "v=999",
            "%",
            "%zz",
            "seed=-1",
            "seed=1e400",
            "model.hidden=[1,2,3,4,5,6]",
            "dataset.counts.kind=explicit&dataset.counts.counts=[1000000000]",
            "<script>alert(1)</script>=1",
            "model=3",
            "dataset.generator.x=1",
        ] {
            let p = parse_fragment(s, &base);
            assert!(p.config.validate().is_ok(), "{s}");
        }
        let long = "a".repeat(MAX_LINK_BYTES + 1);
        assert_eq!(parse_fragment(&long, &base).config, base);
    }

    /// Links written by the version-1 build (checked with its `imlab run --link`), read by this one.
    #[test]
    fn version_1_links_are_migrated() {
        use crate::resample::{EditedNearestNeighbours, KindSel, NearMiss, RandomUnderSampler};
        let base = ExperimentConfig::default();
        let p = parse_fragment(
            "#v=1&sampler.kind=random_under_sampler&sampler.sampling_strategy=auto&sampler.replacement=false&seed=7",
            &base,
        );
        assert!(p.issues.is_empty(), "{:?}", p.issues);
        assert_eq!(
            p.config.sampler,
            SamplerSpec::RandomUnderSampler(RandomUnderSampler::default())
        );
        assert_eq!(p.config.seed, 7);
        let again = to_fragment(&p.config, &BTreeMap::new());
        assert!(again.starts_with("v=2&"), "{again}");
        assert!(again.contains("sampler.kind=rus"), "{again}");
        assert!(!again.contains("random_under_sampler"), "{again}");

        let p = parse_fragment(
            "v=1&sampler.kind=near_miss&sampler.version=2&dataset.counts.ratio=0.1",
            &base,
        );
        assert!(p.issues.is_empty(), "{:?}", p.issues);
        let SamplerSpec::NearMiss(nm) = &p.config.sampler else {
            panic!("{:?}", p.config.sampler);
        };
        assert_eq!(nm.version, 2);
        assert_eq!(p.config.sampler.name(), "nearmiss2");
        assert_eq!(NearMiss::default().version, 1);

        let p = parse_fragment(
            "v=1&sampler.kind=edited_nearest_neighbours&sampler.kind_sel=mode&sampler.n_neighbors=5",
            &base,
        );
        assert!(p.issues.is_empty(), "{:?}", p.issues);
        let SamplerSpec::EditedNearestNeighbours(e) = &p.config.sampler else {
            panic!("{:?}", p.config.sampler);
        };
        assert_eq!(e.kind_sel, KindSel::Mode);
        assert_eq!(e.n_neighbors, 5);
        assert_ne!(e, &EditedNearestNeighbours::default());

        // Over-samplers kept their tags: a v1 SMOTE link means the same in v2.
        let v1 = parse_fragment("v=1&sampler.kind=smote&sampler.k_neighbors=3", &base);
        let v2 = parse_fragment("v=2&sampler.kind=smote&sampler.k_neighbors=3", &base);
        assert!(v1.issues.is_empty() && v2.issues.is_empty());
        assert_eq!(v1.config, v2.config);
    }

    #[test]
    fn every_v1_tag_maps_to_a_known_v2_tag() {
        let names = SamplerSpec::known_names();
        for (old, new) in SamplerSpec::V1_TAGS {
            assert!(names.contains(&new), "{new} not in {names:?}");
            assert!(!names.contains(&old), "{old} still listed in {names:?}");
            let mut pairs = BTreeMap::from([("sampler.kind".to_string(), old.to_string())]);
            migrate("1", &mut pairs).expect("v1 migrates");
            assert_eq!(pairs["sampler.kind"], new);
        }
    }

    #[test]
    fn version_1_json_is_migrated() {
        let json = r#"{"version":1,"sampler":{"kind":"tomek_links","sampling_strategy":"all"}}"#;
        let c = ExperimentConfig::from_json(json).expect("a v1 config loads");
        assert_eq!(c.version, CONFIG_VERSION);
        assert_eq!(c.sampler.name(), "tomek");
        let out = serde_json::to_value(&c).expect("serializes");
        assert_eq!(out["sampler"]["kind"], "tomek");
    }

    #[test]
    fn a_bad_sampler_names_only_current_tags() {
        let p = parse_fragment("v=2&sampler.kind=nope", &ExperimentConfig::default());
        assert_eq!(p.issues.len(), 1, "{:?}", p.issues);
        let m = &p.issues[0].message;
        assert!(m.contains("`rus`") && m.contains("`smote`"), "{m}");
        assert!(
            !m.contains("random_under_sampler") && !m.contains("near_miss"),
            "{m}"
        );
    }

    #[test]
    fn a_newer_version_is_reported() {
        let p = parse_fragment("v=3&seed=5", &ExperimentConfig::default());
        assert_eq!(p.config.seed, 5);
        assert_eq!(p.issues.len(), 1);
        assert_eq!(p.issues[0].key, "v");
    }

    /// An upload's feature columns (`dataset.source.features`) survive a link, by name or position.
    #[test]
    fn uploaded_feature_columns_round_trip() {
        use crate::dataset::{content_hash, ColumnRef, DataOrigin, LabelColumn};
        let hash = content_hash(b"sepal_length,sepal_width,petal_width,species\n");
        let mut c = ExperimentConfig::default();
        c.dataset.source = DataOrigin::Uploaded {
            hash: hash.clone(),
            label_column: LabelColumn::Last,
            standardize: true,
            subsample: None,
            features: Some(vec![
                ColumnRef::Name("sepal_length".into()),
                ColumnRef::Name("petal width".into()),
                ColumnRef::Index(4),
            ]),
        };
        let f = to_fragment(&c, &BTreeMap::new());
        assert!(
            f.contains("dataset.source.features=[sepal_length,petal%20width,4]"),
            "{f}"
        );
        let p = parse_fragment(&f, &ExperimentConfig::default());
        assert!(p.issues.is_empty(), "{:?} from {f}", p.issues);
        assert_eq!(p.config, c, "{f}");

        // Typed by hand without brackets, as the docs show it; digits are a position.
        let by_hand = format!(
            "dataset.source.kind=uploaded&dataset.source.hash={hash}&dataset.source.standardize=true&dataset.source.features=sepal_length,petal%20width,4"
        );
        let p = parse_fragment(&by_hand, &ExperimentConfig::default());
        assert!(p.issues.is_empty(), "{:?}", p.issues);
        assert_eq!(p.config, c);
        let one = format!(
            "dataset.source.kind=uploaded&dataset.source.hash={hash}&dataset.source.features=2"
        );
        let p = parse_fragment(&one, &ExperimentConfig::default());
        assert!(p.issues.is_empty(), "{:?}", p.issues);
        let DataOrigin::Uploaded { features, .. } = &p.config.dataset.source else {
            panic!("{:?}", p.config.dataset.source);
        };
        assert_eq!(features, &Some(vec![ColumnRef::Index(2)]));
    }

    #[test]
    fn a_tampered_feature_list_is_named_and_not_applied() {
        let hash = crate::dataset::content_hash(b"a,b,y\n");
        let base = ExperimentConfig::default();
        for value in ["[1.5]", "[a,a]", "[]", "[true]", "[-1]"] {
            let f = format!(
                "seed=4&dataset.source.kind=uploaded&dataset.source.hash={hash}&dataset.source.features={value}"
            );
            let p = parse_fragment(&f, &base);
            assert!(
                p.issues
                    .iter()
                    .any(|i| i.key.contains("dataset.source.features")),
                "{value}: {:?}",
                p.issues
            );
            assert!(p.config.validate().is_ok(), "{value}");
            assert!(
                !matches!(
                    &p.config.dataset.source,
                    crate::dataset::DataOrigin::Uploaded { features: Some(list), .. } if list.is_empty()
                ),
                "{value}: an empty list must not be applied"
            );
        }
    }

    #[test]
    fn lists_may_be_written_with_or_without_brackets() {
        let base = ExperimentConfig::default();
        for text in [
            "model.hidden=64,32",
            "model.hidden=[64,32]",
            "model.hidden=%5B64%2C32%5D",
        ] {
            let p = parse_fragment(text, &base);
            assert!(p.issues.is_empty(), "{text}: {:?}", p.issues);
            assert_eq!(p.config.model.hidden, vec![64, 32], "{text}");
        }
        let p = parse_fragment("model.hidden=", &base);
        assert!(p.issues.is_empty(), "{:?}", p.issues);
        assert!(p.config.model.hidden.is_empty());
        let p = parse_fragment("model.hidden=64,x", &base);
        assert_eq!(p.issues.len(), 1);
        assert_eq!(p.issues[0].key, "model.hidden");
        assert_eq!(p.config.model.hidden, base.model.hidden);
    }
}
