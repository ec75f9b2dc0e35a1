//! The neural-collapse curves on a logarithmic y axis (decade grid lines labelled 10^k), epochs on
//! x; values at or below the bottom decade are drawn on it. The minority angles use the linear
//! [`super::plot`] chart.

use wasm_bindgen::JsValue;
use web_sys::HtmlCanvasElement;

use super::canvas::{context_2d, fit_to_css};
use super::loss::ticks;
use super::plot::line;

/// One curve.
pub struct LogSeries<'a> {
    pub points: &'a [(f64, f64)],
    pub colour: &'a str,
    pub dashed: bool,
    pub width: f64,
}

pub fn draw_log_curves(
    canvas: &HtmlCanvasElement,
    series: &[LogSeries],
    decades: Option<(i32, i32)>,
    x_max: f64,
    empty_text: Option<&str>,
) -> Result<(), JsValue> {
    let (w, h, dpr) = fit_to_css(canvas);
    let ctx = context_2d(canvas)?;
    let (w, h) = (w as f64, h as f64);
    ctx.clear_rect(0.0, 0.0, w, h);
    ctx.set_font(&format!("{}px system-ui, sans-serif", 11.0 * dpr));
    let (left, right, top, bottom) = (44.0 * dpr, 8.0 * dpr, 8.0 * dpr, 30.0 * dpr);
    let pw = (w - left - right).max(1.0);
    let ph = (h - top - bottom).max(1.0);
    let (lo, hi) = decades.unwrap_or((-3, 0));
    let (lo_f, hi_f) = (f64::from(lo), f64::from(hi.max(lo + 1)));
    let x_max = if x_max > 0.0 { x_max } else { 1.0 };
    let sx = move |x: f64| left + (x / x_max).clamp(0.0, 1.0) * pw;
    let sy = move |v: f64| {
        let e = if v > 0.0 { v.log10() } else { lo_f };
        top + ph - ((e - lo_f) / (hi_f - lo_f)).clamp(0.0, 1.0) * ph
    };
    ctx.set_line_width(dpr);
    ctx.set_stroke_style_str("#e5e7eb");
    ctx.set_fill_style_str("#4b5563");
    ctx.set_text_align("right");
    ctx.set_text_baseline("middle");
    let step = ((hi - lo) as f64 / 5.0).ceil().max(1.0) as i32;
    let mut k = lo;
    while k <= hi.max(lo + 1) {
        let y = sy(10f64.powi(k));
        ctx.begin_path();
        ctx.move_to(left, y);
        ctx.line_to(left + pw, y);
        ctx.stroke();
        let label = match k {
            0 => "1".to_string(),
            1 => "10".to_string(),
            _ => format!("1e{k}"),
        };
        ctx.fill_text(&label, left - 4.0 * dpr, y)?;
        k += step;
    }
    ctx.set_text_align("center");
    ctx.set_text_baseline("top");
    for t in ticks(x_max, 4) {
        ctx.fill_text(&format!("{t}"), sx(t), top + ph + 3.0 * dpr)?;
    }
    ctx.fill_text("epoch", left + pw / 2.0, top + ph + 16.0 * dpr)?;
    ctx.save();
    ctx.translate(10.0 * dpr, top + ph / 2.0)?;
    ctx.rotate(-std::f64::consts::FRAC_PI_2)?;
    ctx.set_text_baseline("middle");
    ctx.fill_text("measure (log)", 0.0, 0.0)?;
    ctx.restore();
    for s in series {
        line(&ctx, s.points, &sx, &sy, s.colour, s.width * dpr, s.dashed)?;
    }
    if let Some(text) = empty_text {
        ctx.set_fill_style_str("#4b5563");
        ctx.set_text_align("center");
        ctx.set_text_baseline("middle");
        ctx.fill_text(text, left + pw / 2.0, top + ph / 2.0)?;
    }
    Ok(())
}
