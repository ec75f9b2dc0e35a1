//! `window.imlab`: a small scripting surface for tests and curious users.
//! `window.imlab.snapshot()` returns the latest snapshot, with its config and backend, as JSON text.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsValue;

use crate::runner::Controller;

pub fn install(ctl: Controller) -> Result<(), JsValue> {
    let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
    let api = js_sys::Object::new();
    let snapshot = Closure::<dyn Fn() -> String>::new(move || {
        ctl.with_session(|s| s.lab.report(&s.backend_label).to_json())
            .unwrap_or_else(|| r#"{"error":"the experiment is being replaced; ask again"}"#.into())
    });
    js_sys::Reflect::set(&api, &"snapshot".into(), &snapshot.into_js_value())?;
    js_sys::Reflect::set(&window, &"imlab".into(), &api)?;
    Ok(())
}
