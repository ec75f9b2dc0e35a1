//! The shapes every scatter picture uses for a data point, so the boundary and the feature-space
//! views speak one visual language: training rows are filled dots, rows the user added squares,
//! synthetic rows diamonds, test rows rings on a dark halo; the hovered row gets one highlight in
//! every view. Callers set the fill and stroke styles for dots, squares and diamonds.

use std::f64::consts::TAU;

use wasm_bindgen::JsValue;
use web_sys::CanvasRenderingContext2d;

/// A filled, outlined dot of radius `r`.
pub fn dot(ctx: &CanvasRenderingContext2d, x: f64, y: f64, r: f64) -> Result<(), JsValue> {
    ctx.begin_path();
    ctx.arc(x, y, r, 0.0, TAU)?;
    ctx.fill();
    ctx.stroke();
    Ok(())
}

/// A point the user added: a filled, outlined square of half-side `1.2 r`.
pub fn square(ctx: &CanvasRenderingContext2d, x: f64, y: f64, r: f64) {
    let d = r * 1.2;
    ctx.fill_rect(x - d, y - d, 2.0 * d, 2.0 * d);
    ctx.stroke_rect(x - d, y - d, 2.0 * d, 2.0 * d);
}

/// A synthetic row: a filled, outlined diamond of half-diagonal `1.1 r`.
pub fn diamond(ctx: &CanvasRenderingContext2d, x: f64, y: f64, r: f64) {
    let d = r * 1.1;
    ctx.begin_path();
    ctx.move_to(x, y - d);
    ctx.line_to(x + d, y);
    ctx.line_to(x, y + d);
    ctx.line_to(x - d, y);
    ctx.close_path();
    ctx.fill();
    ctx.stroke();
}

/// A virtual feature (virtual-feature calibration): a filled, outlined triangle pointing up, of
/// circumradius `1.3 r`.
pub fn triangle(ctx: &CanvasRenderingContext2d, x: f64, y: f64, r: f64) {
    let d = r * 1.3;
    ctx.begin_path();
    ctx.move_to(x, y - d);
    ctx.line_to(x + d * 0.866, y + d * 0.5);
    ctx.line_to(x - d * 0.866, y + d * 0.5);
    ctx.close_path();
    ctx.fill();
    ctx.stroke();
}

/// A test row: a ring in `colour` on a dark halo, readable on either tint.
pub fn ring(
    ctx: &CanvasRenderingContext2d,
    x: f64,
    y: f64,
    r: f64,
    colour: &str,
    dpr: f64,
) -> Result<(), JsValue> {
    ctx.begin_path();
    ctx.arc(x, y, r * 1.25, 0.0, TAU)?;
    ctx.set_line_width(3.6 * dpr);
    ctx.set_stroke_style_str("rgba(20, 20, 30, 0.8)");
    ctx.stroke();
    ctx.set_line_width(2.0 * dpr);
    ctx.set_stroke_style_str(colour);
    ctx.stroke();
    Ok(())
}

/// The hovered row: a wide amber ring (the focus colour of the page) with a dark edge.
pub fn highlight(
    ctx: &CanvasRenderingContext2d,
    x: f64,
    y: f64,
    r: f64,
    dpr: f64,
) -> Result<(), JsValue> {
    ctx.begin_path();
    ctx.arc(x, y, r * 2.6, 0.0, TAU)?;
    ctx.set_line_width(5.0 * dpr);
    ctx.set_stroke_style_str("rgba(17, 24, 39, 0.9)");
    ctx.stroke();
    ctx.set_line_width(3.0 * dpr);
    ctx.set_stroke_style_str("#f0a500");
    ctx.stroke();
    Ok(())
}

/// Point radius for a picture `w × h` backing pixels.
pub fn radius(w: f64, h: f64, dpr: f64) -> f64 {
    (w.min(h) / 150.0).clamp(2.5 * dpr, 7.0 * dpr)
}

/// Class indices, most frequent first (rarer classes are drawn last, so minority points are never
/// buried under the majority).
pub fn classes_by_frequency(classes: impl Iterator<Item = usize>, n_classes: usize) -> Vec<usize> {
    let mut counts = vec![0usize; n_classes];
    for c in classes {
        if let Some(n) = counts.get_mut(c) {
            *n += 1;
        }
    }
    let mut order: Vec<usize> = (0..n_classes).collect();
    order.sort_by_key(|&c| std::cmp::Reverse(counts[c]));
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rarer_classes_are_drawn_last() {
        let classes = [1, 0, 0, 2, 0, 2];
        assert_eq!(classes_by_frequency(classes.into_iter(), 3), vec![0, 2, 1]);
    }
}
