//! Generic controls over the config's JSON: a menu for a tagged method (with its explanation and
//! paper), and one input per parameter, typed after the parameter's current JSON value. The section
//! files choose which parts of the config they show; this file knows no method by name.

use leptos::prelude::*;
use serde_json::{json, Value};

use super::defaults;
use super::edit::{self, Path};
use super::SetupCtx;
use crate::catalog::{self, params, Entry};

/// `field-sampler-k-neighbors` for `sampler.k_neighbors`: the data-testid of a control.
pub fn test_id(path: &[String]) -> String {
    format!("field-{}", path.join("-").replace('_', "-"))
}

fn dom_id(path: &[String]) -> String {
    format!("setup-{}", path.join("-"))
}

/// `k_neighbors` → `K neighbors`; a few names read better spelt out.
fn humanize(name: &str) -> String {
    let spelt = match name {
        "hidden" => Some("Hidden layers"),
        "test_fraction" => Some("Test fraction"),
        "n_max" => Some("Largest class (n_max)"),
        "rho" => Some("Imbalance factor ρ"),
        "mu" => Some("Minority share μ"),
        "lr" => Some("Learning rate"),
        "tau" => Some("τ"),
        "gamma" => Some("γ"),
        "epsilon" => Some("ε"),
        _ => None,
    };
    if let Some(s) = spelt {
        return s.to_string();
    }
    let s = name.replace('_', " ");
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => s,
    }
}

/// The catalog used for the choice at `path`: the multi-label one under `multilabel.`, else by
/// the field that holds it.
fn catalog_at(path: &[String]) -> &'static [Entry] {
    let field = path.last().map(String::as_str).unwrap_or("");
    if path.first().is_some_and(|p| p == "multilabel") {
        return match field {
            "loss" => catalog::multilabel::LOSSES,
            "sampler" => catalog::multilabel::SAMPLERS,
            "label_frequencies" => catalog::multilabel::LABEL_FREQUENCIES,
            _ => &[],
        };
    }
    catalog_for(field)
}

/// The catalog used for a nested choice, by the field that holds it.
fn catalog_for(field: &str) -> &'static [Entry] {
    match field {
        "sampler" => catalog::samplers::SAMPLERS,
        "loss" => catalog::losses::LOSSES,
        "weights" | "class_weights" => catalog::training::CLASS_WEIGHTS,
        "head" => catalog::models::HEADS,
        "activation" => catalog::models::ACTIVATIONS,
        "counts" | "subsample" => catalog::datasets::PROFILES,
        "label_noise" => catalog::datasets::LABEL_NOISE,
        "source" => catalog::datasets::SOURCES,
        "generator" => catalog::datasets::GENERATORS,
        "optimizer" => catalog::training::OPTIMIZERS,
        "lr" => catalog::training::LR_SCHEDULES,
        // Both the second stage's `method` and an attack's `method` are called so.
        "method" => METHODS.as_slice(),
        _ => &[],
    }
}

static METHODS: std::sync::LazyLock<Vec<Entry>> = std::sync::LazyLock::new(|| {
    (catalog::training::SECOND_STAGES.iter())
        .chain(catalog::robustness::ATTACKS)
        .copied()
        .collect()
});

/// The explanation and the paper link of a catalog entry.
pub fn about_view(e: Entry) -> AnyView {
    let link = e.source.map(|s| {
        view! {
            " "
            <a href=s.url target="_blank" rel="noopener" class="paper" title=format!("Source: {}", s.cite)>
                {s.cite}
            </a>
        }
    });
    view! { <p class="about">{e.about}{link}</p> }.into_any()
}

/// A menu choosing the variant of the tagged object at `obj_path`, then its parameters.
/// `absent` is the variant meant when the object is left out of the JSON (e.g. no label noise).
pub fn variant(
    ctx: SetupCtx,
    root: &Value,
    obj_path: Path,
    label: &'static str,
    absent: Option<&'static str>,
) -> AnyView {
    let field = obj_path.last().cloned().unwrap_or_default();
    let fallback = {
        let field = field.clone();
        move |tag: &str| defaults::for_variant(&field, tag)
    };
    let entries = catalog_at(&obj_path);
    let obj = edit::get(root, &obj_path).filter(|v| v.is_object());
    let key = obj.and_then(edit::tag_key).unwrap_or("kind");
    let current = obj
        .and_then(|o| o.get(key))
        .and_then(Value::as_str)
        .or(absent)
        .unwrap_or("")
        .to_string();
    let mut probe_root = root.clone();
    if obj.is_none() {
        edit::set(&mut probe_root, &obj_path, json!({ key: current }));
    }
    let mut tag_path = obj_path.clone();
    tag_path.push(key.to_string());
    // Only variants that can be built from defaults (an uploaded file needs its bytes: not here).
    let tags: Vec<String> = edit::choices(&probe_root, &tag_path)
        .into_iter()
        .filter(|t| {
            *t == current
                || edit::parse(&edit::switch_variant(
                    &probe_root,
                    &obj_path,
                    key,
                    t,
                    fallback(t),
                ))
                .is_ok()
        })
        .collect();
    let id = dom_id(&tag_path);
    let tid = test_id(&tag_path);
    let options = tags
        .iter()
        .map(|t| {
            let e = catalog::find(entries, t);
            let text = if e.label.is_empty() {
                humanize(t)
            } else {
                e.label.to_string()
            };
            view! { <option value=t.clone() selected=*t == current>{text}</option> }
        })
        .collect_view();
    let root_for_change = probe_root.clone();
    let path_for_change = obj_path.clone();
    let fallback_for_change = fallback.clone();
    let on_change = move |ev: leptos::ev::Event| {
        let tag = event_target_value(&ev);
        let next = edit::switch_variant(
            &root_for_change,
            &path_for_change,
            key,
            &tag,
            fallback_for_change(&tag),
        );
        ctx.commit(next);
    };
    let chosen = catalog::find(entries, &current);
    let about = (!chosen.about.is_empty()).then(|| about_view(chosen));
    let method = current.clone();
    let params = obj
        .map(|_| fields(ctx, root, &obj_path, &method, &[key]))
        .unwrap_or_else(|| ().into_any());
    view! {
        <div class="variant">
            <label for=id.clone() class="control-label">{label}</label>
            <select id=id data-testid=tid prop:value=current.clone() on:change=on_change>
                {options}
            </select>
            {about}
            <div class="params">{params}</div>
        </div>
    }
    .into_any()
}

/// Every parameter of the object at `obj_path` except `skip` (its tag): nested methods as menus,
/// nested groups indented, values as inputs.
pub fn fields(
    ctx: SetupCtx,
    root: &Value,
    obj_path: &[String],
    method: &str,
    skip: &[&str],
) -> AnyView {
    let Some(obj) = edit::get(root, obj_path).and_then(Value::as_object) else {
        return ().into_any();
    };
    obj.iter()
        .filter(|(k, _)| !skip.contains(&k.as_str()))
        .map(|(k, v)| {
            let mut p = obj_path.to_vec();
            p.push(k.clone());
            match v {
                Value::Object(_) if edit::tag_key(v).is_some() => {
                    variant(ctx, root, p, field_label(k), None)
                }
                Value::Object(_) => view! {
                    <fieldset class="group">
                        <legend>{humanize(k)}</legend>
                        {fields(ctx, root, &p, method, &[])}
                    </fieldset>
                }
                .into_any(),
                Value::Array(items) if items.iter().any(|i| i.is_object() || i.is_array()) => {
                    ().into_any()
                }
                _ => leaf(ctx, root, p, method),
            }
        })
        .collect_view()
        .into_any()
}

fn field_label(k: &str) -> &'static str {
    match k {
        "weights" => "Class weights",
        "head" => "Output head",
        "counts" => "Class sizes",
        "subsample" => "Subsample",
        "label_noise" => "Label noise",
        "lr" => "Learning-rate schedule",
        "method" => "Attack",
        "label_frequencies" => "Label frequencies",
        "class_weights" => "Class weights (adversarial term)",
        "pos_weight" => "Positive weights",
        _ => "Choice",
    }
}

/// One input for the value at `path`, typed after its JSON value.
pub fn leaf(ctx: SetupCtx, root: &Value, path: Path, method: &str) -> AnyView {
    let current = edit::get(root, &path).cloned().unwrap_or(Value::Null);
    let name = path.last().cloned().unwrap_or_default();
    let id = dom_id(&path);
    let tid = test_id(&path);
    let help = params::about(method, &name);
    let label = humanize(&name);
    let root = root.clone();
    let help_view = (!help.is_empty()).then(|| view! { <p class="help">{help}</p> });
    let input = match &current {
        Value::Bool(b) => {
            let (root, path) = (root.clone(), path.clone());
            view! {
                <input id=id.clone() type="checkbox" data-testid=tid prop:checked=*b
                    on:change=move |ev| {
                        let mut next = root.clone();
                        edit::set(&mut next, &path, Value::Bool(event_target_checked(&ev)));
                        ctx.commit(next);
                    }
                />
            }
            .into_any()
        }
        Value::String(s) => {
            let options = edit::choices(&root, &path);
            let entries = catalog_at(&path);
            let (root, path) = (root.clone(), path.clone());
            let commit = move |text: String| {
                let mut next = root.clone();
                edit::set(&mut next, &path, Value::String(text));
                ctx.commit(next);
            };
            if options.is_empty() {
                let list = (name == "sampling_strategy").then_some("sampling-strategies");
                view! {
                    <input id=id.clone() type="text" data-testid=tid prop:value=s.clone() list=list
                        on:change=move |ev| commit(event_target_value(&ev))
                    />
                }
                .into_any()
            } else {
                let opts = options
                    .iter()
                    .map(|o| {
                        let e = catalog::find(entries, o);
                        let text = if e.label.is_empty() {
                            humanize(o)
                        } else {
                            e.label.to_string()
                        };
                        view! { <option value=o.clone() selected=o == s>{text}</option> }
                    })
                    .collect_view();
                let chosen = catalog::find(entries, s);
                let about = (!chosen.about.is_empty()).then(|| about_view(chosen));
                view! {
                    <select id=id.clone() data-testid=tid prop:value=s.clone()
                        on:change=move |ev| commit(event_target_value(&ev))
                    >
                        {opts}
                    </select>
                    {about}
                }
                .into_any()
            }
        }
        other => {
            let shown = edit::show(other);
            let placeholder = if other.is_null() { "none" } else { "" };
            let kind = if other.is_number() { "number" } else { "text" };
            // An upload's feature columns are names or positions even when every one listed is a
            // position: read them as a list of names (digits stay positions).
            let cur = if name == "features" && other.is_array() {
                json!([""])
            } else {
                other.clone()
            };
            let (root, path) = (root.clone(), path.clone());
            view! {
                <input id=id.clone() type=kind step="any" data-testid=tid prop:value=shown placeholder=placeholder
                    on:change=move |ev| {
                        match edit::read_input(&event_target_value(&ev), &cur) {
                            Ok(v) => {
                                let mut next = root.clone();
                                edit::set(&mut next, &path, v);
                                ctx.commit(next);
                            }
                            Err(message) => ctx.refuse(message),
                        }
                    }
                />
            }
            .into_any()
        }
    };
    view! {
        <div class="leaf" title=help>
            <label for=id class="control-label">{label}</label>
            {input}
            {help_view}
        </div>
    }
    .into_any()
}

/// A switch for an optional group (`null` when off), then its parameters when on.
pub fn optional(
    ctx: SetupCtx,
    root: &Value,
    path: Path,
    entry: Entry,
    method: &'static str,
) -> AnyView {
    let on = edit::get(root, &path).is_some_and(Value::is_object);
    let id = dom_id(&path);
    let tid = test_id(&path);
    let (r, p) = (root.clone(), path.clone());
    let toggle = move |ev: leptos::ev::Event| {
        let mut next = r.clone();
        if event_target_checked(&ev) {
            // `{}` takes every serde default of the group; the engine writes them back in full.
            edit::set(&mut next, &p, json!({}));
            if let Ok(cfg) = edit::parse(&next) {
                next = edit::to_value(&cfg);
            }
        } else {
            edit::set(&mut next, &p, Value::Null);
        }
        ctx.commit(next);
    };
    let params = on.then(|| fields(ctx, root, &path, method, &[]));
    view! {
        <div class="optional">
            <label class="control-label check">
                <input id=id type="checkbox" data-testid=tid prop:checked=on on:change=toggle/>
                {entry.label}
            </label>
            {about_view(entry)}
            <div class="params">{params}</div>
        </div>
    }
    .into_any()
}
