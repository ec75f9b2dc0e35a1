//! The feature-space picture (`crate::lab::FeatureView`): the rows as the boundary panel draws
//! them (dots, squares, diamonds, rings, shared shapes from `marks`), virtual features as faint
//! triangles, thin axes through the global
//! mean, each class mean as a large disc with a dark rim, the global mean as a cross, and the
//! classifier vectors as arrows from the global mean in their class's colour on a dark underlay.
//! The points move every frame, so the whole picture is redrawn each time (the row caps in
//! `lab::feature_space` bound its cost).

use std::cell::Cell;
use std::f64::consts::TAU;

use wasm_bindgen::JsValue;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use super::canvas::{context_2d, fit_to_css};
use super::marks;
use super::palette::class_css;
use crate::lab::{FeatureView, PointRef};

thread_local! {
    /// Feature-space redraws since load (`window.imlab.featureSpace()` reports it).
    static DRAWS: Cell<u64> = const { Cell::new(0) };
}

pub fn draw_count() -> u64 {
    DRAWS.with(|d| d.get())
}

pub fn draw_feature_space(
    canvas: &HtmlCanvasElement,
    view: &FeatureView,
    n_classes: usize,
    hovered: Option<PointRef>,
    axis_names: [&str; 2],
) -> Result<(), JsValue> {
    let (w, h, dpr) = fit_to_css(canvas);
    let ctx = context_2d(canvas)?;
    let (w, h) = (w as f64, h as f64);
    ctx.set_fill_style_str("#ffffff");
    ctx.fill_rect(0.0, 0.0, w, h);
    let place = |x: f64, y: f64| {
        let (u, v) = view.window.to_unit(x, y);
        (u * w, v * h)
    };
    let r = marks::radius(w, h, dpr);
    let (gx, gy) = place(view.global_mean[0], view.global_mean[1]);
    // Axes through the global mean, named in a corner.
    ctx.set_line_width(dpr);
    ctx.set_stroke_style_str("#e5e7eb");
    ctx.begin_path();
    ctx.move_to(0.0, gy);
    ctx.line_to(w, gy);
    ctx.move_to(gx, 0.0);
    ctx.line_to(gx, h);
    ctx.stroke();
    ctx.set_font(&format!("{}px system-ui, sans-serif", 11.0 * dpr));
    ctx.set_fill_style_str("#4b5563");
    ctx.set_text_align("left");
    ctx.set_text_baseline("bottom");
    ctx.fill_text(&format!("→ {}", axis_names[0]), 6.0 * dpr, h - 4.0 * dpr)?;
    ctx.fill_text(&format!("↑ {}", axis_names[1]), 6.0 * dpr, h - 18.0 * dpr)?;

    let order = marks::classes_by_frequency(view.points.iter().map(|p| p.class), n_classes);
    ctx.set_line_width(dpr);
    ctx.set_stroke_style_str("rgba(20, 20, 30, 0.75)");
    for &c in &order {
        ctx.set_fill_style_str(&class_css(c));
        for (i, p) in view.points.iter().enumerate() {
            if p.class != c {
                continue;
            }
            let (x, y) = place(p.x, p.y);
            match p.at {
                PointRef::Train(_) if i >= view.first_added => marks::square(&ctx, x, y, r),
                PointRef::Train(_) => marks::dot(&ctx, x, y, r)?,
                PointRef::Synthetic(_) => marks::diamond(&ctx, x, y, r),
                PointRef::Test(_) => {}
            }
        }
    }
    // Virtual features under the real rows' rings: faint, so the real rows stay readable.
    if !view.virtual_points.is_empty() {
        ctx.set_global_alpha(0.55);
        for &c in &order {
            ctx.set_fill_style_str(&class_css(c));
            for &(x, y, _) in view.virtual_points.iter().filter(|p| p.2 == c) {
                let (x, y) = place(x, y);
                marks::triangle(&ctx, x, y, r * 0.9);
            }
        }
        ctx.set_global_alpha(1.0);
    }
    for &c in &order {
        let colour = class_css(c);
        for p in view.points.iter().filter(|p| p.class == c) {
            if matches!(p.at, PointRef::Test(_)) {
                let (x, y) = place(p.x, p.y);
                marks::ring(&ctx, x, y, r, &colour, dpr)?;
            }
        }
    }
    // Classifier vectors: a dark underlay, then the class colour, with a head.
    for (c, tip) in view.arrows.iter().enumerate() {
        let (tx, ty) = place(tip[0], tip[1]);
        arrow(
            &ctx,
            (gx, gy),
            (tx, ty),
            "rgba(17, 24, 39, 0.9)",
            5.5 * dpr,
            11.0 * dpr,
        )?;
        arrow(
            &ctx,
            (gx, gy),
            (tx, ty),
            &class_css(c),
            3.0 * dpr,
            9.0 * dpr,
        )?;
    }
    for (c, m) in view.class_means.iter().enumerate() {
        let Some(m) = m else { continue };
        let (x, y) = place(m[0], m[1]);
        ctx.begin_path();
        ctx.arc(x, y, r * 2.2, 0.0, TAU)?;
        ctx.set_fill_style_str(&class_css(c));
        ctx.fill();
        ctx.set_line_width(3.0 * dpr);
        ctx.set_stroke_style_str("#ffffff");
        ctx.stroke();
        ctx.set_line_width(1.5 * dpr);
        ctx.set_stroke_style_str("#111827");
        ctx.stroke();
    }
    // The global mean: a cross with a white edge.
    for (colour, width) in [("#ffffff", 5.0 * dpr), ("#111827", 2.5 * dpr)] {
        let d = r * 2.0;
        ctx.begin_path();
        ctx.move_to(gx - d, gy);
        ctx.line_to(gx + d, gy);
        ctx.move_to(gx, gy - d);
        ctx.line_to(gx, gy + d);
        ctx.set_line_width(width);
        ctx.set_stroke_style_str(colour);
        ctx.stroke();
    }
    if let Some((x, y)) = hovered.and_then(|at| view.position_of(at)) {
        let (x, y) = place(x, y);
        marks::highlight(&ctx, x, y, r, dpr)?;
    }
    DRAWS.with(|d| d.set(d.get() + 1));
    Ok(())
}

/// A line from `from` to `to` with a filled head of length `head` (none when too short to read).
fn arrow(
    ctx: &CanvasRenderingContext2d,
    from: (f64, f64),
    to: (f64, f64),
    colour: &str,
    width: f64,
    head: f64,
) -> Result<(), JsValue> {
    let (dx, dy) = (to.0 - from.0, to.1 - from.1);
    let len = dx.hypot(dy);
    if !(len.is_finite() && len > 0.5) {
        return Ok(());
    }
    let (ux, uy) = (dx / len, dy / len);
    let head = head.min(len * 0.6);
    let base = (to.0 - ux * head, to.1 - uy * head);
    ctx.set_line_cap("round");
    ctx.begin_path();
    ctx.move_to(from.0, from.1);
    ctx.line_to(base.0, base.1);
    ctx.set_line_width(width);
    ctx.set_stroke_style_str(colour);
    ctx.stroke();
    let side = head * 0.55 + width * 0.5;
    ctx.begin_path();
    ctx.move_to(to.0 + ux * width * 0.3, to.1 + uy * width * 0.3);
    ctx.line_to(base.0 - uy * side, base.1 + ux * side);
    ctx.line_to(base.0 + uy * side, base.1 - ux * side);
    ctx.close_path();
    ctx.set_fill_style_str(colour);
    ctx.fill();
    ctx.set_line_cap("butt");
    Ok(())
}
