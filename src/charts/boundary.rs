//! The decision-boundary picture: the model's class probabilities on the coarse grid, scaled up
//! with smoothing, the current decision rule's boundary as a dark line between cells decided
//! differently, and the data on top (training rows as filled dots, test rows as rings, synthetic
//! rows as small diamonds; optionally the sampler's internals). The grid is repainted every frame;
//! the points only when the data, the overlay or the canvas size changes, from a cached layer.
//! With robustness configured, the hovered point's ε-ball (a square under L∞, a circle under L2)
//! and its adversarial example are drawn over everything.

use std::cell::Cell;
use std::f64::consts::TAU;

use imlab_engine::resample::PointRole;
use wasm_bindgen::{Clamped, JsValue};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};

use super::canvas::{context_2d, fit_to_css, offscreen};
use super::marks;
use super::palette::{class_css, fill_rgba};
use crate::lab::{DecisionGrid, EpsBall, Mark, SamplerInternals};
use imlab_engine::adversarial::Norm;

thread_local! {
    /// Boundary redraws since the page loaded: `window.imlab.boundaryDraws()` reads it so a test
    /// can measure the redraw rate.
    static DRAWS: Cell<u64> = const { Cell::new(0) };
}

/// How many times the decision boundary has been drawn.
pub fn draw_count() -> u64 {
    DRAWS.with(|d| d.get())
}

/// Everything the picture shows.
pub struct BoundaryScene<'a> {
    pub grid: &'a DecisionGrid,
    /// `cells × n_classes` probabilities, row-major like `grid.points`; empty when the model's
    /// inputs are not this plane (more than two features).
    pub probs: &'a [f32],
    /// Decided class per cell under the current rule (same order).
    pub decision: &'a [u8],
    pub n_classes: usize,
    pub train: &'a [Mark],
    /// How many of the last `train` marks the user added (drawn as squares).
    pub added: usize,
    pub test: &'a [Mark],
    pub synthetic: &'a [Mark],
    /// Drawn when `Some` (the overlay toggle is on).
    pub internals: Option<&'a SamplerInternals>,
    /// Changes whenever the marks or the overlay change, so the cached point layer is redrawn.
    pub data_key: u64,
    /// The row hovered in this or another view (highlighted over the cached layer).
    pub hovered: Option<Mark>,
    /// The hovered point's ε-ball and adversarial example (plane = input plane only).
    pub eps_ball: Option<&'a EpsBall>,
}

#[derive(Default)]
pub struct BoundaryPainter {
    cells: Option<HtmlCanvasElement>,
    points: Option<(u64, u32, u32, HtmlCanvasElement)>,
    rgba: Vec<u8>,
}

impl BoundaryPainter {
    pub fn draw(
        &mut self,
        canvas: &HtmlCanvasElement,
        scene: &BoundaryScene,
    ) -> Result<(), JsValue> {
        let (w, h, dpr) = fit_to_css(canvas);
        let ctx = context_2d(canvas)?;
        let n = scene.grid.size;
        if scene.probs.len() == n * n * scene.n_classes.max(1) && !scene.probs.is_empty() {
            let cells = self.paint_cells(scene)?;
            ctx.set_image_smoothing_enabled(true);
            ctx.draw_image_with_html_canvas_element_and_dw_and_dh(
                cells, 0.0, 0.0, w as f64, h as f64,
            )?;
            draw_decision_line(&ctx, scene.decision, n, w as f64, h as f64, dpr);
        } else {
            ctx.set_fill_style_str("#f7f7f9");
            ctx.fill_rect(0.0, 0.0, w as f64, h as f64);
        }
        let layer = self.point_layer(scene, w, h, dpr)?;
        ctx.draw_image_with_html_canvas_element(layer, 0.0, 0.0)?;
        if let Some(m) = scene.hovered {
            let (u, v) = scene.grid.to_unit(m.x, m.y);
            let r = marks::radius(w as f64, h as f64, dpr);
            marks::highlight(&ctx, u * w as f64, v * h as f64, r, dpr)?;
        }
        if let Some(ball) = scene.eps_ball {
            draw_eps_ball(&ctx, scene.grid, ball, w as f64, h as f64, dpr)?;
        }
        DRAWS.with(|d| d.set(d.get() + 1));
        Ok(())
    }

    fn paint_cells(&mut self, scene: &BoundaryScene) -> Result<&HtmlCanvasElement, JsValue> {
        let n = scene.grid.size as u32;
        if self.cells.as_ref().map(|c| c.width()) != Some(n) {
            self.cells = Some(offscreen(n, n)?);
        }
        let cells = self.cells.as_ref().expect("created above");
        fill_rgba(scene.probs, scene.n_classes, &mut self.rgba);
        if self.rgba.len() == (n * n * 4) as usize {
            let image = ImageData::new_with_u8_clamped_array_and_sh(Clamped(&self.rgba[..]), n, n)?;
            context_2d(cells)?.put_image_data(&image, 0.0, 0.0)?;
        }
        Ok(cells)
    }

    fn point_layer(
        &mut self,
        scene: &BoundaryScene,
        w: u32,
        h: u32,
        dpr: f64,
    ) -> Result<&HtmlCanvasElement, JsValue> {
        let fresh = matches!(&self.points, Some((key, pw, ph, _)) if *key == scene.data_key && *pw == w && *ph == h);
        if !fresh {
            let layer = offscreen(w, h)?;
            draw_marks(&context_2d(&layer)?, scene, w as f64, h as f64, dpr)?;
            self.points = Some((scene.data_key, w, h, layer));
        }
        Ok(&self.points.as_ref().expect("set above").3)
    }
}

/// The ε-ball around the hovered point in plane units (the plane is the model's input plane, on
/// equal scales, so ε maps to `ε / span` of the picture on each axis), a line to the adversarial
/// example, and the example as a dot in the colour of the class it is predicted as.
fn draw_eps_ball(
    ctx: &CanvasRenderingContext2d,
    grid: &DecisionGrid,
    ball: &EpsBall,
    w: f64,
    h: f64,
    dpr: f64,
) -> Result<(), JsValue> {
    let (u, v) = grid.to_unit(ball.x, ball.y);
    let (cx, cy) = (u * w, v * h);
    let (rx, ry) = (ball.epsilon / grid.span * w, ball.epsilon / grid.span * h);
    ctx.begin_path();
    match ball.norm {
        Norm::Linf => ctx.rect(cx - rx, cy - ry, 2.0 * rx, 2.0 * ry),
        Norm::L2 => ctx.ellipse(cx, cy, rx, ry, 0.0, 0.0, TAU)?,
    }
    ctx.set_fill_style_str("rgba(255, 255, 255, 0.28)");
    ctx.fill();
    ctx.set_line_width(2.0 * dpr);
    ctx.set_stroke_style_str("rgba(17, 24, 39, 0.9)");
    ctx.set_line_dash(&js_sys::Array::of2(
        &(5.0 * dpr).into(),
        &(3.0 * dpr).into(),
    ))?;
    ctx.stroke();
    ctx.set_line_dash(&js_sys::Array::new())?;
    let (au, av) = grid.to_unit(ball.adv_x, ball.adv_y);
    let (ax, ay) = (au * w, av * h);
    ctx.begin_path();
    ctx.move_to(cx, cy);
    ctx.line_to(ax, ay);
    ctx.set_line_width(2.0 * dpr);
    ctx.stroke();
    let r = marks::radius(w, h, dpr);
    ctx.set_fill_style_str(&class_css(ball.adv_class));
    ctx.set_line_width(2.0 * dpr);
    ctx.set_stroke_style_str("#111827");
    // A large dot crossed out in white: not a data row but where the attack moved one, in the
    // colour of the class it is then predicted as.
    marks::dot(ctx, ax, ay, r * 1.6)?;
    let d = r * 0.75;
    ctx.begin_path();
    ctx.move_to(ax - d, ay - d);
    ctx.line_to(ax + d, ay + d);
    ctx.move_to(ax + d, ay - d);
    ctx.line_to(ax - d, ay + d);
    ctx.set_line_width(1.5 * dpr);
    ctx.set_stroke_style_str("#ffffff");
    ctx.stroke();
    Ok(())
}

/// The boundary of the current decision rule: a staircase along the edges between neighbouring
/// cells decided differently, one path for the whole grid.
/// `d` holds one decision per cell of an `n × n` grid (the multi-label plot passes 0/1 per cell).
pub(super) fn draw_decision_line(
    ctx: &CanvasRenderingContext2d,
    d: &[u8],
    n: usize,
    w: f64,
    h: f64,
    dpr: f64,
) {
    if d.len() != n * n {
        return;
    }
    let (cw, ch) = (w / n as f64, h / n as f64);
    ctx.begin_path();
    for row in 0..n {
        for col in 0..n {
            let here = d[row * n + col];
            if col + 1 < n && d[row * n + col + 1] != here {
                let x = (col + 1) as f64 * cw;
                ctx.move_to(x, row as f64 * ch);
                ctx.line_to(x, (row + 1) as f64 * ch);
            }
            if row + 1 < n && d[(row + 1) * n + col] != here {
                let y = (row + 1) as f64 * ch;
                ctx.move_to(col as f64 * cw, y);
                ctx.line_to((col + 1) as f64 * cw, y);
            }
        }
    }
    ctx.set_line_width(2.0 * dpr);
    ctx.set_stroke_style_str("rgba(17, 24, 39, 0.7)");
    ctx.stroke();
}

fn draw_marks(
    ctx: &CanvasRenderingContext2d,
    scene: &BoundaryScene,
    w: f64,
    h: f64,
    dpr: f64,
) -> Result<(), JsValue> {
    let r = marks::radius(w, h, dpr);
    let place = |m: &Mark| {
        let (u, v) = scene.grid.to_unit(m.x, m.y);
        (u * w, v * h)
    };
    // Rarer classes last, so minority points are never buried under the majority.
    let order = marks::classes_by_frequency(scene.train.iter().map(|m| m.class), scene.n_classes);
    ctx.set_line_width(1.0 * dpr);
    ctx.set_stroke_style_str("rgba(20, 20, 30, 0.75)");
    let first_added = scene.train.len().saturating_sub(scene.added);
    let (generated, added) = scene.train.split_at(first_added);
    for &c in &order {
        ctx.set_fill_style_str(&class_css(c));
        for m in generated.iter().filter(|m| m.class == c) {
            let (x, y) = place(m);
            marks::dot(ctx, x, y, r)?;
        }
    }
    // Points the user added: squares with a heavier outline, on top of the generated ones.
    ctx.set_line_width(2.0 * dpr);
    ctx.set_stroke_style_str("rgba(17, 24, 39, 0.95)");
    for m in added {
        let (x, y) = place(m);
        ctx.set_fill_style_str(&class_css(m.class));
        marks::square(ctx, x, y, r);
    }
    ctx.set_line_width(1.0 * dpr);
    ctx.set_stroke_style_str("rgba(20, 20, 30, 0.75)");
    for &c in &order {
        ctx.set_fill_style_str(&class_css(c));
        for m in scene.synthetic.iter().filter(|m| m.class == c) {
            let (x, y) = place(m);
            marks::diamond(ctx, x, y, r);
        }
    }
    // Test rows: a dark halo under a coloured ring, readable on either tint.
    for &c in &order {
        let colour = class_css(c);
        for m in scene.test.iter().filter(|m| m.class == c) {
            let (x, y) = place(m);
            marks::ring(ctx, x, y, r, &colour, dpr)?;
        }
    }
    if let Some(internals) = scene.internals {
        draw_internals(ctx, scene, internals, &place, r, dpr)?;
    }
    Ok(())
}

/// The sampler's view of the training rows, over the points.
fn draw_internals(
    ctx: &CanvasRenderingContext2d,
    scene: &BoundaryScene,
    internals: &SamplerInternals,
    place: &dyn Fn(&Mark) -> (f64, f64),
    r: f64,
    dpr: f64,
) -> Result<(), JsValue> {
    let at = |i: usize| scene.train.get(i).map(place);
    // k-means clusters used for SMOTE: a ring in the cluster's hue.
    for (i, &cluster) in internals.cluster_of.iter().enumerate() {
        if !internals.kept_clusters.contains(&cluster) {
            continue;
        }
        let Some((x, y)) = at(i) else { continue };
        ctx.begin_path();
        ctx.arc(x, y, r * 1.9, 0.0, TAU)?;
        ctx.set_line_width(2.0 * dpr);
        ctx.set_stroke_style_str(&format!("hsl({}, 70%, 40%)", (cluster * 67) % 360));
        ctx.stroke();
    }
    // ADASYN: halo area proportional to the row's share of the synthetic rows.
    let max_share = internals.weights.iter().map(|w| w.1).fold(0.0f64, f64::max);
    if max_share > 0.0 {
        ctx.set_fill_style_str("rgba(17, 24, 39, 0.18)");
        for &(i, share) in &internals.weights {
            let Some((x, y)) = at(i) else { continue };
            let k = (share / max_share).sqrt();
            ctx.begin_path();
            ctx.arc(x, y, r * (1.2 + 3.5 * k), 0.0, TAU)?;
            ctx.fill();
        }
    }
    for &(i, role) in &internals.roles {
        let Some((x, y)) = at(i) else { continue };
        match role {
            PointRole::Danger => {
                ctx.begin_path();
                ctx.arc(x, y, r * 1.9, 0.0, TAU)?;
                ctx.set_line_width(2.5 * dpr);
                ctx.set_stroke_style_str("#d00000");
                ctx.stroke();
            }
            PointRole::Noise => cross(ctx, x, y, r * 1.6, "#111827", 2.5 * dpr),
            PointRole::Safe => {
                ctx.begin_path();
                ctx.arc(x, y, r * 1.7, 0.0, TAU)?;
                ctx.set_line_width(1.0 * dpr);
                ctx.set_stroke_style_str("#2e7d32");
                ctx.stroke();
            }
        }
    }
    for &i in &internals.support_vectors {
        let Some((x, y)) = at(i) else { continue };
        ctx.set_line_width(1.5 * dpr);
        ctx.set_stroke_style_str("#111827");
        ctx.stroke_rect(x - r * 1.6, y - r * 1.6, r * 3.2, r * 3.2);
    }
    for &i in &internals.removed {
        let Some((x, y)) = at(i) else { continue };
        cross(ctx, x, y, r * 1.3, "#d00000", 2.0 * dpr);
    }
    Ok(())
}

fn cross(ctx: &CanvasRenderingContext2d, x: f64, y: f64, d: f64, colour: &str, width: f64) {
    ctx.begin_path();
    ctx.move_to(x - d, y - d);
    ctx.line_to(x + d, y + d);
    ctx.move_to(x + d, y - d);
    ctx.line_to(x - d, y + d);
    ctx.set_line_width(width);
    ctx.set_stroke_style_str(colour);
    ctx.stroke();
}
