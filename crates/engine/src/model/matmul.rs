//! The MLP's dense products on the CPU path, computed in register tiles.
//!
//! Determinism: every output element is `((0 + a_0·b_0) + a_1·b_1) + …`, products in ascending order
//! of the summed index, whatever the tile shape and whatever the target. A tile only decides which
//! independent outputs are computed together (so that the compiler can put neighbouring columns in
//! one SIMD register); it never splits or reorders one element's sum. Rust never contracts `a * b + c`
//! into a fused multiply-add, and nothing here depends on run-time CPU features, so x86_64 (SSE2),
//! wasm32 (scalar or simd128) and every other target give the same bits.
//!
//! Why tiles: the naive row-by-row loop re-loads and re-stores its output row for every term of the
//! sum; a tile of `MR × NR` outputs stays in registers for the whole sum and is written once.

/// A row-major matrix view: row `r` starts at `data[r * stride]`.
#[derive(Clone, Copy, Debug)]
pub struct Rows<'a> {
    pub data: &'a [f32],
    pub stride: usize,
}

impl<'a> Rows<'a> {
    pub fn new(data: &'a [f32], stride: usize) -> Self {
        Rows { data, stride }
    }

    #[inline(always)]
    fn run<const N: usize>(&self, row: usize, col: usize) -> &'a [f32; N] {
        self.data[row * self.stride + col..][..N]
            .try_into()
            .expect("slice of length N")
    }
}

/// `C = A · B` with `A` m × depth and `B` depth × n, both row-major; element `(r, c)` is
/// `Σ_t A[r][t] · B[t][c]`, ascending `t`. Each finished run of a row, `C[r][c0..c0 + len]`, is handed
/// to `out(r, c0, values)` (the caller's epilogue: bias, activation, store).
pub fn product(
    a: Rows,
    b: Rows,
    m: usize,
    n: usize,
    depth: usize,
    out: &mut impl FnMut(usize, usize, &[f32]),
) {
    tile_grid(&Product { a, b, depth }, m, n, out);
}

/// `C = Aᵀ · B` with `A` depth × m and `B` depth × n, both row-major; element `(r, c)` is
/// `Σ_t A[t][r] · B[t][c]`, ascending `t` (weight gradients: a sum over the batch rows).
pub fn transposed_product(
    a: Rows,
    b: Rows,
    m: usize,
    n: usize,
    depth: usize,
    out: &mut impl FnMut(usize, usize, &[f32]),
) {
    tile_grid(&TransposedProduct { a, b, depth }, m, n, out);
}

/// `s[c] = Σ_t B[t][c]`, ascending `t` (bias gradients).
#[allow(clippy::needless_range_loop)] // see `Product::tile`
pub fn column_sums(b: Rows, n: usize, depth: usize, out: &mut [f32]) {
    const NR: usize = 16;
    let mut c0 = 0;
    while c0 < n {
        let nr = NR.min(n - c0);
        let mut acc = [0.0f32; NR];
        if nr == NR {
            for t in 0..depth {
                let bt = b.run::<NR>(t, c0);
                for c in 0..NR {
                    acc[c] += bt[c];
                }
            }
        } else {
            for t in 0..depth {
                let bt = &b.data[t * b.stride + c0..][..nr];
                for (s, &v) in acc.iter_mut().zip(bt) {
                    *s += v;
                }
            }
        }
        out[c0..c0 + nr].copy_from_slice(&acc[..nr]);
        c0 += nr;
    }
}

/// One full `MR × NR` tile of a product: the sums of rows `r0..r0+MR`, columns `c0..c0+NR`.
trait Tile {
    fn tile<const MR: usize, const NR: usize>(&self, r0: usize, c0: usize) -> [[f32; NR]; MR];
}

struct Product<'a> {
    a: Rows<'a>,
    b: Rows<'a>,
    depth: usize,
}

impl Tile for Product<'_> {
    #[inline(always)]
    fn tile<const MR: usize, const NR: usize>(&self, r0: usize, c0: usize) -> [[f32; NR]; MR] {
        let depth = self.depth;
        let arows: [&[f32]; MR] =
            std::array::from_fn(|r| &self.a.data[(r0 + r) * self.a.stride..][..depth]);
        let a_at = |t: usize| -> [f32; MR] { std::array::from_fn(|r| arows[r][t]) };
        let mut acc = [[0.0f32; NR]; MR];
        let b = self.b;
        // Two terms per trip: half the loop overhead; each element still adds t, then t + 1.
        let mut t = 0;
        while t + 2 <= depth {
            add_outer(&mut acc, &a_at(t), b.run::<NR>(t, c0));
            add_outer(&mut acc, &a_at(t + 1), b.run::<NR>(t + 1, c0));
            t += 2;
        }
        if t < depth {
            add_outer(&mut acc, &a_at(t), b.run::<NR>(t, c0));
        }
        acc
    }
}

struct TransposedProduct<'a> {
    a: Rows<'a>,
    b: Rows<'a>,
    depth: usize,
}

impl Tile for TransposedProduct<'_> {
    #[inline(always)]
    fn tile<const MR: usize, const NR: usize>(&self, r0: usize, c0: usize) -> [[f32; NR]; MR] {
        let (a, b, depth) = (self.a, self.b, self.depth);
        let mut acc = [[0.0f32; NR]; MR];
        for t in 0..depth {
            add_outer(&mut acc, a.run::<MR>(t, r0), b.run::<NR>(t, c0));
        }
        acc
    }
}

/// `acc[r][c] += a[r] · b[c]`: one term of every sum in the tile.
#[inline(always)]
fn add_outer<const MR: usize, const NR: usize>(
    acc: &mut [[f32; NR]; MR],
    a: &[f32; MR],
    b: &[f32; NR],
) {
    for (row, &x) in acc.iter_mut().zip(a) {
        for (s, &y) in row.iter_mut().zip(b) {
            *s += x * y;
        }
    }
}

/// Covers the m × n output with tiles of up to 32 accumulators (8 SIMD registers of 4: enough
/// independent sums to hide the adder's latency, few enough to stay in x86_64's 16 registers): rows
/// in blocks of 4, 2, then 1 with correspondingly wider column runs; the last (fewer than 4) columns
/// with as many rows as fit. Every tile has compile-time sizes, so the accumulators never leave
/// the registers.
fn tile_grid<K: Tile>(k: &K, m: usize, n: usize, out: &mut impl FnMut(usize, usize, &[f32])) {
    let mut r0 = 0;
    while r0 < m {
        let left = m - r0;
        let mr = match left {
            8.. if n < 4 => row_block::<K, 8, 4>(k, r0, n, out),
            4.. if n < 16 => row_block::<K, 4, 8>(k, r0, n, out),
            2.. => row_block::<K, 2, 16>(k, r0, n, out),
            _ => row_block::<K, 1, 32>(k, r0, n, out),
        };
        r0 += mr;
    }
}

/// Rows `r0..r0+MR`: `NR` columns at a time, then 4, then the rest; returns `MR`.
#[inline(always)]
fn row_block<K: Tile, const MR: usize, const NR: usize>(
    k: &K,
    r0: usize,
    n: usize,
    out: &mut impl FnMut(usize, usize, &[f32]),
) -> usize {
    let mut c0 = 0;
    while c0 + NR <= n {
        emit(k.tile::<MR, NR>(r0, c0), r0, c0, out);
        c0 += NR;
    }
    while c0 + 4 <= n {
        emit(k.tile::<MR, 4>(r0, c0), r0, c0, out);
        c0 += 4;
    }
    match n - c0 {
        1 => emit(k.tile::<MR, 1>(r0, c0), r0, c0, out),
        2 => emit(k.tile::<MR, 2>(r0, c0), r0, c0, out),
        3 => emit(k.tile::<MR, 3>(r0, c0), r0, c0, out),
        _ => {}
    }
    MR
}

#[inline(always)]
fn emit<const MR: usize, const NR: usize>(
    acc: [[f32; NR]; MR],
    r0: usize,
    c0: usize,
    out: &mut impl FnMut(usize, usize, &[f32]),
) {
    for (r, row) in acc.iter().enumerate() {
        out(r0 + r, c0, row);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(a: &[f32], b: &[f32], m: usize, n: usize, depth: usize) -> Vec<f32> {
        let mut c = vec![0.0f32; m * n];
        for r in 0..m {
            for j in 0..n {
                let mut s = 0.0f32;
                for t in 0..depth {
                    s += a[r * depth + t] * b[t * n + j];
                }
                c[r * n + j] = s;
            }
        }
        c
    }

    fn values(len: usize, seed: u32) -> Vec<f32> {
        // Irregular values so that any change of summation order changes the rounding.
        (0..len)
            .map(|i| {
                let x = (i as u32).wrapping_mul(2_654_435_761).wrapping_add(seed) >> 8;
                (x as f32 / (1u32 << 24) as f32 - 0.5) * 3.7
            })
            .collect()
    }

    #[test]
    fn tiles_match_the_naive_order_bit_for_bit() {
        for &(m, n, depth) in &[
            (1, 1, 1),
            (7, 2, 33),
            (9, 5, 3),
            (13, 32, 2),
            (256, 32, 32),
            (5, 17, 40),
            (31, 3, 8),
            (2, 32, 256),
            (3, 40, 5),
            (6, 64, 7),
        ] {
            let a = values(m * depth, 1);
            let b = values(depth * n, 2);
            let want = naive(&a, &b, m, n, depth);
            let mut got = vec![f32::NAN; m * n];
            product(
                Rows::new(&a, depth),
                Rows::new(&b, n),
                m,
                n,
                depth,
                &mut |r, c0, v: &[f32]| got[r * n + c0..r * n + c0 + v.len()].copy_from_slice(v),
            );
            assert_eq!(
                got.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
                want.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
                "product {m}×{depth}·{depth}×{n}"
            );
            // Aᵀ·B with A stored depth × m.
            let mut at = vec![0.0f32; depth * m];
            for r in 0..m {
                for t in 0..depth {
                    at[t * m + r] = a[r * depth + t];
                }
            }
            let mut got_t = vec![f32::NAN; m * n];
            transposed_product(
                Rows::new(&at, m),
                Rows::new(&b, n),
                m,
                n,
                depth,
                &mut |r, c0, v: &[f32]| got_t[r * n + c0..r * n + c0 + v.len()].copy_from_slice(v),
            );
            assert_eq!(
                got_t.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
                want.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
                "transposed product {m}×{depth}·{depth}×{n}"
            );
            let mut sums = vec![f32::NAN; n];
            column_sums(Rows::new(&b, n), n, depth, &mut sums);
            for (j, s) in sums.iter().enumerate() {
                let mut want = 0.0f32;
                for t in 0..depth {
                    want += b[t * n + j];
                }
                assert_eq!(s.to_bits(), want.to_bits(), "column sum {j}");
            }
        }
    }
}
