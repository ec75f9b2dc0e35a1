//! The decision-boundary picture: the model's class probabilities on the coarse grid, scaled up
//! with smoothing, and the data on top (training rows as filled dots, test rows as rings, synthetic
//! rows as small diamonds). The grid is repainted every frame; the points only when the data or the
//! canvas size changes, from a cached layer.

use std::f64::consts::TAU;

use wasm_bindgen::{Clamped, JsValue};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};

use super::canvas::{context_2d, fit_to_css, offscreen};
use super::palette::{class_css, fill_rgba};
use crate::lab::{DecisionGrid, Mark};

/// Everything the picture shows.
pub struct BoundaryScene<'a> {
    pub grid: &'a DecisionGrid,
    /// `cells × n_classes` probabilities, row-major like `grid.points`.
    pub probs: &'a [f32],
    pub n_classes: usize,
    pub train: &'a [Mark],
    pub test: &'a [Mark],
    pub synthetic: &'a [Mark],
    /// Changes whenever the marks change, so the cached point layer is redrawn.
    pub data_key: u64,
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
        let cells = self.paint_cells(scene)?;
        ctx.set_image_smoothing_enabled(true);
        ctx.draw_image_with_html_canvas_element_and_dw_and_dh(cells, 0.0, 0.0, w as f64, h as f64)?;
        let layer = self.point_layer(scene, w, h, dpr)?;
        ctx.draw_image_with_html_canvas_element(layer, 0.0, 0.0)?;
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

fn draw_marks(
    ctx: &CanvasRenderingContext2d,
    scene: &BoundaryScene,
    w: f64,
    h: f64,
    dpr: f64,
) -> Result<(), JsValue> {
    let r = (w.min(h) / 150.0).clamp(2.5 * dpr, 7.0 * dpr);
    let place = |m: &Mark| {
        let (u, v) = scene.grid.to_unit(m.x, m.y);
        (u * w, v * h)
    };
    // Rarer classes last, so minority points are never buried under the majority.
    let order = classes_by_frequency(scene.train, scene.n_classes);
    ctx.set_line_width(1.0 * dpr);
    ctx.set_stroke_style_str("rgba(20, 20, 30, 0.75)");
    for &c in &order {
        ctx.set_fill_style_str(&class_css(c));
        for m in scene.train.iter().filter(|m| m.class == c) {
            let (x, y) = place(m);
            ctx.begin_path();
            ctx.arc(x, y, r, 0.0, TAU)?;
            ctx.fill();
            ctx.stroke();
        }
    }
    for &c in &order {
        ctx.set_fill_style_str(&class_css(c));
        for m in scene.synthetic.iter().filter(|m| m.class == c) {
            let (x, y) = place(m);
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
    }
    // Test rows: a dark halo under a coloured ring, readable on either tint.
    for &c in &order {
        let colour = class_css(c);
        for m in scene.test.iter().filter(|m| m.class == c) {
            let (x, y) = place(m);
            ctx.begin_path();
            ctx.arc(x, y, r * 1.25, 0.0, TAU)?;
            ctx.set_line_width(3.6 * dpr);
            ctx.set_stroke_style_str("rgba(20, 20, 30, 0.8)");
            ctx.stroke();
            ctx.set_line_width(2.0 * dpr);
            ctx.set_stroke_style_str(&colour);
            ctx.stroke();
        }
    }
    Ok(())
}

/// Class indices, most frequent first.
fn classes_by_frequency(marks: &[Mark], n_classes: usize) -> Vec<usize> {
    let mut counts = vec![0usize; n_classes];
    for m in marks {
        if let Some(c) = counts.get_mut(m.class) {
            *c += 1;
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
        let m = |class| Mark {
            x: 0.0,
            y: 0.0,
            class,
        };
        let marks = [m(1), m(0), m(0), m(2), m(0), m(2)];
        assert_eq!(classes_by_frequency(&marks, 3), vec![0, 2, 1]);
    }
}
