//! The strip plot: one column per method, one dot per seed (the chosen score of that run), with the
//! mean as a bar and the 95 % t interval as a whisker, so the spread between seeds is seen next to
//! the difference between methods.

use imlab_engine::sweep::stats::summarize;
use wasm_bindgen::JsValue;
use web_sys::HtmlCanvasElement;

use crate::charts::canvas::{context_2d, fit_to_css};

/// One method's values of the plotted score, one per finished seed.
pub struct Strip {
    pub method: String,
    pub values: Vec<f64>,
}

const DOT: &str = "rgba(0, 114, 178, 0.75)";
const MEAN: &str = "#111827";
const WHISKER: &str = "#d55e00";

/// The vertical range: the data with a margin, inside [0, 1], at least 0.05 tall.
fn y_range(strips: &[Strip]) -> (f64, f64) {
    let all = strips.iter().flat_map(|s| s.values.iter().copied());
    let (lo, hi) = all.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    let pad = ((hi - lo) * 0.15).max(0.025);
    let (mut lo, mut hi) = ((lo - pad).max(0.0), (hi + pad).min(1.0));
    if hi - lo < 0.05 {
        if hi >= 1.0 {
            lo = hi - 0.05;
        } else {
            hi = lo + 0.05;
        }
    }
    (lo, hi)
}

pub fn draw_strips(
    canvas: &HtmlCanvasElement,
    strips: &[Strip],
    score: &str,
) -> Result<(), JsValue> {
    let ctx = context_2d(canvas)?;
    let (w, h, dpr) = fit_to_css(canvas);
    let (w, h) = (f64::from(w), f64::from(h));
    ctx.clear_rect(0.0, 0.0, w, h);
    let font = 12.0 * dpr;
    ctx.set_font(&format!("{font}px system-ui, sans-serif"));
    let (left, right, top, bottom) = (46.0 * dpr, 12.0 * dpr, 10.0 * dpr, 30.0 * dpr);
    let (pw, ph) = ((w - left - right).max(1.0), (h - top - bottom).max(1.0));
    let (lo, hi) = y_range(strips);
    let sy = |v: f64| top + ph * (1.0 - (v - lo) / (hi - lo));

    ctx.set_line_width(dpr);
    ctx.set_stroke_style_str("#e5e7eb");
    ctx.set_fill_style_str("#4b5563");
    ctx.set_text_align("right");
    ctx.set_text_baseline("middle");
    for i in 0..=4 {
        let v = lo + (hi - lo) * f64::from(i) / 4.0;
        ctx.begin_path();
        ctx.move_to(left, sy(v));
        ctx.line_to(left + pw, sy(v));
        ctx.stroke();
        ctx.fill_text(&format!("{v:.3}"), left - 6.0 * dpr, sy(v))?;
    }
    // The score's name, top left inside the plot (the select above names it too).
    ctx.set_text_align("left");
    ctx.set_text_baseline("top");
    ctx.fill_text(score, left + 6.0 * dpr, top + 2.0 * dpr)?;

    // Columns at most 180 px wide, centred, so a sweep of one or two methods does not sprawl.
    let n = strips.len().max(1) as f64;
    let band = (pw / n).min(180.0 * dpr);
    let x0 = left + (pw - band * n) / 2.0;
    for (i, strip) in strips.iter().enumerate() {
        let cx = x0 + band * (i as f64 + 0.5);
        ctx.set_fill_style_str("#4b5563");
        ctx.set_text_align("center");
        ctx.set_text_baseline("top");
        ctx.fill_text(&strip.method, cx, top + ph + 8.0 * dpr)?;
        // Dots spread sideways by a fixed, seed-order pattern (no randomness in a drawing), starting
        // on the column's centre line so a few seeds sit over their label.
        ctx.set_fill_style_str(DOT);
        for (j, &v) in strip.values.iter().enumerate() {
            let spread = ((j as f64 * 0.618_034 + 0.5) % 1.0 - 0.5) * band * 0.45;
            ctx.begin_path();
            ctx.arc(cx + spread, sy(v), 3.5 * dpr, 0.0, std::f64::consts::TAU)?;
            ctx.fill();
        }
        let s = summarize(&strip.values);
        if let Some((a, b)) = s.interval {
            ctx.set_stroke_style_str(WHISKER);
            ctx.set_line_width(2.0 * dpr);
            let x = cx + band * 0.3;
            ctx.begin_path();
            ctx.move_to(x, sy(a.max(lo)));
            ctx.line_to(x, sy(b.min(hi)));
            ctx.stroke();
        }
        if let Some(m) = s.mean {
            ctx.set_stroke_style_str(MEAN);
            ctx.set_line_width(2.5 * dpr);
            ctx.begin_path();
            ctx.move_to(cx - band * 0.3, sy(m));
            ctx.line_to(cx + band * 0.35, sy(m));
            ctx.stroke();
        }
    }
    ctx.set_stroke_style_str("#9ca3af");
    ctx.set_line_width(dpr);
    ctx.begin_path();
    ctx.move_to(left, top);
    ctx.line_to(left, top + ph);
    ctx.line_to(left + pw, top + ph);
    ctx.stroke();
    Ok(())
}
