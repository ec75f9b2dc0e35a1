//! Canvas plumbing shared by the charts: a 2-D context, and a backing store sized to the element's
//! CSS box times the device pixel ratio so lines stay sharp on a projector or a retina screen.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

pub fn context_2d(canvas: &HtmlCanvasElement) -> Result<CanvasRenderingContext2d, JsValue> {
    canvas
        .get_context("2d")?
        .ok_or_else(|| JsValue::from_str("this browser gives no 2-D canvas context"))?
        .dyn_into::<CanvasRenderingContext2d>()
        .map_err(|_| JsValue::from_str("the 2-D context has an unexpected type"))
}

/// Resizes the backing store to the CSS size × device pixel ratio when they differ. Returns the
/// backing size in pixels and the ratio (drawing code scales line widths by it).
pub fn fit_to_css(canvas: &HtmlCanvasElement) -> (u32, u32, f64) {
    let dpr = web_sys::window()
        .map(|w| w.device_pixel_ratio())
        .filter(|r| r.is_finite() && *r > 0.0)
        .unwrap_or(1.0);
    let css_w = canvas.client_width().max(1) as f64;
    let css_h = canvas.client_height().max(1) as f64;
    let w = (css_w * dpr).round() as u32;
    let h = (css_h * dpr).round() as u32;
    if canvas.width() != w {
        canvas.set_width(w);
    }
    if canvas.height() != h {
        canvas.set_height(h);
    }
    (w, h, dpr)
}

/// A canvas that is never attached to the page, used as an image layer.
pub fn offscreen(width: u32, height: u32) -> Result<HtmlCanvasElement, JsValue> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| JsValue::from_str("no document"))?;
    let canvas: HtmlCanvasElement = document.create_element("canvas")?.dyn_into()?;
    canvas.set_width(width);
    canvas.set_height(height);
    Ok(canvas)
}
