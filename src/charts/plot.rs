//! A small x–y chart on a canvas for the metric views (metric curves, ROC, precision-recall,
//! reliability): axes with round ticks, polylines, and marked points. Colours come from the caller
//! (class colours from `palette`).

use wasm_bindgen::JsValue;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use super::canvas::{context_2d, fit_to_css};
use super::loss::ticks;

/// Chrome colours, the same as the loss chart's.
const INK: &str = "#4b5563";
const GRID: &str = "#e5e7eb";

/// One polyline.
pub struct Series<'a> {
    pub points: &'a [(f64, f64)],
    pub colour: &'a str,
    pub dashed: bool,
    pub width: f64,
}

/// A point drawn as a ringed dot (an operating point).
pub struct Marker {
    pub x: f64,
    pub y: f64,
    pub colour: String,
}

pub struct PlotSpec<'a> {
    pub x_max: f64,
    /// y axis from 0 to `y_max`.
    pub y_max: f64,
    pub x_label: &'a str,
    pub y_label: &'a str,
    /// Drawn first, in grey (the diagonal of a ROC, the identity of a reliability diagram).
    pub reference: Option<[(f64, f64); 2]>,
    pub series: Vec<Series<'a>>,
    pub markers: Vec<Marker>,
    /// Shown in the middle while there is nothing to draw.
    pub empty_text: Option<&'a str>,
    /// Bars `(x_from, x_to, height)` drawn under the lines (reliability diagram).
    pub bars: Vec<(f64, f64, f64)>,
}

pub fn draw_plot(canvas: &HtmlCanvasElement, spec: &PlotSpec) -> Result<(), JsValue> {
    let (w, h, dpr) = fit_to_css(canvas);
    let ctx = context_2d(canvas)?;
    let (w, h) = (w as f64, h as f64);
    ctx.clear_rect(0.0, 0.0, w, h);
    let (ink, grid) = (INK, GRID);
    ctx.set_font(&format!("{}px system-ui, sans-serif", 11.0 * dpr));
    let (left, right, top, bottom) = (36.0 * dpr, 8.0 * dpr, 6.0 * dpr, 30.0 * dpr);
    let pw = (w - left - right).max(1.0);
    let ph = (h - top - bottom).max(1.0);
    let x_max = if spec.x_max > 0.0 { spec.x_max } else { 1.0 };
    let y_max = if spec.y_max > 0.0 { spec.y_max } else { 1.0 };
    let sx = move |x: f64| left + (x / x_max).clamp(0.0, 1.0) * pw;
    let sy = move |y: f64| top + ph - (y / y_max).clamp(0.0, 1.0) * ph;

    ctx.set_line_width(dpr);
    ctx.set_stroke_style_str(grid);
    ctx.set_fill_style_str(ink);
    ctx.set_text_align("right");
    ctx.set_text_baseline("middle");
    for t in ticks(y_max, 4) {
        ctx.begin_path();
        ctx.move_to(left, sy(t));
        ctx.line_to(left + pw, sy(t));
        ctx.stroke();
        ctx.fill_text(&tick_text(t), left - 4.0 * dpr, sy(t))?;
    }
    ctx.set_text_align("center");
    ctx.set_text_baseline("top");
    for t in ticks(x_max, 4) {
        ctx.fill_text(&tick_text(t), sx(t), top + ph + 3.0 * dpr)?;
    }
    ctx.fill_text(spec.x_label, left + pw / 2.0, top + ph + 16.0 * dpr)?;
    ctx.save();
    ctx.translate(10.0 * dpr, top + ph / 2.0)?;
    ctx.rotate(-std::f64::consts::FRAC_PI_2)?;
    ctx.set_text_baseline("middle");
    ctx.fill_text(spec.y_label, 0.0, 0.0)?;
    ctx.restore();

    for &(a, b, v) in &spec.bars {
        ctx.set_fill_style_str("rgba(11, 92, 173, 0.28)");
        ctx.fill_rect(
            sx(a) + dpr,
            sy(v),
            (sx(b) - sx(a) - 2.0 * dpr).max(1.0),
            sy(0.0) - sy(v),
        );
    }
    if let Some([p, q]) = spec.reference {
        line(&ctx, &[p, q], &sx, &sy, "#9ca3af", 1.5 * dpr, true)?;
    }
    for s in &spec.series {
        line(&ctx, s.points, &sx, &sy, s.colour, s.width * dpr, s.dashed)?;
    }
    for m in &spec.markers {
        ctx.begin_path();
        ctx.arc(sx(m.x), sy(m.y), 5.0 * dpr, 0.0, std::f64::consts::TAU)?;
        ctx.set_fill_style_str(&m.colour);
        ctx.fill();
        ctx.set_line_width(2.0 * dpr);
        ctx.set_stroke_style_str("#111827");
        ctx.stroke();
    }
    if let Some(text) = spec.empty_text {
        ctx.set_fill_style_str(ink);
        ctx.set_text_align("center");
        ctx.set_text_baseline("middle");
        ctx.fill_text(text, left + pw / 2.0, top + ph / 2.0)?;
    }
    Ok(())
}

fn tick_text(v: f64) -> String {
    if v == 0.0 {
        "0".into()
    } else if v >= 10.0 {
        format!("{v:.0}")
    } else {
        format!("{}", (v * 100.0).round() / 100.0)
    }
}

/// A polyline through the finite points, solid or dashed (shared with the loss chart).
pub(super) fn line(
    ctx: &CanvasRenderingContext2d,
    points: &[(f64, f64)],
    sx: &dyn Fn(f64) -> f64,
    sy: &dyn Fn(f64) -> f64,
    colour: &str,
    width: f64,
    dashed: bool,
) -> Result<(), JsValue> {
    let finite: Vec<&(f64, f64)> = points
        .iter()
        .filter(|p| p.0.is_finite() && p.1.is_finite())
        .collect();
    if finite.len() < 2 {
        return Ok(());
    }
    let dash = js_sys::Array::new();
    if dashed {
        dash.push(&JsValue::from_f64(3.0 * width));
        dash.push(&JsValue::from_f64(2.0 * width));
    }
    ctx.set_line_dash(&dash)?;
    ctx.set_stroke_style_str(colour);
    ctx.set_line_width(width);
    ctx.set_line_join("round");
    ctx.begin_path();
    for (i, &&(x, y)) in finite.iter().enumerate() {
        if i == 0 {
            ctx.move_to(sx(x), sy(y));
        } else {
            ctx.line_to(sx(x), sy(y));
        }
    }
    ctx.stroke();
    ctx.set_line_dash(&js_sys::Array::new())?;
    Ok(())
}
