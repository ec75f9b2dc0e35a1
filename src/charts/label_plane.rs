//! The multi-label plot: the plane with either one label's sigmoid (shaded by probability, the
//! decision rule's region outlined) and that label's positives, negatives and unknown entries, or
//! every point coloured by its label set over the predicted label set of each cell.

use imlab_engine::multilabel::{DecisionRule, LabelEntry};
use wasm_bindgen::JsValue;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use super::boundary::draw_decision_line;
use super::canvas::{context_2d, fit_to_css};
use super::marks;
use super::palette::{class_css, class_rgb};
use crate::lab::{DecisionGrid, MultilabelInternals, PlanePoint};

/// Which picture the plot shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlaneMode {
    /// One label's sigmoid and its entries.
    Label(usize),
    /// Each point by its label set; each cell by its predicted label set.
    LabelSets,
}

pub struct LabelPlaneScene<'a> {
    pub grid: &'a DecisionGrid,
    /// `cells × n_labels` probabilities (empty: the data is not a plane).
    pub probs: &'a [f64],
    pub n_labels: usize,
    pub rule: &'a DecisionRule,
    pub train: &'a [PlanePoint],
    /// Rows the sampler added (MLSMOTE's synthetic rows, ML-ROS clones): small diamonds.
    pub added: &'a [PlanePoint],
    pub mode: PlaneMode,
    /// The label sets that get their own colour, in colour order (the rest are grey).
    pub coloured_sets: &'a [Vec<usize>],
    /// Drawn when `Some` (the overlay toggle is on).
    pub internals: Option<&'a MultilabelInternals>,
}

/// Grey for label sets outside the coloured ones.
pub const OTHER_SET_RGB: [u8; 3] = [0x99, 0x99, 0x99];

/// Colour of a label set: its rank among `coloured_sets` in the class palette, else grey.
pub fn set_rgb(set: &[usize], coloured_sets: &[Vec<usize>]) -> [u8; 3] {
    coloured_sets
        .iter()
        .position(|s| s.as_slice() == set)
        .map_or(OTHER_SET_RGB, class_rgb)
}

fn css([r, g, b]: [u8; 3]) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

fn tint(rgb: [u8; 3], amount: f64) -> String {
    let mix = |c: u8| (255.0 + (f64::from(c) - 255.0) * amount.clamp(0.0, 1.0)).round() as u8;
    css([mix(rgb[0]), mix(rgb[1]), mix(rgb[2])])
}

pub fn draw_label_plane(
    canvas: &HtmlCanvasElement,
    scene: &LabelPlaneScene,
) -> Result<(), JsValue> {
    let (w, h, dpr) = fit_to_css(canvas);
    let ctx = context_2d(canvas)?;
    let (w, h) = (f64::from(w), f64::from(h));
    let n = scene.grid.size;
    let l = scene.n_labels.max(1);
    ctx.set_fill_style_str("#f7f7f9");
    ctx.fill_rect(0.0, 0.0, w, h);
    if scene.probs.len() == n * n * l {
        let decided = scene.rule.decide(scene.probs, l);
        let (cw, ch) = (w / n as f64, h / n as f64);
        // Cells overlap by a pixel so no seam shows between them.
        let pad = dpr.max(1.0);
        for cell in 0..n * n {
            let colour = match scene.mode {
                PlaneMode::Label(j) => tint(class_rgb(j), 0.05 + 0.5 * scene.probs[cell * l + j]),
                PlaneMode::LabelSets => {
                    let set: Vec<usize> = (0..l).filter(|&j| decided.bits[cell * l + j]).collect();
                    tint(set_rgb(&set, scene.coloured_sets), 0.35)
                }
            };
            ctx.set_fill_style_str(&colour);
            let (row, col) = (cell / n, cell % n);
            ctx.fill_rect(col as f64 * cw, row as f64 * ch, cw + pad, ch + pad);
        }
        if let PlaneMode::Label(j) = scene.mode {
            let region: Vec<u8> = (0..n * n)
                .map(|c| u8::from(decided.bits[c * l + j]))
                .collect();
            draw_decision_line(&ctx, &region, n, w, h, dpr);
        }
    }
    if let Some(i) = scene.internals {
        draw_internals(&ctx, scene.grid, i, w, h, dpr)?;
    }
    draw_points(&ctx, scene, w, h, dpr)
}

/// Under the points: removed rows as grey squares, MLSMOTE's segments (seed to neighbour) as thin
/// lines, cloned samples as a second ring.
fn draw_internals(
    ctx: &CanvasRenderingContext2d,
    grid: &DecisionGrid,
    i: &MultilabelInternals,
    w: f64,
    h: f64,
    dpr: f64,
) -> Result<(), JsValue> {
    let r = marks::radius(w, h, dpr);
    let place = |(x, y): (f64, f64)| {
        let (u, v) = grid.to_unit(x, y);
        (u * w, v * h)
    };
    ctx.set_stroke_style_str("rgba(107, 114, 128, 0.8)");
    ctx.set_line_width(dpr);
    for &p in &i.removed {
        let (x, y) = place(p);
        ctx.stroke_rect(x - r * 0.8, y - r * 0.8, r * 1.6, r * 1.6);
    }
    ctx.set_stroke_style_str("rgba(17, 24, 39, 0.45)");
    ctx.begin_path();
    for [a, _, b] in &i.segments {
        let ((ax, ay), (bx, by)) = (place(*a), place(*b));
        ctx.move_to(ax, ay);
        ctx.line_to(bx, by);
    }
    ctx.stroke();
    ctx.set_stroke_style_str("rgba(17, 24, 39, 0.85)");
    ctx.set_line_width(1.4 * dpr);
    for &(p, _) in &i.cloned {
        let (x, y) = place(p);
        ctx.begin_path();
        ctx.arc(x, y, r * 1.7, 0.0, std::f64::consts::TAU)?;
        ctx.stroke();
    }
    Ok(())
}

fn draw_points(
    ctx: &CanvasRenderingContext2d,
    scene: &LabelPlaneScene,
    w: f64,
    h: f64,
    dpr: f64,
) -> Result<(), JsValue> {
    let r = marks::radius(w, h, dpr);
    let place = |p: &PlanePoint| {
        let (u, v) = scene.grid.to_unit(p.x, p.y);
        (u * w, v * h)
    };
    ctx.set_line_width(dpr);
    match scene.mode {
        PlaneMode::Label(j) => {
            let entry = |p: &PlanePoint| p.entries.get(j).copied().unwrap_or(LabelEntry::Negative);
            // Negatives first, then unknowns, then positives on top: the rare positives stay visible.
            ctx.set_stroke_style_str("rgba(75, 85, 99, 0.55)");
            for p in scene
                .train
                .iter()
                .filter(|p| entry(p) == LabelEntry::Negative)
            {
                let (x, y) = place(p);
                ctx.begin_path();
                ctx.arc(x, y, r * 0.75, 0.0, std::f64::consts::TAU)?;
                ctx.stroke();
            }
            ctx.set_stroke_style_str("rgba(17, 24, 39, 0.9)");
            ctx.set_line_width(1.6 * dpr);
            for p in scene
                .train
                .iter()
                .filter(|p| entry(p) == LabelEntry::Unknown)
            {
                let (x, y) = place(p);
                let s = r * 0.8;
                ctx.begin_path();
                ctx.move_to(x - s, y - s);
                ctx.line_to(x + s, y + s);
                ctx.move_to(x + s, y - s);
                ctx.line_to(x - s, y + s);
                ctx.stroke();
            }
            ctx.set_line_width(dpr);
            ctx.set_fill_style_str(&class_css(j));
            ctx.set_stroke_style_str("rgba(20, 20, 30, 0.8)");
            for p in scene
                .train
                .iter()
                .filter(|p| entry(p) == LabelEntry::Positive)
            {
                let (x, y) = place(p);
                ctx.begin_path();
                ctx.arc(x, y, r, 0.0, std::f64::consts::TAU)?;
                ctx.fill();
                ctx.stroke();
            }
            for p in scene.added {
                let colour = if entry(p) == LabelEntry::Positive {
                    class_css(j)
                } else {
                    "rgba(75, 85, 99, 0.55)".to_string()
                };
                diamond(ctx, place(p), r * 0.8, &colour);
            }
        }
        PlaneMode::LabelSets => {
            ctx.set_stroke_style_str("rgba(20, 20, 30, 0.8)");
            for p in scene.train {
                let (x, y) = place(p);
                ctx.set_fill_style_str(&css(set_rgb(&p.positives(), scene.coloured_sets)));
                ctx.begin_path();
                ctx.arc(x, y, r, 0.0, std::f64::consts::TAU)?;
                ctx.fill();
                ctx.stroke();
                if p.has_unknown() {
                    // A white centre: some of this point's labels are not annotated.
                    ctx.set_fill_style_str("#ffffff");
                    ctx.begin_path();
                    ctx.arc(x, y, r * 0.4, 0.0, std::f64::consts::TAU)?;
                    ctx.fill();
                }
            }
            for p in scene.added {
                diamond(
                    ctx,
                    place(p),
                    r * 0.8,
                    &css(set_rgb(&p.positives(), scene.coloured_sets)),
                );
            }
        }
    }
    Ok(())
}

fn diamond(ctx: &CanvasRenderingContext2d, (x, y): (f64, f64), s: f64, stroke: &str) {
    ctx.set_stroke_style_str(stroke);
    ctx.begin_path();
    ctx.move_to(x, y - s);
    ctx.line_to(x + s, y);
    ctx.line_to(x, y + s);
    ctx.line_to(x - s, y);
    ctx.close_path();
    ctx.stroke();
}
