//! Colours. Classes use the Okabe–Ito palette (Okabe & Ito 2008, "Color Universal Design"), which
//! stays distinguishable under the common colour-vision deficiencies; class 0 (usually the majority)
//! is blue and class 1 orange, the pair with the most contrast for every type.

/// Okabe–Ito colours in the order classes get them, then two more (brown, grey) so that up to ten
/// classes — the most any dataset here has — each get their own colour.
pub const CLASS_RGB: [[u8; 3]; 10] = [
    [0x00, 0x72, 0xB2], // blue
    [0xE6, 0x9F, 0x00], // orange
    [0x00, 0x9E, 0x73], // bluish green
    [0xCC, 0x79, 0xA7], // reddish purple
    [0x56, 0xB4, 0xE9], // sky blue
    [0xD5, 0x5E, 0x00], // vermillion
    [0xF0, 0xE4, 0x42], // yellow
    [0x00, 0x00, 0x00], // black
    [0x8C, 0x56, 0x2D], // brown
    [0x99, 0x99, 0x99], // grey
];

/// How strongly the most confident cells are tinted: light enough for the points to stay visible.
const MAX_TINT: f32 = 0.55;
/// Tint of a cell where the classes are tied, so the boundary reads as a pale band.
const MIN_TINT: f32 = 0.04;

pub fn class_rgb(class: usize) -> [u8; 3] {
    CLASS_RGB[class % CLASS_RGB.len()]
}

/// CSS colour of a class, e.g. `#0072b2`.
pub fn class_css(class: usize) -> String {
    let [r, g, b] = class_rgb(class);
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// Colour of one grid cell from its class probabilities: the probability-weighted mix of the class
/// colours, faded towards white as the model becomes less sure (1/K, a tie, is almost white).
pub fn cell_rgb(probs: &[f32]) -> [u8; 3] {
    let k = probs.len().max(1);
    let mut mix = [0.0f32; 3];
    let mut top = 0.0f32;
    for (c, &p) in probs.iter().enumerate() {
        let p = if p.is_finite() {
            p.clamp(0.0, 1.0)
        } else {
            0.0
        };
        top = top.max(p);
        for (m, &v) in mix.iter_mut().zip(&class_rgb(c)) {
            *m += p * f32::from(v);
        }
    }
    let chance = 1.0 / k as f32;
    let confidence = if k > 1 {
        ((top - chance) / (1.0 - chance)).clamp(0.0, 1.0)
    } else {
        1.0
    };
    let tint = MIN_TINT + (MAX_TINT - MIN_TINT) * confidence;
    mix.map(|m| (255.0 * (1.0 - tint) + m * tint).round().clamp(0.0, 255.0) as u8)
}

/// RGBA bytes for a whole grid (`probs` is `cells × k`), written into `out`.
pub fn fill_rgba(probs: &[f32], k: usize, out: &mut Vec<u8>) {
    out.clear();
    for row in probs.chunks(k.max(1)) {
        let [r, g, b] = cell_rgb(row);
        out.extend_from_slice(&[r, g, b, 255]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confident_cells_take_their_class_hue_and_ties_are_pale() {
        let blue = cell_rgb(&[1.0, 0.0]);
        let orange = cell_rgb(&[0.0, 1.0]);
        let tie = cell_rgb(&[0.5, 0.5]);
        assert!(blue[2] > blue[0], "{blue:?}");
        assert!(orange[0] > orange[2], "{orange:?}");
        assert!(tie.iter().all(|&v| v > 240), "{tie:?}");
    }

    #[test]
    fn rgba_has_four_bytes_per_cell() {
        let mut out = Vec::new();
        fill_rgba(&[0.2, 0.8, 0.9, 0.1, f32::NAN, 0.5], 2, &mut out);
        assert_eq!(out.len(), 12);
        assert!(out.chunks(4).all(|px| px[3] == 255));
    }

    #[test]
    fn css_names() {
        assert_eq!(class_css(0), "#0072b2");
        assert_eq!(class_css(9), "#999999");
        assert_eq!(class_css(11), "#e69f00");
        // Ten distinct colours.
        let mut all: Vec<String> = (0..10).map(class_css).collect();
        all.dedup();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), 10);
    }
}
