//! Light and dark themes and presentation mode, as attributes on `<html>` that the stylesheets
//! key on (`data-theme`, `data-presentation`). The theme defaults to the system's
//! `prefers-color-scheme` and is remembered in localStorage when storage is available (private
//! windows and sandboxed frames may refuse it; then the choice lasts for the page).

use wasm_bindgen::JsCast;

const STORAGE_KEY: &str = "imlab-theme";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

impl Theme {
    pub fn name(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    pub fn other(self) -> Theme {
        match self {
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::Light,
        }
    }

    fn from_name(s: &str) -> Option<Theme> {
        match s {
            "light" => Some(Theme::Light),
            "dark" => Some(Theme::Dark),
            _ => None,
        }
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The remembered theme, else the system's preference, else light.
pub fn initial() -> Theme {
    if let Some(t) = storage()
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .and_then(|s| Theme::from_name(&s))
    {
        return t;
    }
    if prefers_dark() {
        Theme::Dark
    } else {
        Theme::Light
    }
}

/// `matchMedia('(prefers-color-scheme: dark)').matches`, read through JS reflection.
fn prefers_dark() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let Ok(f) = js_sys::Reflect::get(&window, &"matchMedia".into()) else {
        return false;
    };
    let Ok(f) = f.dyn_into::<js_sys::Function>() else {
        return false;
    };
    f.call1(&window, &"(prefers-color-scheme: dark)".into())
        .ok()
        .and_then(|mql| js_sys::Reflect::get(&mql, &"matches".into()).ok())
        .and_then(|m| m.as_bool())
        .unwrap_or(false)
}

fn root() -> Option<web_sys::Element> {
    web_sys::window()?.document()?.document_element()
}

/// Shows `theme`; `remember` stores it (a failing storage is ignored: the page still switches).
pub fn apply(theme: Theme, remember: bool) {
    if let Some(el) = root() {
        let _ = el.set_attribute("data-theme", theme.name());
    }
    if remember {
        if let Some(s) = storage() {
            let _ = s.set_item(STORAGE_KEY, theme.name());
        }
    }
}

/// Presentation mode on or off.
pub fn set_presentation(on: bool) {
    if let Some(el) = root() {
        let _ = if on {
            el.set_attribute("data-presentation", "on")
        } else {
            el.remove_attribute("data-presentation")
        };
    }
}
