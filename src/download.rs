//! Saving a file the page made (an export) to the user's disk, without any network request: the
//! bytes go into a `Blob`, an object URL names it, and a temporary `<a download>` is clicked.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, HtmlCanvasElement, Url};

/// Offers `text` as a download named `file_name`.
pub fn save_text(file_name: &str, mime: &str, text: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options).map_err(describe)?;
    save_blob(file_name, &blob)
}

/// Offers `bytes` as a download named `file_name`.
pub fn save_bytes(file_name: &str, mime: &str, bytes: &[u8]) -> Result<(), String> {
    let array = js_sys::Uint8Array::from(bytes);
    let parts = js_sys::Array::of1(&array);
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob = Blob::new_with_u8_array_sequence_and_options(&parts, &options).map_err(describe)?;
    save_blob(file_name, &blob)
}

/// A canvas's current picture as PNG bytes. The data URL is made synchronously (a `toBlob` callback
/// would let the next frame redraw the chart first) and decoded with the browser's own `atob`.
pub fn canvas_png_bytes(canvas: &HtmlCanvasElement) -> Result<Vec<u8>, String> {
    let url = canvas
        .to_data_url_with_type("image/png")
        .map_err(describe)?;
    let b64 = url
        .strip_prefix("data:image/png;base64,")
        .ok_or("the browser did not make a PNG of the chart")?;
    let window = web_sys::window().ok_or("no window")?;
    // `atob` gives one char per byte (U+0000..U+00FF).
    let binary = window.atob(b64).map_err(describe)?;
    Ok(binary.chars().map(|c| c as u8).collect())
}

fn save_blob(file_name: &str, blob: &Blob) -> Result<(), String> {
    let url = Url::create_object_url_with_blob(blob).map_err(describe)?;
    let result = click_download(file_name, &url);
    // Some browsers read the blob after the click returns; free it a little later.
    let revoke = wasm_bindgen::closure::Closure::once_into_js(move || {
        let _ = Url::revoke_object_url(&url);
    });
    if let Some(w) = web_sys::window() {
        let _ =
            w.set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 30_000);
    }
    result
}

fn click_download(file_name: &str, url: &str) -> Result<(), String> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let anchor: HtmlAnchorElement = document
        .create_element("a")
        .map_err(describe)?
        .dyn_into()
        .map_err(|_| "not an anchor".to_string())?;
    anchor.set_href(url);
    anchor.set_download(file_name);
    anchor.set_hidden(true);
    let body = document.body().ok_or("no body")?;
    body.append_child(&anchor).map_err(describe)?;
    anchor.click();
    anchor.remove();
    Ok(())
}

fn describe(e: JsValue) -> String {
    e.as_string()
        .or_else(|| {
            e.dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
        })
        .unwrap_or_else(|| format!("{e:?}"))
}
