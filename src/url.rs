//! The experiment in the page's URL. On start the fragment is read with
//! `imlab_engine::link::parse_fragment` over the default config: every problem is listed by key (as
//! text) and the valid rest applied. After every applied change the fragment is rewritten with
//! `link::to_fragment` through `history.replaceState` (no reload, no history entry per change).
//!
//! Informational keys: `made_on=<backend>` records which backend made the result (written by the
//! app), and `hide=a,b` hides controls for a cleaner embed or lecture. Names `hide` accepts:
//! [`HIDE_NAMES`] — `setup` (the whole Setup panel), its sections `task`, `data`, `sampler`, `loss`,
//! `model`, `training`, the header's `presets`, `share`, `theme`, `presentation`, `edit` (the
//! point-editing bar under the plot), the Setup section `robustness`, and the panels `features` (feature space), `collapse`
//! (neural-collapse curves), `disparity` (clean vs robust recall per class) and `eps-curves`
//! (recall per class vs ε).

use std::collections::BTreeMap;

use imlab_engine::link::{parse_fragment, to_fragment, LinkIssue};
use imlab_engine::ExperimentConfig;
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::runner::Controller;

/// Everything `hide=` accepts.
pub const HIDE_NAMES: [&str; 17] = [
    "setup",
    "task",
    "data",
    "sampler",
    "loss",
    "model",
    "training",
    "presets",
    "share",
    "theme",
    "presentation",
    "edit",
    "features",
    "collapse",
    "robustness",
    "disparity",
    "eps-curves",
];

/// What the page keeps from its link.
#[derive(Clone, Copy)]
pub struct LinkState {
    /// Controls hidden by `hide=`.
    pub hidden: RwSignal<Vec<String>>,
    /// Problems found in the link the page was opened with (or, for a bare address, in the saved
    /// session it restored: see `saved_session`).
    pub issues: RwSignal<Vec<LinkIssue>>,
    /// Whether `issues` are the saved session's rather than a link's.
    pub saved_session: RwSignal<bool>,
    /// Info keys to keep writing back (`hide`); `made_on` is refreshed from the backend.
    info: RwSignal<BTreeMap<String, String>>,
}

impl LinkState {
    pub fn is_hidden(&self, name: &str) -> bool {
        self.hidden.with(|h| h.iter().any(|x| x == name))
    }
}

/// Reads `fragment` (from the address bar): the config to start with and what to tell the user.
pub fn read_fragment(
    fragment: &str,
) -> (
    ExperimentConfig,
    Vec<LinkIssue>,
    Vec<String>,
    BTreeMap<String, String>,
) {
    let parsed = parse_fragment(fragment, &ExperimentConfig::default());
    let mut issues = parsed.issues;
    let mut info = parsed.info;
    info.remove("made_on");
    let mut hidden = Vec::new();
    if let Some(list) = info.get("hide") {
        for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            if HIDE_NAMES.contains(&name) {
                hidden.push(name.to_string());
            } else {
                issues.push(LinkIssue {
                    key: "hide".into(),
                    message: format!(
                        "`{name}` is not a control that can be hidden; use any of {}",
                        HIDE_NAMES.join(", ")
                    ),
                });
            }
        }
    }
    (parsed.config, issues, hidden, info)
}

/// Reads the address bar's fragment. Call before building the controller.
pub fn read() -> (LinkState, ExperimentConfig) {
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    let (config, issues, hidden, info) = read_fragment(&hash);
    let state = LinkState {
        hidden: RwSignal::new(hidden),
        issues: RwSignal::new(issues),
        saved_session: RwSignal::new(false),
        info: RwSignal::new(info),
    };
    (state, config)
}

/// The fragment for the running experiment, with `made_on` once the backend is known.
fn fragment_now(ctl: Controller, link: LinkState) -> String {
    let config = ctl.ui.config.get();
    let backend = if ctl.ui.ml.with(Option::is_some) {
        "CPU".to_string()
    } else {
        ctl.ui.backend.with(|b| b.label.clone())
    };
    let mut info = link.info.get();
    if !backend.ends_with('…') {
        info.insert("made_on".into(), backend);
    }
    to_fragment(&config, &info)
}

/// Rewrites the fragment whenever the experiment or its backend changes.
pub fn keep_in_sync(ctl: Controller, link: LinkState) {
    Effect::new(move |_| {
        let fragment = format!("#{}", fragment_now(ctl, link));
        let Some(window) = web_sys::window() else {
            return;
        };
        if window.location().hash().ok().as_deref() == Some(fragment.as_str()) {
            return;
        }
        if let Ok(history) = window.history() {
            // Fails only for cross-origin URLs, which a fragment never is.
            let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&fragment));
        }
    });
}

/// The page's address, fragment included: the link to share.
pub fn current_url() -> Option<String> {
    web_sys::window().and_then(|w| w.location().href().ok())
}

/// Copies `text` with `navigator.clipboard.writeText`; `Err` where the browser has no clipboard
/// access (insecure origin, permission refused), so the caller can show the text instead.
pub async fn copy_to_clipboard(text: &str) -> Result<(), JsValue> {
    let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
    let clipboard = js_sys::Reflect::get(&window.navigator(), &"clipboard".into())?;
    if clipboard.is_undefined() || clipboard.is_null() {
        return Err("no clipboard".into());
    }
    let write: js_sys::Function =
        wasm_bindgen::JsCast::dyn_into(js_sys::Reflect::get(&clipboard, &"writeText".into())?)?;
    let promise: js_sys::Promise =
        wasm_bindgen::JsCast::dyn_into(write.call1(&clipboard, &JsValue::from_str(text))?)?;
    wasm_bindgen_futures::JsFuture::from(promise).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hide_names_are_read_and_bad_ones_named() {
        let (cfg, issues, hidden, info) =
            read_fragment("#v=2&seed=5&hide=sampler,loss,bogus&made_on=CPU");
        assert_eq!(cfg.seed, 5);
        assert_eq!(hidden, ["sampler", "loss"]);
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].key, "hide");
        assert!(issues[0].message.contains("bogus"));
        assert_eq!(
            info.get("hide").map(String::as_str),
            Some("sampler,loss,bogus")
        );
        assert!(
            !info.contains_key("made_on"),
            "made_on is rewritten, not kept"
        );
    }

    #[test]
    fn a_tampered_link_names_the_key_and_applies_the_rest() {
        let (cfg, issues, _, _) = read_fragment(
            "#v=2&seed=11&sampler.kind=smote&sampler.k_neighbors=banana&loss.kind=<b>x</b>",
        );
        assert_eq!(cfg.seed, 11);
        let keys: Vec<&str> = issues.iter().map(|i| i.key.as_str()).collect();
        assert!(keys.contains(&"sampler.k_neighbors"), "{issues:?}");
        assert!(keys.iter().any(|k| k.contains("loss.kind")), "{issues:?}");
    }
}
