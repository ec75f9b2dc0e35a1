//! The loss curve: per-epoch mean training loss (solid) and test loss (dashed) against epochs.
//! Long runs are thinned to about two points per horizontal pixel, keeping each bucket's minimum
//! and maximum so spikes stay visible.

use wasm_bindgen::JsValue;
use web_sys::HtmlCanvasElement;

use super::canvas::{context_2d, fit_to_css};
use imlab_engine::experiment::EpochRecord;

pub const TRAIN_COLOUR: &str = "#1f2937";
pub const TEST_COLOUR: &str = "#6b7280";

/// `(x, y)` pairs thinned to at most `2 × buckets` points, in order, keeping extremes.
pub fn thin(points: &[(f64, f64)], buckets: usize) -> Vec<(f64, f64)> {
    let buckets = buckets.max(1);
    if points.len() <= 2 * buckets {
        return points.to_vec();
    }
    let mut out = Vec::with_capacity(2 * buckets + 1);
    let per = points.len() as f64 / buckets as f64;
    for b in 0..buckets {
        let lo = (b as f64 * per) as usize;
        let hi = (((b + 1) as f64 * per) as usize).min(points.len());
        let chunk = &points[lo..hi];
        if chunk.is_empty() {
            continue;
        }
        let (mut imin, mut imax) = (0, 0);
        for (i, p) in chunk.iter().enumerate() {
            if p.1 < chunk[imin].1 {
                imin = i;
            }
            if p.1 > chunk[imax].1 {
                imax = i;
            }
        }
        let (a, b) = if imin <= imax {
            (imin, imax)
        } else {
            (imax, imin)
        };
        out.push(chunk[a]);
        if b != a {
            out.push(chunk[b]);
        }
    }
    if let (Some(last), Some(end)) = (points.last(), out.last()) {
        if end != last {
            out.push(*last);
        }
    }
    out
}

/// Round tick values covering `[0, max]`, about `n` of them.
pub fn ticks(max: f64, n: usize) -> Vec<f64> {
    if !(max.is_finite() && max > 0.0) {
        return vec![0.0];
    }
    let raw = max / n.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    (0..)
        .map(|i| i as f64 * step)
        .take_while(|v| *v <= max * (1.0 + 1e-9))
        .collect()
}

fn fmt_tick(v: f64) -> String {
    if v == 0.0 {
        "0".into()
    } else if v.abs() >= 100.0 {
        format!("{v:.0}")
    } else if v.abs() >= 1.0 {
        format!("{}", (v * 10.0).round() / 10.0)
    } else {
        format!("{}", (v * 100.0).round() / 100.0)
    }
}

pub fn draw_loss(canvas: &HtmlCanvasElement, history: &[EpochRecord]) -> Result<(), JsValue> {
    let (w, h, dpr) = fit_to_css(canvas);
    let ctx = context_2d(canvas)?;
    let (w, h) = (w as f64, h as f64);
    ctx.clear_rect(0.0, 0.0, w, h);
    let font = 12.0 * dpr;
    ctx.set_font(&format!("{font}px system-ui, sans-serif"));
    let (left, right, top, bottom) = (44.0 * dpr, 10.0 * dpr, 8.0 * dpr, 24.0 * dpr);
    let pw = (w - left - right).max(1.0);
    let ph = (h - top - bottom).max(1.0);

    let train: Vec<(f64, f64)> = history
        .iter()
        .map(|r| (r.epoch as f64, r.train_loss))
        .collect();
    let test: Vec<(f64, f64)> = history
        .iter()
        .map(|r| (r.epoch as f64, r.test_loss))
        .collect();
    let x_max = history.last().map_or(10.0, |r| r.epoch as f64).max(10.0);
    let y_max = train
        .iter()
        .chain(&test)
        .map(|p| p.1)
        .filter(|v| v.is_finite())
        .fold(0.0f64, f64::max)
        .max(0.1)
        * 1.05;
    let sx = |x: f64| left + x / x_max * pw;
    let sy = |y: f64| top + ph - (y / y_max).clamp(0.0, 1.0) * ph;

    ctx.set_line_width(1.0 * dpr);
    ctx.set_stroke_style_str("#e5e7eb");
    ctx.set_fill_style_str("#4b5563");
    ctx.set_text_align("right");
    ctx.set_text_baseline("middle");
    for t in ticks(y_max, 4) {
        let y = sy(t);
        ctx.begin_path();
        ctx.move_to(left, y);
        ctx.line_to(left + pw, y);
        ctx.stroke();
        ctx.fill_text(&fmt_tick(t), left - 6.0 * dpr, y)?;
    }
    ctx.set_text_align("center");
    ctx.set_text_baseline("top");
    for t in ticks(x_max, 5) {
        ctx.fill_text(&fmt_tick(t), sx(t), top + ph + 6.0 * dpr)?;
    }
    ctx.set_stroke_style_str("#9ca3af");
    ctx.begin_path();
    ctx.move_to(left, top);
    ctx.line_to(left, top + ph);
    ctx.line_to(left + pw, top + ph);
    ctx.stroke();

    let buckets = (pw / dpr) as usize;
    super::plot::line(
        &ctx,
        &thin(&test, buckets),
        &sx,
        &sy,
        TEST_COLOUR,
        1.5 * dpr,
        true,
    )?;
    super::plot::line(
        &ctx,
        &thin(&train, buckets),
        &sx,
        &sy,
        TRAIN_COLOUR,
        2.0 * dpr,
        false,
    )?;
    if history.is_empty() {
        ctx.set_fill_style_str("#6b7280");
        ctx.set_text_align("center");
        ctx.set_text_baseline("middle");
        ctx.fill_text(
            "The curve starts after the first epoch",
            left + pw / 2.0,
            top + ph / 2.0,
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thinning_keeps_ends_and_extremes() {
        let pts: Vec<(f64, f64)> = (0..1000)
            .map(|i| {
                (
                    i as f64,
                    if i == 500 {
                        9.0
                    } else {
                        1.0 / (1.0 + i as f64)
                    },
                )
            })
            .collect();
        let t = thin(&pts, 50);
        assert!(t.len() <= 101, "{}", t.len());
        assert_eq!(t[0], pts[0]);
        assert_eq!(*t.last().unwrap(), pts[999]);
        assert!(t.iter().any(|p| p.1 == 9.0), "the spike survives");
        assert!(t.windows(2).all(|w| w[0].0 < w[1].0), "in order");
        assert_eq!(thin(&pts[..10], 50), pts[..10].to_vec());
    }

    #[test]
    fn ticks_are_round() {
        assert_eq!(ticks(1.0, 4), vec![0.0, 0.25, 0.5, 0.75, 1.0]);
        assert_eq!(ticks(73.0, 5), vec![0.0, 20.0, 40.0, 60.0]);
        assert_eq!(ticks(0.0, 4), vec![0.0]);
        assert_eq!(fmt_tick(0.25), "0.25");
        assert_eq!(fmt_tick(2.5), "2.5");
    }
}
