//! Builds any [`SamplerSpec`] from a method name and `key=value` parameters, through serde, so that a
//! sampler added to the engine is usable from the command line without a change here.
//!
//! The JSON object `{"kind": NAME, key: value, ..., "sampling_strategy": S}` is deserialized into
//! `SamplerSpec`. Each value is read as the type the method's default has for that key (so a text
//! parameter that looks like a number stays text), else by its look: integer, number, `true`/`false`,
//! `none` (null), or text.

use imlab_engine::resample::SamplerSpec;
use serde_json::{Map, Value};

/// Parses `key=value`.
pub fn split_param(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.trim().to_string())),
        _ => Err(format!(
            "--param `{text}` should be key=value, e.g. --param k_neighbors=3"
        )),
    }
}

/// The method's parameters with their defaults, as JSON (without `kind`), if the method has defaults
/// for all of them.
pub fn defaults_of(method: &str) -> Option<Map<String, Value>> {
    let spec: SamplerSpec = serde_json::from_value(serde_json::json!({ "kind": method })).ok()?;
    match serde_json::to_value(spec).ok()? {
        Value::Object(mut m) => {
            m.remove("kind");
            Some(m)
        }
        _ => None,
    }
}

/// `key (default value), ...` for messages.
fn describe(defaults: &Map<String, Value>) -> String {
    if defaults.is_empty() {
        return "it takes no parameters".into();
    }
    let list: Vec<String> = defaults
        .iter()
        .map(|(k, v)| format!("{k} (default {})", text_of(v)))
        .collect();
    format!("its parameters: {}", list.join(", "))
}

fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "none".into(),
        other => other.to_string(),
    }
}

/// Reads `text` as JSON, guided by the default value's type when there is one.
pub fn parse_value(text: &str, hint: Option<&Value>) -> Value {
    if let Some(Value::String(_)) = hint {
        return Value::String(text.to_string());
    }
    match text {
        "true" => return Value::Bool(true),
        "false" => return Value::Bool(false),
        "none" | "null" => return Value::Null,
        _ => {}
    }
    if let Ok(i) = text.parse::<u64>() {
        return Value::from(i);
    }
    if let Ok(i) = text.parse::<i64>() {
        return Value::from(i);
    }
    if let Some(n) = text
        .parse::<f64>()
        .ok()
        .and_then(serde_json::Number::from_f64)
    {
        return Value::Number(n);
    }
    if text.starts_with('[') && text.ends_with(']') && matches!(hint, Some(Value::Array(_)) | None)
    {
        let inner = &text[1..text.len() - 1];
        let items = inner
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| parse_value(s, None))
            .collect();
        return Value::Array(items);
    }
    Value::String(text.to_string())
}

/// The sampler `method` with `params` (and `sampling_strategy` when `strategy` is given), validated.
pub fn build_sampler(
    method: &str,
    params: &[(String, String)],
    strategy: Option<&str>,
) -> Result<SamplerSpec, String> {
    let known = SamplerSpec::known_names();
    if !known.contains(&method) {
        return Err(format!(
            "unknown method `{method}`; known methods: {}",
            known.join(", ")
        ));
    }
    let defaults = defaults_of(method);
    let mut obj = Map::new();
    obj.insert("kind".into(), Value::String(method.into()));
    let mut given: Vec<(String, String)> = params.to_vec();
    if let Some(s) = strategy {
        given.push(("sampling_strategy".into(), s.to_string()));
    }
    for (k, v) in &given {
        if k == "kind" {
            return Err("give the method with --method, not as --param kind=...".into());
        }
        // The strategy is always text (`0.5`, `auto`, `0:100,1:50`, `[1,2]`), whatever the defaults say.
        let value = if k == "sampling_strategy" {
            Value::String(v.clone())
        } else {
            parse_value(v, defaults.as_ref().and_then(|d| d.get(k)))
        };
        if obj.insert(k.clone(), value).is_some() {
            return Err(format!("parameter `{k}` is given more than once"));
        }
    }
    let help = defaults.as_ref().map(describe).unwrap_or_default();
    let spec: SamplerSpec = serde_json::from_value(Value::Object(obj))
        .map_err(|e| format!("method `{method}`: {e}; {help}"))?;
    // A key that does not come back when the spec is written out was ignored by serde: report it
    // rather than run something other than what was asked.
    let written = serde_json::to_value(&spec).map_err(|e| e.to_string())?;
    for (k, _) in &given {
        if written.get(k).is_none() {
            let what = if k == "sampling_strategy" {
                "does not take a sampling strategy (--strategy)".to_string()
            } else {
                format!("has no parameter `{k}`")
            };
            return Err(format!("method `{method}` {what}; {help}"));
        }
    }
    spec.validate()
        .map_err(|e| format!("method `{method}`: {e}"))?;
    Ok(spec)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_follow_the_default_type_then_their_look() {
        let s = Value::String(String::new());
        assert_eq!(parse_value("3", Some(&s)), Value::String("3".into()));
        assert_eq!(parse_value("3", None), Value::from(3u64));
        assert_eq!(parse_value("-3", None), Value::from(-3i64));
        assert_eq!(parse_value("0.5", None), serde_json::json!(0.5));
        assert_eq!(parse_value("true", None), Value::Bool(true));
        assert_eq!(parse_value("none", None), Value::Null);
        assert_eq!(parse_value("auto", None), Value::String("auto".into()));
        assert_eq!(
            parse_value("[1,2]", Some(&serde_json::json!([0]))),
            serde_json::json!([1, 2])
        );
    }

    #[test]
    fn none_builds_and_rejects_what_it_does_not_take() {
        assert_eq!(build_sampler("none", &[], None), Ok(SamplerSpec::None));
        let e = build_sampler("none", &[("k".into(), "3".into())], None).unwrap_err();
        assert!(e.contains("has no parameter `k`"), "{e}");
        let e = build_sampler("none", &[], Some("auto")).unwrap_err();
        assert!(e.contains("sampling strategy"), "{e}");
        let e = build_sampler("smote-ish", &[], None).unwrap_err();
        assert!(e.contains("known methods: none"), "{e}");
    }

    #[test]
    fn params_must_be_key_value() {
        assert!(split_param("k=3").is_ok());
        assert!(split_param("k").is_err());
        assert!(split_param("=3").is_err());
    }
}
