//! The setup panel edits the config as JSON (`serde_json::Value`) and lets the engine's serde types
//! decide what is valid: a menu's choices are the names serde accepts, a new method starts from the
//! defaults serde fills in, and every edit is read back into an `ExperimentConfig` before it is
//! applied. Nothing here knows a method by name, so a method added to the engine appears in the
//! panel by itself. Pure functions, tested natively.

use imlab_engine::ExperimentConfig;
use serde_json::{Map, Value};

/// A location inside the config's JSON, e.g. `["sampler", "k_neighbors"]`.
pub type Path = Vec<String>;

pub fn path(parts: &[&str]) -> Path {
    parts.iter().map(|p| (*p).to_string()).collect()
}

/// The config as JSON (serialization of a config cannot fail; `Null` if it ever did).
pub fn to_value(config: &ExperimentConfig) -> Value {
    serde_json::to_value(config).unwrap_or(Value::Null)
}

pub fn get<'a>(root: &'a Value, path: &[String]) -> Option<&'a Value> {
    path.iter().try_fold(root, |v, p| v.get(p.as_str()))
}

/// Sets the value at `path`, creating objects on the way.
pub fn set(root: &mut Value, path: &[String], value: Value) {
    let Some((last, parents)) = path.split_last() else {
        *root = value;
        return;
    };
    let mut cur = root;
    for p in parents {
        if !cur.is_object() {
            *cur = Value::Object(Map::new());
        }
        let Some(obj) = cur.as_object_mut() else {
            return;
        };
        cur = obj.entry(p.clone()).or_insert(Value::Null);
    }
    if !cur.is_object() {
        *cur = Value::Object(Map::new());
    }
    if let Some(obj) = cur.as_object_mut() {
        obj.insert(last.clone(), value);
    }
}

/// Reads a config back, naming what serde refused.
pub fn parse(root: &Value) -> Result<ExperimentConfig, String> {
    serde_json::from_value::<ExperimentConfig>(root.clone()).map_err(|e| e.to_string())
}

/// The tag field of a tagged object (`kind`, or `scheme` for class weights), if it is one.
pub fn tag_key(v: &Value) -> Option<&'static str> {
    ["kind", "scheme"]
        .into_iter()
        .find(|k| v.get(*k).is_some_and(Value::is_string))
}

/// The names serde accepts for the text at `path` (an enum), in declaration order, without the
/// aliases kept for reading old links; empty when the text is free (not an enum).
///
/// Found by writing a name no enum has and reading the list from serde's `unknown variant` error.
pub fn choices(root: &Value, path: &[String]) -> Vec<String> {
    let mut probe = root.clone();
    set(&mut probe, path, Value::String("\u{1}probe".into()));
    let Err(e) = serde_json::from_value::<ExperimentConfig>(probe) else {
        return Vec::new();
    };
    let msg = e.to_string();
    let Some(at) = msg.find("unknown variant") else {
        return Vec::new();
    };
    let Some(expected) = msg[at..].find("expected").map(|i| &msg[at + i..]) else {
        return Vec::new();
    };
    let names: Vec<String> = expected
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect();
    names
        .into_iter()
        .filter(|n| !is_alias(root, path, n))
        .collect()
}

/// Whether `name` is read but written back as another name (an alias). A variant written as
/// nothing at all (the default of a skipped field, like no label noise) is not an alias.
fn is_alias(root: &Value, path: &[String], name: &str) -> bool {
    let is_tag = path.last().is_some_and(|l| l == "kind" || l == "scheme");
    let mut probe = root.clone();
    if is_tag {
        let parent = &path[..path.len() - 1];
        let mut obj = Map::new();
        obj.insert(path[path.len() - 1].clone(), Value::String(name.into()));
        set(&mut probe, parent, Value::Object(obj));
    } else {
        set(&mut probe, path, Value::String(name.into()));
    }
    match parse(&probe) {
        Ok(cfg) => match get(&to_value(&cfg), path) {
            Some(Value::String(written)) => written != name,
            _ => false,
        },
        Err(_) => false,
    }
}

/// Parameters carried from one variant to the next: an optimizer's learning rate, a profile's
/// number of classes.
const CARRIED: [&str; 2] = ["lr", "classes"];

/// The object at `object_path` switched to variant `tag` (under `key`, e.g. `kind`): the engine's
/// defaults for it, or `fallback` when the variant has required parameters. Settings that mean the
/// same in every variant ([`CARRIED`]) keep their values.
pub fn switch_variant(
    root: &Value,
    object_path: &[String],
    key: &str,
    tag: &str,
    fallback: Option<Value>,
) -> Value {
    let mut bare = Map::new();
    bare.insert(key.to_string(), Value::String(tag.into()));
    let mut probe = root.clone();
    set(&mut probe, object_path, Value::Object(bare.clone()));
    let mut fresh = match parse(&probe) {
        Ok(cfg) => get(&to_value(&cfg), object_path)
            .cloned()
            .unwrap_or(Value::Object(bare)),
        Err(_) => fallback.unwrap_or(Value::Object(bare)),
    };
    for key in CARRIED {
        if let (Some(old), Some(slot)) = (
            get(root, object_path).and_then(|o| o.get(key)).cloned(),
            fresh.get_mut(key),
        ) {
            if std::mem::discriminant(&old) == std::mem::discriminant(slot) {
                *slot = old;
            }
        }
    }
    let mut out = root.clone();
    set(&mut out, object_path, fresh);
    out
}

/// Reads what the user typed into a field whose current value is `current`, as the same JSON type:
/// integers stay integers, a list stays a list (`16,16` or `[16,16]`), an empty optional is `null`.
pub fn read_input(text: &str, current: &Value) -> Result<Value, String> {
    let t = text.trim();
    let number = |s: &str, integer: bool| -> Result<Value, String> {
        if integer {
            s.parse::<u64>()
                .map(Value::from)
                .map_err(|_| format!("`{s}` is not a whole number ≥ 0"))
        } else {
            s.parse::<f64>()
                .ok()
                .filter(|f| f.is_finite())
                .and_then(serde_json::Number::from_f64)
                .map(Value::Number)
                .ok_or_else(|| format!("`{s}` is not a number"))
        }
    };
    match current {
        Value::Bool(_) => match t {
            "true" | "on" => Ok(Value::Bool(true)),
            "false" | "off" | "" => Ok(Value::Bool(false)),
            _ => Err(format!("`{t}` is not true or false")),
        },
        Value::Number(n) => number(t, n.is_u64() && !t.contains(['.', 'e', 'E'])),
        // A list of names (an upload's feature columns): digits are a 0-based position, as in a link.
        Value::Array(items) if items.iter().any(Value::is_string) => Ok(Value::Array(
            t.trim_start_matches('[')
                .trim_end_matches(']')
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| {
                    s.parse::<u64>()
                        .map_or_else(|_| Value::String(s.to_string()), Value::from)
                })
                .collect(),
        )),
        Value::Array(items) => {
            let integer = items.iter().all(Value::is_u64);
            t.trim_start_matches('[')
                .trim_end_matches(']')
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| number(s, integer && !s.contains(['.', 'e', 'E'])))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array)
        }
        Value::Null => {
            if t.is_empty() || t == "none" {
                Ok(Value::Null)
            } else {
                number(t, false)
            }
        }
        _ => Ok(Value::String(t.to_string())),
    }
}

/// How a value is shown in a text field (the inverse of [`read_input`]).
pub fn show(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items
            .iter()
            .map(|i| match i {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect::<Vec<_>>()
            .join(","),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use imlab_engine::resample::SamplerSpec;

    fn root() -> Value {
        to_value(&ExperimentConfig::default())
    }

    #[test]
    fn menus_list_what_serde_accepts_without_aliases() {
        let r = root();
        let samplers = choices(&r, &path(&["sampler", "kind"]));
        assert_eq!(samplers, SamplerSpec::known_names());
        assert!(samplers.contains(&"rus".to_string()));
        assert!(!samplers.contains(&"random_under_sampler".to_string()));
        let losses = choices(&r, &path(&["loss", "kind"]));
        assert!(losses.contains(&"focal".to_string()), "{losses:?}");
        assert!(!losses.contains(&"cross_entropy".to_string()), "{losses:?}");
        let acts = choices(&r, &path(&["model", "activation"]));
        assert_eq!(acts, ["relu", "tanh", "gelu", "sigmoid"]);
        assert!(choices(&r, &path(&["sampler", "sampling_strategy"])).is_empty());
        assert!(choices(&r, &path(&["dataset", "generator"])).contains(&"spiral".to_string()));
        // Variants that serialize to nothing (skipped defaults) are still offered.
        let mut with_source = r.clone();
        set(
            &mut with_source,
            &path(&["dataset", "source"]),
            serde_json::json!({"kind": "generated"}),
        );
        let sources = choices(&with_source, &path(&["dataset", "source", "kind"]));
        assert!(sources.contains(&"generated".to_string()), "{sources:?}");
        assert!(sources.contains(&"bundled".to_string()), "{sources:?}");
        let mut with_noise = r.clone();
        set(
            &mut with_noise,
            &path(&["dataset", "label_noise"]),
            serde_json::json!({"kind": "none"}),
        );
        let noise = choices(&with_noise, &path(&["dataset", "label_noise", "kind"]));
        assert_eq!(noise, ["none", "uniform", "toward_majority"]);
    }

    #[test]
    fn switching_a_method_fills_in_its_defaults() {
        let r = root();
        let v = switch_variant(&r, &path(&["sampler"]), "kind", "smote", None);
        let cfg = parse(&v).expect("smote defaults deserialize");
        assert_eq!(cfg.sampler.name(), "smote");
        assert!(get(&v, &path(&["sampler", "k_neighbors"])).is_some());
        // SGD has no serde defaults: the fallback is used, the learning rate carried over.
        let sgd =
            serde_json::json!({"kind": "sgd", "lr": 0.1, "momentum": 0.9, "weight_decay": 0.0});
        let v = switch_variant(&r, &path(&["optimizer"]), "kind", "sgd", Some(sgd));
        let cfg = parse(&v).expect("sgd");
        let lr = get(
            &to_value(&ExperimentConfig::default()),
            &path(&["optimizer", "lr"]),
        )
        .cloned();
        assert_eq!(get(&v, &path(&["optimizer", "lr"])).cloned(), lr);
        assert!(matches!(
            cfg.optimizer,
            imlab_engine::optim::OptimizerSpec::Sgd { .. }
        ));
    }

    #[test]
    fn inputs_keep_their_types() {
        assert_eq!(read_input("12", &Value::from(3u64)), Ok(Value::from(12u64)));
        assert!(read_input("-1", &Value::from(3u64)).is_err());
        assert!(read_input("abc", &serde_json::json!(0.5)).is_err());
        assert_eq!(
            read_input("0.25", &serde_json::json!(0.5)),
            Ok(serde_json::json!(0.25))
        );
        assert_eq!(
            read_input("8, 4", &serde_json::json!([16, 16])),
            Ok(serde_json::json!([8, 4]))
        );
        assert_eq!(
            read_input("", &serde_json::json!([16])),
            Ok(serde_json::json!([]))
        );
        assert_eq!(read_input("", &Value::Null), Ok(Value::Null));
        assert_eq!(read_input("0.3", &Value::Null), Ok(serde_json::json!(0.3)));
        assert_eq!(show(&serde_json::json!([16, 16])), "16,16");
        // An upload's feature columns: names, or digits for a position.
        let names = serde_json::json!(["height", "score"]);
        assert_eq!(show(&names), "height,score");
        assert_eq!(
            read_input("height, age,3", &names),
            Ok(serde_json::json!(["height", "age", 3]))
        );
        let mut r = root();
        set(&mut r, &path(&["model", "hidden"]), serde_json::json!([4]));
        assert_eq!(parse(&r).expect("valid").model.hidden, vec![4]);
        set(&mut r, &path(&["model", "hidden"]), serde_json::json!("x"));
        assert!(parse(&r).is_err(), "hidden is a list");
    }
}
