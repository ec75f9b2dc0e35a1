//! The brute force for many rows in higher dimension, made fast without changing its answer: a
//! single-precision pass with fused multiply-adds (`‖q‖² + ‖x‖² − 2 q·x`, 16 rows per AVX-512
//! register) only *short-lists* candidates, and the exact f64 distance of [`super::sq_dist`] ranks
//! them.
//!
//! Why the short list is never short of a true neighbour: for every (query, row) pair the
//! single-precision value ŝ has a proven error bound, which gives an interval [lo(ŝ), hi(ŝ)]
//! certain to contain the exact f64 distance s. Let H be the k-th smallest `hi` among the rows
//! short-listed so far; the k rows behind it are at most H away, so the k-th nearest distance A_k
//! ≤ H, and any row with lo > H is strictly farther than A_k — it cannot be a neighbour, not even
//! through the lower-index tie rule. A row is short-listed when lo(ŝ) ≤ H (checked as ŝ ≤ τ(H));
//! H only decreases, so each row is judged against an H no smaller than the final one. The exact
//! top-k of the short list is then the exact top-k of all rows.
//!
//! The bound (u = 2⁻²⁴, values converted to f32 with |x̃ − x| ≤ u|x|):
//! * conversion: |√s̃ − √s_real| ≤ u(‖q‖ + ‖x‖) =: E, with s̃ = ‖q̃ − x̃‖²;
//! * arithmetic: the norms and the dot product are d-term sums and ŝ adds two more roundings, so
//!   |ŝ − s̃| ≤ (2d + 3)·u·(‖q̃‖² + ‖x̃‖²) to first order; we use (2d + 32)·u·1.01·(‖q‖² + max‖x‖²) =: c;
//! * the f64 ranking value: |s − s_real| ≤ (d + 2)·2⁻⁵³·s.
//!
//! so lo = (√max(0, ŝ − c) − E)₊²·(1 − γ) and hi = (√(ŝ + c) + E)²·(1 + γ). The bound needs every
//! product and sum to stay in f32's normal range, so the pass is only used when every value is
//! finite and every non-zero |x| lies in [1e-15, 1e15]; otherwise the exact kernel runs alone.

use super::TopK;

/// Rows per f32 panel (one AVX-512 register of f32).
pub(super) const LANES32: usize = 16;
/// Queries handled together by the generic kernel.
const CHUNK: usize = 128;
/// Panels per tile (about 80 KB of fitted rows at 20 features: stays in L2).
const TILE: usize = 64;
/// f32's unit roundoff.
const U: f64 = 1.0 / 16_777_216.0;

/// The fitted rows in f32 panels (feature `f` of row `p·16 + l` at `(p·d + f)·16 + l`), their f32
/// squared norms (padding rows: +inf, never short-listed), and what the error bound needs.
pub(super) struct Panels32 {
    data: Vec<f32>,
    norms: Vec<f32>,
    /// Largest f64 squared norm of a fitted row.
    max_norm2: f64,
}

/// Whether the f32 bound holds for these values (see the module doc).
pub(super) fn in_range(values: &[f64]) -> bool {
    values
        .iter()
        .all(|&v| v == 0.0 || (v.is_finite() && (1e-15..=1e15).contains(&v.abs())))
}

impl Panels32 {
    pub(super) fn new(fit: &[f64], d: usize, n: usize) -> Panels32 {
        let n_panels = n.div_ceil(LANES32);
        let mut data = vec![0.0f32; n_panels * d * LANES32];
        let mut norms = vec![f32::INFINITY; n_panels * LANES32];
        let mut max_norm2 = 0.0f64;
        for (j, row) in fit.chunks_exact(d).enumerate() {
            let (p, l) = (j / LANES32, j % LANES32);
            let mut n32 = 0.0f32;
            let mut n64 = 0.0f64;
            for (f, &v) in row.iter().enumerate() {
                let v32 = v as f32;
                data[(p * d + f) * LANES32 + l] = v32;
                n32 += v32 * v32;
                n64 += v * v;
            }
            norms[j] = n32;
            max_norm2 = max_norm2.max(n64);
        }
        Panels32 {
            data,
            norms,
            max_norm2,
        }
    }
}

/// Per-query state of the filtered scan.
struct Query {
    /// ‖q̃‖² in f32, as the kernel combines it.
    norm32: f32,
    /// c and E of the module doc for this query (worst case over the fitted rows).
    slack: f64,
    conv: f64,
    /// Smallest `hi` values so far, ascending (at most k).
    his: Vec<f64>,
    /// Short-list threshold on ŝ (f32, rounded up).
    tau: f32,
    /// Short-listed rows.
    cands: Vec<usize>,
}

impl Query {
    fn new(q: &[f64], max_norm2: f64, k: usize) -> Query {
        let mut norm32 = 0.0f32;
        for &v in q {
            let v32 = v as f32;
            norm32 += v32 * v32;
        }
        let (slack, conv) = row_bound(q, max_norm2);
        Query {
            norm32,
            slack,
            conv,
            his: Vec::with_capacity(k + 1),
            tau: f32::INFINITY,
            cands: Vec::with_capacity(4 * k + 16),
        }
    }

    /// Records a short-listed row with single-precision distance `s`, tightening τ.
    fn accept(&mut self, s: f32, j: usize, k: usize, gamma: f64) {
        self.cands.push(j);
        if let Some(tau) = tighten(&mut self.his, k, s, self.slack, self.conv, gamma) {
            self.tau = tau;
        }
    }
}

/// Adds hi(`s`) to the ascending list `his` of the k smallest; once k are held, returns the new
/// short-list threshold τ(H) on ŝ (module doc), rounded up to f32.
fn tighten(his: &mut Vec<f64>, k: usize, s: f32, slack: f64, conv: f64, gamma: f64) -> Option<f32> {
    let root = (f64::from(s) + slack).sqrt() + conv;
    let hi = root * root * (1.0 + gamma);
    if his.len() == k && hi >= his[k - 1] {
        return None;
    }
    let pos = his.partition_point(|&h| h < hi);
    his.insert(pos, hi);
    his.truncate(k);
    if his.len() < k {
        return None;
    }
    // Largest ŝ whose lo can still be ≤ H: lo(ŝ) ≤ H ⟺ ŝ ≤ (√(H/(1−γ)) + E)² + c.
    let root = (his[k - 1] / (1.0 - gamma)).sqrt() + conv;
    let tau = (root * root + slack) * (1.0 + 1e-9);
    // Rounded to nearest f32, then up by far more than half an f32 ulp.
    Some((tau * (1.0 + 1e-6)) as f32)
}

/// The bound's per-row constants (c and E of the module doc) for `row`.
fn row_bound(row: &[f64], max_norm2: f64) -> (f64, f64) {
    let d = row.len() as f64;
    let n64: f64 = row.iter().map(|v| v * v).sum();
    (
        (2.0 * d + 32.0) * U * 1.01 * (n64 + max_norm2),
        U * 1.0001 * (n64.sqrt() + max_norm2.sqrt()),
    )
}

/// Single-precision ŝ of `QB` queries (`qt`: feature-major, `QB` values per feature) against the
/// `LANES32` rows of one panel, or `None` when none of them falls under its query's τ. Portable
/// version (tests): the x86 kernels below compute the same values with explicit vectors.
#[inline(always)]
fn score_portable<const QB: usize>(
    panel: &[f32],
    norms: &[f32],
    qt: &[f32],
    nq: &[f32; QB],
    tau: &[f32; QB],
    lane_tau: &[f32; LANES32],
    d: usize,
) -> Option<[[f32; LANES32]; QB]> {
    let mut acc = [[0.0f32; LANES32]; QB];
    for (p, x) in panel.chunks_exact(LANES32).zip(qt.chunks_exact(QB)).take(d) {
        for (a, &xi) in acc.iter_mut().zip(x) {
            for (s, &y) in a.iter_mut().zip(p) {
                *s = xi.mul_add(y, *s);
            }
        }
    }
    let mut any = false;
    for ((a, &n), &t) in acc.iter_mut().zip(nq).zip(tau) {
        for ((s, &nx), &lt) in a.iter_mut().zip(norms).zip(lane_tau) {
            *s = (n + nx) - (*s + *s);
            any |= *s <= t || *s <= lt;
        }
    }
    any.then_some(acc)
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    //! The kernel with explicit AVX-512 / AVX2 vectors (the auto-vectoriser turned the portable
    //! loops into gathers here). Same arithmetic as `score_portable`.
    use std::arch::x86_64::*;

    use super::LANES32;

    /// # Safety
    /// Only to be inlined into a function compiled with AVX-512F and FMA enabled (so running on a
    /// CPU that has them).
    #[inline(always)]
    pub(super) unsafe fn score_avx512<const QB: usize>(
        panel: &[f32],
        norms: &[f32],
        qt: &[f32],
        nq: &[f32; QB],
        tau: &[f32; QB],
        lane_tau: &[f32; LANES32],
        d: usize,
    ) -> Option<[[f32; LANES32]; QB]> {
        assert!(panel.len() >= d * LANES32 && norms.len() >= LANES32 && qt.len() >= d * QB);
        let mut acc = [_mm512_setzero_ps(); QB];
        for f in 0..d {
            // SAFETY: f·16 + 16 ≤ panel.len() (asserted above).
            let p = unsafe { _mm512_loadu_ps(panel.as_ptr().add(f * LANES32)) };
            let x = &qt[f * QB..(f + 1) * QB];
            for (a, &xi) in acc.iter_mut().zip(x) {
                *a = _mm512_fmadd_ps(_mm512_set1_ps(xi), p, *a);
            }
        }
        // SAFETY: norms.len() ≥ 16 (asserted above).
        let nx = unsafe { _mm512_loadu_ps(norms.as_ptr()) };
        // SAFETY: `lane_tau` holds exactly 16 f32.
        let lt = unsafe { _mm512_loadu_ps(lane_tau.as_ptr()) };
        let mut mask = 0u16;
        for ((a, &n), &t) in acc.iter_mut().zip(nq).zip(tau) {
            *a = _mm512_sub_ps(_mm512_add_ps(_mm512_set1_ps(n), nx), _mm512_add_ps(*a, *a));
            mask |= _mm512_cmp_ps_mask::<_CMP_LE_OQ>(*a, _mm512_set1_ps(t));
            mask |= _mm512_cmp_ps_mask::<_CMP_LE_OQ>(*a, lt);
        }
        if mask == 0 {
            return None;
        }
        let mut out = [[0.0f32; LANES32]; QB];
        for (o, a) in out.iter_mut().zip(&acc) {
            // SAFETY: `o` holds exactly 16 f32.
            unsafe { _mm512_storeu_ps(o.as_mut_ptr(), *a) };
        }
        Some(out)
    }

    /// # Safety
    /// Only to be inlined into a function compiled with AVX2 and FMA enabled.
    #[inline(always)]
    pub(super) unsafe fn score_avx2<const QB: usize>(
        panel: &[f32],
        norms: &[f32],
        qt: &[f32],
        nq: &[f32; QB],
        tau: &[f32; QB],
        lane_tau: &[f32; LANES32],
        d: usize,
    ) -> Option<[[f32; LANES32]; QB]> {
        assert!(panel.len() >= d * LANES32 && norms.len() >= LANES32 && qt.len() >= d * QB);
        let mut acc = [[_mm256_setzero_ps(); 2]; QB];
        for f in 0..d {
            // SAFETY: f·16 + 16 ≤ panel.len() (asserted above).
            let (p0, p1) = unsafe {
                let at = panel.as_ptr().add(f * LANES32);
                (_mm256_loadu_ps(at), _mm256_loadu_ps(at.add(8)))
            };
            let x = &qt[f * QB..(f + 1) * QB];
            for (a, &xi) in acc.iter_mut().zip(x) {
                let b = _mm256_set1_ps(xi);
                a[0] = _mm256_fmadd_ps(b, p0, a[0]);
                a[1] = _mm256_fmadd_ps(b, p1, a[1]);
            }
        }
        // SAFETY: norms.len() ≥ 16 (asserted above).
        let nx = unsafe {
            [
                _mm256_loadu_ps(norms.as_ptr()),
                _mm256_loadu_ps(norms.as_ptr().add(8)),
            ]
        };
        // SAFETY: `lane_tau` holds exactly 16 f32.
        let lt = unsafe {
            [
                _mm256_loadu_ps(lane_tau.as_ptr()),
                _mm256_loadu_ps(lane_tau.as_ptr().add(8)),
            ]
        };
        let mut mask = 0i32;
        for ((a, &n), &t) in acc.iter_mut().zip(nq).zip(tau) {
            for ((h, &x), &l) in a.iter_mut().zip(&nx).zip(&lt) {
                *h = _mm256_sub_ps(_mm256_add_ps(_mm256_set1_ps(n), x), _mm256_add_ps(*h, *h));
                mask |= _mm256_movemask_ps(_mm256_cmp_ps::<_CMP_LE_OQ>(*h, _mm256_set1_ps(t)));
                mask |= _mm256_movemask_ps(_mm256_cmp_ps::<_CMP_LE_OQ>(*h, l));
            }
        }
        if mask == 0 {
            return None;
        }
        let mut out = [[0.0f32; LANES32]; QB];
        for (o, a) in out.iter_mut().zip(&acc) {
            // SAFETY: `o` holds exactly 16 f32, written as two halves of 8.
            unsafe {
                _mm256_storeu_ps(o.as_mut_ptr(), a[0]);
                _mm256_storeu_ps(o.as_mut_ptr().add(8), a[1]);
            }
        }
        Some(out)
    }
}

/// A panel kernel: `(panel, its norms, QB queries feature-major, their norms, their τ, the
/// panel rows' own τ (self-join; −inf otherwise), d)` → ŝ if any is under either τ.
trait Score<const QB: usize>:
    Fn(
    &[f32],
    &[f32],
    &[f32],
    &[f32; QB],
    &[f32; QB],
    &[f32; LANES32],
    usize,
) -> Option<[[f32; LANES32]; QB]>
{
}

impl<const QB: usize, F> Score<QB> for F where
    F: Fn(
        &[f32],
        &[f32],
        &[f32],
        &[f32; QB],
        &[f32; QB],
        &[f32; LANES32],
        usize,
    ) -> Option<[[f32; LANES32]; QB]>
{
}

/// Lane thresholds that never short-list (plain queries: the panel rows are not queries).
const NO_LANES: [f32; LANES32] = [f32::NEG_INFINITY; LANES32];

/// `k` nearest of the `n` fitted rows for the queries of `query` (row-major), into `out`:
/// the f32 short list, then exact f64 ranking of it. `QB` queries share a kernel call.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn chunk_body<const QB: usize, S>(
    score: S,
    panels: &Panels32,
    fit: &[f64],
    n: usize,
    d: usize,
    query: &[f64],
    k: usize,
    out: &mut [usize],
) where
    S: Score<QB>,
{
    let gamma = (d as f64 + 2.0) * 1.01 / 9_007_199_254_740_992.0 + 1e-13;
    let nq = query.len() / d;
    let padded = nq.div_ceil(QB) * QB;
    let mut qs: Vec<Query> = query
        .chunks_exact(d)
        .map(|q| Query::new(q, panels.max_norm2, k))
        .collect();
    // Padding queries never short-list anything (τ = −inf).
    for _ in nq..padded {
        let mut pad = Query::new(&query[..d], panels.max_norm2, k);
        pad.tau = f32::NEG_INFINITY;
        qs.push(pad);
    }
    // Each block of QB queries transposed to feature-major order for the kernel.
    let mut q32 = vec![0.0f32; padded * d];
    for (i, q) in query.chunks_exact(d).enumerate() {
        let (b, r) = (i / QB, i % QB);
        for (f, &v) in q.iter().enumerate() {
            q32[b * QB * d + f * QB + r] = v as f32;
        }
    }
    let n_panels = n.div_ceil(LANES32);
    let panel_len = d * LANES32;
    for tile in (0..n_panels).step_by(TILE) {
        let tile_end = (tile + TILE).min(n_panels);
        for (qblock, block) in q32.chunks_exact(QB * d).zip(qs.chunks_exact_mut(QB)) {
            let mut nq = [0.0f32; QB];
            let mut tau = [0.0f32; QB];
            for ((n, t), q) in nq.iter_mut().zip(tau.iter_mut()).zip(block.iter()) {
                *n = q.norm32;
                *t = q.tau;
            }
            for p in tile..tile_end {
                let norms = &panels.norms[p * LANES32..(p + 1) * LANES32];
                let panel = &panels.data[p * panel_len..(p + 1) * panel_len];
                let Some(scores) = score(panel, norms, qblock, &nq, &tau, &NO_LANES, d) else {
                    continue;
                };
                for (q, row) in block.iter_mut().zip(&scores) {
                    for (l, &s) in row.iter().enumerate() {
                        let j = p * LANES32 + l;
                        if s <= q.tau && j < n {
                            q.accept(s, j, k, gamma);
                        }
                    }
                }
                for (t, q) in tau.iter_mut().zip(block.iter()) {
                    *t = q.tau;
                }
            }
        }
    }
    let mut top = TopK::new(k);
    for ((q, qrow), slot) in qs
        .iter()
        .zip(query.chunks_exact(d))
        .zip(out.chunks_exact_mut(k))
    {
        top.clear();
        for &j in &q.cands {
            let s = super::sq_dist(qrow, &fit[j * d..(j + 1) * d]);
            if s <= top.worst() {
                top.offer(s, j);
            }
        }
        top.write(slot);
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,fma")]
fn chunk_avx512(
    panels: &Panels32,
    fit: &[f64],
    n: usize,
    d: usize,
    query: &[f64],
    k: usize,
    out: &mut [usize],
) {
    // SAFETY: this function is compiled with AVX-512F and FMA, the contract of `score_avx512`.
    let score = |p: &[f32], x: &[f32], q: &[f32], n: &[f32; 8], t: &[f32; 8], l: &[f32; 16], d| unsafe {
        x86::score_avx512::<8>(p, x, q, n, t, l, d)
    };
    chunk_body::<8, _>(score, panels, fit, n, d, query, k, out)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn chunk_avx2(
    panels: &Panels32,
    fit: &[f64],
    n: usize,
    d: usize,
    query: &[f64],
    k: usize,
    out: &mut [usize],
) {
    // SAFETY: this function is compiled with AVX2 and FMA, the contract of `score_avx2`.
    let score = |p: &[f32], x: &[f32], q: &[f32], n: &[f32; 4], t: &[f32; 4], l: &[f32; 16], d| unsafe {
        x86::score_avx2::<4>(p, x, q, n, t, l, d)
    };
    chunk_body::<4, _>(score, panels, fit, n, d, query, k, out)
}

/// Which fused-multiply-add kernel this CPU can run, if any (without FMA in hardware the f32 pass
/// would be slower than the exact kernel).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
pub(super) enum Kernel {
    Avx512,
    Avx2,
    /// The portable body (tests only: its `mul_add` may be a software call).
    #[allow(dead_code)]
    Portable,
}

pub(super) fn available() -> Option<Kernel> {
    #[cfg(target_arch = "x86_64")]
    {
        if std::is_x86_feature_detected!("avx512f") && std::is_x86_feature_detected!("fma") {
            return Some(Kernel::Avx512);
        }
        if std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("fma") {
            return Some(Kernel::Avx2);
        }
    }
    None
}

/// Queries per call of [`chunk`].
pub(super) const QUERY_CHUNK: usize = CHUNK;

/// One chunk of queries through `kernel` (which must be [`available`], or `Portable`).
#[allow(clippy::too_many_arguments)]
pub(super) fn chunk(
    kernel: Kernel,
    panels: &Panels32,
    fit: &[f64],
    n: usize,
    d: usize,
    query: &[f64],
    k: usize,
    out: &mut [usize],
) {
    // Re-checked here (the detection is cached) so that no caller can reach a kernel the CPU
    // lacks.
    match (kernel, available()) {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `available()` found AVX-512F and FMA on this CPU at run time, which is all that
        // calling a function compiled for them requires.
        (Kernel::Avx512, Some(Kernel::Avx512)) => unsafe {
            chunk_avx512(panels, fit, n, d, query, k, out)
        },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `available()` found AVX2 and FMA (AVX-512 implies both).
        (Kernel::Avx2, Some(Kernel::Avx2 | Kernel::Avx512)) => unsafe {
            chunk_avx2(panels, fit, n, d, query, k, out)
        },
        _ => chunk_body::<4, _>(score_portable::<4>, panels, fit, n, d, query, k, out),
    }
}

/// Rows per block of the self-join; a tile pairs two blocks.
const SELF_BLOCK: usize = 128;

/// What every thread of a self-join reads: the rows as panels and as feature-major query blocks,
/// and the bound's constants per row.
struct SelfJoin<'a> {
    panels: &'a Panels32,
    n: usize,
    d: usize,
    k: usize,
    threads: usize,
    /// Rows in blocks of `qb` (the kernel's query count), feature-major inside each block.
    qt: Vec<f32>,
    slack: Vec<f64>,
    conv: Vec<f64>,
    gamma: f64,
}

/// One thread's short lists for every row of a self-join.
struct SelfState {
    tau: Vec<f32>,
    his: Vec<Vec<f64>>,
    cands: Vec<Vec<usize>>,
}

impl SelfState {
    fn accept(&mut self, job: &SelfJoin, row: usize, s: f32, cand: usize) {
        self.cands[row].push(cand);
        let (slack, conv) = (job.slack[row], job.conv[row]);
        if let Some(tau) = tighten(&mut self.his[row], job.k, s, slack, conv, job.gamma) {
            self.tau[row] = tau;
        }
    }
}

/// One thread's share of a self-join: block rows `t, t + threads, …`, each paired with itself
/// and every later block. A pair of different blocks is scored once and serves both directions:
/// ŝ is symmetric, and its error bound for (j, i) is covered by row j's constants as well.
#[inline(always)]
fn self_worker_body<const QB: usize, S: Score<QB>>(
    score: S,
    job: &SelfJoin,
    t: usize,
) -> SelfState {
    let (n, d) = (job.n, job.d);
    let mut st = SelfState {
        tau: vec![f32::INFINITY; n],
        his: vec![Vec::new(); n],
        cands: vec![Vec::new(); n],
    };
    let blocks = n.div_ceil(SELF_BLOCK);
    let n_panels = n.div_ceil(LANES32);
    let panel_len = d * LANES32;
    let mut a = t;
    while a < blocks {
        let rows_a = a * SELF_BLOCK..((a + 1) * SELF_BLOCK).min(n);
        for b in a..blocks {
            let mirror = a != b;
            let panels_b = b * SELF_BLOCK / LANES32..((b + 1) * SELF_BLOCK / LANES32).min(n_panels);
            for qb in rows_a.clone().step_by(QB) {
                let qblock = &job.qt[qb * d..(qb + QB) * d];
                let mut nq = [f32::INFINITY; QB];
                let mut tau = [f32::NEG_INFINITY; QB];
                let live = QB.min(n - qb);
                nq[..live].copy_from_slice(&job.panels.norms[qb..qb + live]);
                tau[..live].copy_from_slice(&st.tau[qb..qb + live]);
                for p in panels_b.clone() {
                    let mut lanes = NO_LANES;
                    if mirror {
                        for (l, lt) in lanes.iter_mut().enumerate().take(n - p * LANES32) {
                            *lt = st.tau[p * LANES32 + l];
                        }
                    }
                    let norms = &job.panels.norms[p * LANES32..(p + 1) * LANES32];
                    let panel = &job.panels.data[p * panel_len..(p + 1) * panel_len];
                    let Some(scores) = score(panel, norms, qblock, &nq, &tau, &lanes, d) else {
                        continue;
                    };
                    for (i, row) in scores.iter().enumerate().take(n - qb) {
                        let gi = qb + i;
                        for (l, &s) in row.iter().enumerate() {
                            let gj = p * LANES32 + l;
                            if gj >= n {
                                break;
                            }
                            if s <= st.tau[gi] {
                                st.accept(job, gi, s, gj);
                            }
                            if mirror && s <= st.tau[gj] {
                                st.accept(job, gj, s, gi);
                            }
                        }
                        tau[i] = st.tau[gi];
                    }
                }
            }
        }
        a += job.threads;
    }
    st
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,fma")]
fn self_worker_avx512(job: &SelfJoin, t: usize) -> SelfState {
    // SAFETY: this function is compiled with AVX-512F and FMA, the contract of `score_avx512`.
    let score = |p: &[f32], x: &[f32], q: &[f32], n: &[f32; 8], t: &[f32; 8], l: &[f32; 16], d| unsafe {
        x86::score_avx512::<8>(p, x, q, n, t, l, d)
    };
    self_worker_body::<8, _>(score, job, t)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn self_worker_avx2(job: &SelfJoin, t: usize) -> SelfState {
    // SAFETY: this function is compiled with AVX2 and FMA, the contract of `score_avx2`.
    let score = |p: &[f32], x: &[f32], q: &[f32], n: &[f32; 4], t: &[f32; 4], l: &[f32; 16], d| unsafe {
        x86::score_avx2::<4>(p, x, q, n, t, l, d)
    };
    self_worker_body::<4, _>(score, job, t)
}

/// Queries per kernel call of `kernel` (the query blocks of a self-join are laid out for it).
fn block_queries(kernel: Kernel) -> usize {
    match kernel {
        Kernel::Avx512 => 8,
        _ => 4,
    }
}

fn self_worker(kernel: Kernel, job: &SelfJoin, t: usize) -> SelfState {
    match (kernel, available()) {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `available()` found AVX-512F and FMA on this CPU at run time.
        (Kernel::Avx512, Some(Kernel::Avx512)) => unsafe { self_worker_avx512(job, t) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `available()` found AVX2 and FMA, and the blocks are laid out for 4 queries.
        (Kernel::Avx2, Some(Kernel::Avx2 | Kernel::Avx512)) => unsafe { self_worker_avx2(job, t) },
        _ => {
            debug_assert_eq!(block_queries(kernel), 4);
            self_worker_body::<4, _>(score_portable::<4>, job, t)
        }
    }
}

/// `k` nearest rows of every fitted row among the fitted rows themselves (row-major `n × k`,
/// the row itself included as the reference's `kneighbors(X)` does): each pair of rows is scored
/// once in single precision for both of its rows, then every short list is ranked exactly.
pub(super) fn self_join(
    kernel: Kernel,
    panels: &Panels32,
    fit: &[f64],
    n: usize,
    d: usize,
    k: usize,
    threads: usize,
) -> Vec<usize> {
    let qb = block_queries(kernel);
    // Whole blocks of SELF_BLOCK rows (a multiple of every qb), zero-padded.
    let padded = n.div_ceil(SELF_BLOCK) * SELF_BLOCK;
    let mut qt = vec![0.0f32; padded * d];
    for (i, row) in fit.chunks_exact(d).enumerate() {
        let (b, r) = (i / qb, i % qb);
        for (f, &v) in row.iter().enumerate() {
            qt[b * qb * d + f * qb + r] = v as f32;
        }
    }
    let (slack, conv) = fit
        .chunks_exact(d)
        .map(|row| row_bound(row, panels.max_norm2))
        .unzip();
    let threads = threads.clamp(1, n.div_ceil(SELF_BLOCK));
    let job = SelfJoin {
        panels,
        n,
        d,
        k,
        threads,
        qt,
        slack,
        conv,
        gamma: (d as f64 + 2.0) * 1.01 / 9_007_199_254_740_992.0 + 1e-13,
    };
    let states = super::run_workers(threads, |t| self_worker(kernel, &job, t));
    let mut out = vec![0usize; n * k];
    super::split_rows(n, k, threads, &mut out, |range, part| {
        let mut top = TopK::new(k);
        for (i, slot) in range.zip(part.chunks_exact_mut(k)) {
            top.clear();
            let q = &fit[i * d..(i + 1) * d];
            for st in &states {
                for &j in &st.cands[i] {
                    let s = super::sq_dist(q, &fit[j * d..(j + 1) * d]);
                    if s <= top.worst() {
                        top.offer(s, j);
                    }
                }
            }
            top.write(slot);
        }
    });
    out
}
