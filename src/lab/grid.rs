//! The decision grid: a coarse square lattice over the data's extent where the model's class
//! probabilities are evaluated each frame (TensorFlow Playground paints 100×100 and lets the
//! browser scale it up).

/// Cells per side of the grid evaluated each frame.
pub const GRID_SIZE: usize = 100;

/// Fraction of the larger data span added on every side, so points never sit on the edge.
const PADDING: f64 = 0.1;

/// A square view of the plane: `size × size` cells whose centres are the points evaluated.
///
/// Row 0 is the top of the picture (largest y), column 0 the left (smallest x).
#[derive(Clone, Debug, PartialEq)]
pub struct DecisionGrid {
    pub size: usize,
    pub x_min: f64,
    pub y_min: f64,
    /// Width and height of the square domain, in data units.
    pub span: f64,
    /// Cell centres, row-major `(x, y)` pairs as f32: the model's input.
    pub points: Vec<f32>,
}

impl DecisionGrid {
    /// A square domain around `bounds` (per-feature `(min, max)` of the first two features), padded,
    /// with equal scale on both axes so that shapes are not distorted.
    pub fn around(bounds: &[(f64, f64)], size: usize) -> Self {
        let (x0, x1) = bounds.first().copied().unwrap_or((-1.0, 1.0));
        let (y0, y1) = bounds.get(1).copied().unwrap_or((-1.0, 1.0));
        let span = (x1 - x0).max(y1 - y0);
        let span = if span.is_finite() && span > 0.0 {
            span
        } else {
            2.0
        };
        let padded = span * (1.0 + 2.0 * PADDING);
        let cx = 0.5 * (x0 + x1);
        let cy = 0.5 * (y0 + y1);
        let mut grid = DecisionGrid {
            size,
            x_min: cx - 0.5 * padded,
            y_min: cy - 0.5 * padded,
            span: padded,
            points: Vec::with_capacity(size * size * 2),
        };
        for row in 0..size {
            for col in 0..size {
                let (x, y) = grid.cell_centre(row, col);
                grid.points.push(x as f32);
                grid.points.push(y as f32);
            }
        }
        grid
    }

    /// Whether `(x, y)` lies inside the square domain.
    pub fn contains(&self, x: f64, y: f64) -> bool {
        let inside = |v: f64, lo: f64| v >= lo && v <= lo + self.span;
        inside(x, self.x_min) && inside(y, self.y_min)
    }

    fn cell_centre(&self, row: usize, col: usize) -> (f64, f64) {
        let step = self.span / self.size as f64;
        let x = self.x_min + (col as f64 + 0.5) * step;
        let y = self.y_min + self.span - (row as f64 + 0.5) * step;
        (x, y)
    }

    /// The plane's point at `[0, 1]²` picture coordinates (the inverse of [`Self::to_unit`]).
    pub fn plane_point(&self, u: f64, v: f64) -> (f64, f64) {
        (
            self.x_min + u * self.span,
            self.y_min + (1.0 - v) * self.span,
        )
    }

    /// Position of a data point in `[0, 1]²` picture coordinates (y downwards).
    pub fn to_unit(&self, x: f64, y: f64) -> (f64, f64) {
        (
            (x - self.x_min) / self.span,
            1.0 - (y - self.y_min) / self.span,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_is_square_padded_and_ordered_top_left_first() {
        let g = DecisionGrid::around(&[(0.0, 4.0), (0.0, 2.0)], 4);
        assert_eq!(g.points.len(), 32);
        assert!((g.span - 4.8).abs() < 1e-12);
        // First cell: left column, top row (centre of a 1.2-wide cell from (-0.4, 2.8)).
        let (x, y) = (g.points[0] as f64, g.points[1] as f64);
        assert!(
            (x - 0.2).abs() < 1e-6 && (y - 2.8).abs() < 1e-6,
            "({x}, {y})"
        );
        // Last cell: right column, bottom row.
        let (x, y) = (g.points[30] as f64, g.points[31] as f64);
        assert!(
            (x - 3.8).abs() < 1e-6 && (y + 0.8).abs() < 1e-6,
            "({x}, {y})"
        );
        // The data's extent maps inside the unit square, with y flipped.
        let (u, v) = g.to_unit(0.0, 0.0);
        assert!(u > 0.0 && u < 0.2 && v > 0.5 && v < 1.0, "({u}, {v})");
        let (x, y) = g.plane_point(u, v);
        assert!(x.abs() < 1e-12 && y.abs() < 1e-12, "({x}, {y})");
    }

    #[test]
    fn degenerate_bounds_still_give_a_usable_grid() {
        let g = DecisionGrid::around(&[(1.0, 1.0), (1.0, 1.0)], 2);
        assert!(g.span > 0.0);
        assert!(g.points.iter().all(|v| v.is_finite()));
    }
}
