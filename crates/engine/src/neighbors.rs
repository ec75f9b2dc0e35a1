//! Exact k-nearest neighbours (Euclidean), with the reference's tie rule: neighbours sorted by
//! distance, equal distances broken by the lower row index (methods-spec.md §0). Tested against
//! scikit-learn 1.9.1 `NearestNeighbors` tables (`tests/over_samplers.rs`,
//! `neighbour_tables_equal_sklearn`) and, below, against a full sort.
//!
//! Every strategy ranks by the same squared distance, summed feature by feature in column order
//! (`(q_f − x_f)²` in f64, no fused multiply-add), so the choice never changes a result:
//! * a k-d tree for low dimension (few features, many rows: the samplers' usual 2-D playground).
//!   It prunes a node only when its box is *strictly* farther than the current k-th neighbour, so
//!   an equidistant row with a lower index is never skipped; the box bound is a sum of per-feature
//!   terms each no larger than the row's own (rounding is monotone), so it never overestimates;
//! * a brute force otherwise: for many rows, on CPUs with FMA, a single-precision pass only
//!   short-lists candidates under a proven error bound and the f64 distance ranks them
//!   ([`filtered`]); a self-join (every row against all rows) scores each pair once for both rows;
//!   the plain blocked scan covers the rest.
//!
//! The k best of a query are the k smallest (distance, index) pairs, whatever order rows are
//! offered in, so queries may also be split across threads (native builds; wasm32 has none) and
//! visited in the tree's spatial order without changing an answer.

use std::ops::Range;

mod filtered;

/// Largest dimension for which the k-d tree is used; above it boxes prune too little.
const TREE_MAX_DIM: usize = 8;
/// Below this many fitted rows a brute-force scan is as fast as building a tree.
const TREE_MIN_ROWS: usize = 64;
/// Rows per leaf of the k-d tree.
const LEAF_SIZE: usize = 16;
/// Fitted rows per panel of the brute force (one AVX-512 register of f64).
const LANES: usize = 8;
/// Queries per brute-force kernel call (their partial sums stay in registers).
const QB: usize = 4;
/// Queries that share one pass over the fitted rows.
const QUERY_CHUNK: usize = 128;
/// Panels per tile: the fitted rows one chunk of queries works through while they stay in cache.
const TILE_PANELS: usize = 64;
/// The single-precision short list ([`filtered`]) is used for at least this many fitted rows…
const FILTER_MIN_ROWS: usize = 256;
/// …features in this range (below, the tree or a plain scan is as fast; above, the bound's
/// constants are not proven)…
const FILTER_MIN_DIM: usize = 3;
const FILTER_MAX_DIM: usize = 4096;
/// …and at most this many neighbours (more would make the short list long).
const FILTER_MAX_K: usize = 32;
/// Distance terms (queries × fitted rows × features, or tree visits) below which one thread does
/// everything: spawning costs more than it saves.
#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
const PARALLEL_MIN_WORK: usize = 1 << 22;

#[inline]
fn sq_dist(a: &[f64], b: &[f64]) -> f64 {
    let mut s = 0.0;
    for (x, y) in a.iter().zip(b) {
        let t = x - y;
        s += t * t;
    }
    s
}

/// The `k` best (distance, index) pairs seen so far, kept sorted (k is small).
struct TopK {
    k: usize,
    items: Vec<(f64, usize)>,
}

impl TopK {
    fn new(k: usize) -> Self {
        TopK {
            k,
            items: Vec::with_capacity(k + 1),
        }
    }

    fn clear(&mut self) {
        self.items.clear();
    }

    /// Distance of the current k-th best, or +inf while fewer than k are held.
    #[inline]
    fn worst(&self) -> f64 {
        if self.items.len() < self.k {
            f64::INFINITY
        } else {
            self.items[self.k - 1].0
        }
    }

    #[inline]
    fn offer(&mut self, d: f64, j: usize) {
        if self.k == 0 {
            return;
        }
        if self.items.len() == self.k {
            let (wd, wj) = self.items[self.k - 1];
            if d > wd || (d == wd && j > wj) {
                return;
            }
        }
        // Insert after every entry that is (strictly) better.
        let pos = self
            .items
            .partition_point(|&(e, i)| e < d || (e == d && i < j));
        self.items.insert(pos, (d, j));
        self.items.truncate(self.k);
    }

    fn write(&self, out: &mut [usize]) {
        for (o, &(_, j)) in out.iter_mut().zip(&self.items) {
            *o = j;
        }
    }
}

/// Threads worth using for `work` distance terms: 1 below [`PARALLEL_MIN_WORK`] and on wasm32
/// (no threads there).
fn threads_for(work: usize, rows: usize) -> usize {
    #[cfg(not(target_arch = "wasm32"))]
    {
        if work >= PARALLEL_MIN_WORK {
            let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
            return cores.min(rows.div_ceil(QUERY_CHUNK)).max(1);
        }
    }
    let _ = (work, rows);
    1
}

/// `work(t)` for `t` in `0..threads`, each on its own thread (natively), results in `t` order.
fn run_workers<T: Send, F>(threads: usize, work: F) -> Vec<T>
where
    F: Fn(usize) -> T + Sync,
{
    #[cfg(not(target_arch = "wasm32"))]
    if threads > 1 {
        return std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads)
                .map(|t| {
                    let work = &work;
                    s.spawn(move || work(t))
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        });
    }
    (0..threads).map(&work).collect()
}

/// Runs `job(range, out_rows)` over `0..rows` split into contiguous ranges, one per thread;
/// `out` holds `width` values per row and each job gets the part for its range.
fn split_rows<F>(rows: usize, width: usize, threads: usize, out: &mut [usize], job: F)
where
    F: Fn(Range<usize>, &mut [usize]) + Sync,
{
    // wasm32 has no threads here: one range, whatever `threads` says.
    if threads <= 1 || width == 0 || cfg!(target_arch = "wasm32") {
        job(0..rows, out);
    } else {
        let per = rows.div_ceil(threads);
        std::thread::scope(|s| {
            for (t, part) in out.chunks_mut(per * width).enumerate() {
                let job = &job;
                let start = t * per;
                s.spawn(move || job(start..start + part.len() / width, part));
            }
        });
    }
}

/// One node of the k-d tree: its rows are `start..end` in tree order.
struct Node {
    start: usize,
    end: usize,
    /// Inner nodes: children, the split axis and the first right row's value on it (used only to
    /// visit queries in spatial order, never to prune).
    children: Option<(usize, usize)>,
    axis: usize,
    split: f64,
}

/// A k-d tree whose rows are stored contiguously in tree order, with each node's bounding box.
struct Tree {
    nodes: Vec<Node>,
    /// `lo` then `hi` of node `i`'s box at `bounds[2·d·i ..]`.
    bounds: Vec<f64>,
    /// Fitted rows in tree order (row-major) and each one's index in the fitted set.
    pts: Vec<f64>,
    idx: Vec<usize>,
}

impl Tree {
    fn build(fit: &[f64], d: usize, n: usize) -> Tree {
        let mut order: Vec<usize> = (0..n).collect();
        let mut tree = Tree {
            nodes: Vec::with_capacity(2 * n / LEAF_SIZE + 1),
            bounds: Vec::with_capacity((2 * n / LEAF_SIZE + 1) * 2 * d),
            pts: Vec::new(),
            idx: Vec::new(),
        };
        tree.build_node(fit, d, &mut order, 0, n);
        tree.pts = Vec::with_capacity(n * d);
        for &j in &order {
            tree.pts.extend_from_slice(&fit[j * d..(j + 1) * d]);
        }
        tree.idx = order;
        tree
    }

    fn build_node(
        &mut self,
        fit: &[f64],
        d: usize,
        order: &mut [usize],
        start: usize,
        end: usize,
    ) -> usize {
        let at = self.nodes.len();
        let b = self.bounds.len();
        self.bounds.extend(std::iter::repeat_n(f64::INFINITY, d));
        self.bounds
            .extend(std::iter::repeat_n(f64::NEG_INFINITY, d));
        for &j in &order[start..end] {
            for c in 0..d {
                let v = fit[j * d + c];
                self.bounds[b + c] = self.bounds[b + c].min(v);
                self.bounds[b + d + c] = self.bounds[b + d + c].max(v);
            }
        }
        self.nodes.push(Node {
            start,
            end,
            children: None,
            axis: 0,
            split: 0.0,
        });
        if end - start <= LEAF_SIZE {
            return at;
        }
        let (lo, hi) = self.bounds[b..b + 2 * d].split_at(d);
        let axis = (0..d)
            .max_by(|&a, &c| (hi[a] - lo[a]).total_cmp(&(hi[c] - lo[c])))
            .unwrap_or(0);
        let mid = start + (end - start) / 2;
        order[start..end].select_nth_unstable_by(mid - start, |&a, &c| {
            fit[a * d + axis]
                .total_cmp(&fit[c * d + axis])
                .then(a.cmp(&c))
        });
        let split = fit[order[mid] * d + axis];
        let left = self.build_node(fit, d, order, start, mid);
        let right = self.build_node(fit, d, order, mid, end);
        let node = &mut self.nodes[at];
        node.children = Some((left, right));
        node.axis = axis;
        node.split = split;
        at
    }

    /// The leaf a query would fall in: queries sorted by it are visited in spatial order.
    fn leaf_of(&self, q: &[f64]) -> usize {
        let mut at = 0;
        while let Some((a, b)) = self.nodes[at].children {
            let n = &self.nodes[at];
            at = if q[n.axis] < n.split { a } else { b };
        }
        at
    }

    /// Lower bound of the computed squared distance from `q` to any row inside node `at`'s box.
    #[inline]
    fn box_bound(&self, at: usize, q: &[f64]) -> f64 {
        let d = q.len();
        let (lo, hi) = self.bounds[2 * d * at..2 * d * (at + 1)].split_at(d);
        let mut s = 0.0;
        for ((&x, &lo), &hi) in q.iter().zip(lo).zip(hi) {
            let t = if x < lo {
                x - lo
            } else if x > hi {
                x - hi
            } else {
                0.0
            };
            s += t * t;
        }
        s
    }

    fn search(&self, at: usize, q: &[f64], top: &mut TopK) {
        let node = &self.nodes[at];
        match node.children {
            None => {
                let d = q.len();
                let rows = self.pts[node.start * d..node.end * d].chunks_exact(d);
                for (r, &j) in rows.zip(&self.idx[node.start..node.end]) {
                    let s = sq_dist(q, r);
                    if s <= top.worst() {
                        top.offer(s, j);
                    }
                }
            }
            Some((a, b)) => {
                let da = self.box_bound(a, q);
                let db = self.box_bound(b, q);
                let (first, df, second, ds) = if da <= db {
                    (a, da, b, db)
                } else {
                    (b, db, a, da)
                };
                if df <= top.worst() {
                    self.search(first, q, top);
                }
                if ds <= top.worst() {
                    self.search(second, q, top);
                }
            }
        }
    }

    /// `k` nearest of every query row, row-major into `out` (`n_query × k`).
    fn query(&self, query: &[f64], d: usize, k: usize, threads: Option<usize>, out: &mut [usize]) {
        let n_query = query.len() / d;
        // Visit queries leaf by leaf (stable: ties keep query order), so consecutive searches
        // touch the same nodes and rows.
        let mut visit: Vec<(usize, usize)> = query
            .chunks_exact(d)
            .enumerate()
            .map(|(i, q)| (self.leaf_of(q), i))
            .collect();
        visit.sort_unstable();
        let mut in_visit_order = vec![0usize; n_query * k];
        // Roughly a hundred rows visited per query in low dimension.
        let threads = threads.unwrap_or_else(|| threads_for(n_query * 128 * d, n_query));
        split_rows(n_query, k, threads, &mut in_visit_order, |range, part| {
            let mut top = TopK::new(k);
            for (slot, &(_, i)) in part.chunks_exact_mut(k).zip(&visit[range]) {
                top.clear();
                self.search(0, &query[i * d..(i + 1) * d], &mut top);
                top.write(slot);
            }
        });
        for (row, &(_, i)) in in_visit_order.chunks_exact(k).zip(&visit) {
            out[i * k..(i + 1) * k].copy_from_slice(row);
        }
    }
}

/// The fitted rows of the brute force, transposed into panels of [`LANES`] rows: feature `f` of
/// row `p·LANES + l` is at `(p·d + f)·LANES + l`. The last panel is padded with zeros (its padding
/// lanes are never offered).
struct Panels {
    data: Vec<f64>,
}

impl Panels {
    fn new(fit: &[f64], d: usize, n: usize) -> Panels {
        let n_panels = n.div_ceil(LANES);
        let mut data = vec![0.0; n_panels * d * LANES];
        for (j, row) in fit.chunks_exact(d).enumerate() {
            let (p, l) = (j / LANES, j % LANES);
            for (f, &v) in row.iter().enumerate() {
                data[(p * d + f) * LANES + l] = v;
            }
        }
        Panels { data }
    }
}

/// Squared distances from `QB` queries (`q`: feature-major, `QB` values per feature) to the
/// `LANES` rows of one panel, each
/// summed over features in column order exactly as [`sq_dist`] does.
#[inline(always)]
fn panel_distances(panel: &[f64], q: &[f64], d: usize) -> [[f64; LANES]; QB] {
    let mut acc = [[0.0f64; LANES]; QB];
    // Fixed-size views, so that the compiler keeps `acc` in registers and unrolls both loops.
    for (p, x) in panel.chunks_exact(LANES).zip(q.chunks_exact(QB)).take(d) {
        let p: &[f64; LANES] = p.try_into().unwrap_or(&[0.0; LANES]);
        let x: &[f64; QB] = x.try_into().unwrap_or(&[0.0; QB]);
        for (a, &xi) in acc.iter_mut().zip(x) {
            for (s, &y) in a.iter_mut().zip(p) {
                let t = xi - y;
                *s += t * t;
            }
        }
    }
    acc
}

/// The brute force for one chunk of queries (row-major, at most [`QUERY_CHUNK`] rows): `k`
/// nearest of the `n` fitted rows into `out`. Generic body; see [`brute_chunk`] for the dispatch.
#[inline(always)]
fn brute_chunk_body(
    panels: &[f64],
    n: usize,
    d: usize,
    query: &[f64],
    k: usize,
    out: &mut [usize],
) {
    let nq = query.len() / d;
    let mut tops: Vec<TopK> = (0..nq).map(|_| TopK::new(k)).collect();
    // Padded to whole kernel blocks (padding queries' results are dropped), each block
    // transposed to feature-major order for the kernel.
    let mut qbuf = vec![0.0; nq.div_ceil(QB) * QB * d];
    for (i, q) in query.chunks_exact(d).enumerate() {
        let (b, r) = (i / QB, i % QB);
        for (f, &v) in q.iter().enumerate() {
            qbuf[b * QB * d + f * QB + r] = v;
        }
    }
    let n_panels = n.div_ceil(LANES);
    let panel_len = d * LANES;
    for tile in (0..n_panels).step_by(TILE_PANELS) {
        let tile_end = (tile + TILE_PANELS).min(n_panels);
        for (b, qblock) in qbuf.chunks_exact(QB * d).enumerate() {
            let first = b * QB;
            let live = (nq - first).min(QB);
            let block_tops = &mut tops[first..first + live];
            for p in tile..tile_end {
                let acc = panel_distances(&panels[p * panel_len..(p + 1) * panel_len], qblock, d);
                let base = p * LANES;
                for (top, row) in block_tops.iter_mut().zip(&acc) {
                    let mut worst = top.worst();
                    for (l, &s) in row.iter().enumerate() {
                        if s <= worst && base + l < n {
                            top.offer(s, base + l);
                            worst = top.worst();
                        }
                    }
                }
            }
        }
    }
    for (top, slot) in tops.iter().zip(out.chunks_exact_mut(k)) {
        top.write(slot);
    }
}

// The same body compiled for wider vector units. IEEE arithmetic gives the same results in every
// instruction set (Rust never fuses a multiply and an add on its own), so only the speed differs.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
fn brute_chunk_avx512(
    panels: &[f64],
    n: usize,
    d: usize,
    query: &[f64],
    k: usize,
    out: &mut [usize],
) {
    brute_chunk_body(panels, n, d, query, k, out)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn brute_chunk_avx2(
    panels: &[f64],
    n: usize,
    d: usize,
    query: &[f64],
    k: usize,
    out: &mut [usize],
) {
    brute_chunk_body(panels, n, d, query, k, out)
}

fn brute_chunk(panels: &[f64], n: usize, d: usize, query: &[f64], k: usize, out: &mut [usize]) {
    #[cfg(target_arch = "x86_64")]
    {
        if std::is_x86_feature_detected!("avx512f") {
            // SAFETY: the CPU supports AVX-512F (detected at run time just above), which is all
            // that calling a function compiled for it requires.
            return unsafe { brute_chunk_avx512(panels, n, d, query, k, out) };
        }
        if std::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU supports AVX2 (detected at run time just above).
            return unsafe { brute_chunk_avx2(panels, n, d, query, k, out) };
        }
    }
    brute_chunk_body(panels, n, d, query, k, out)
}

/// A fitted neighbour index over the rows of `fit` (row-major, `d` columns).
pub struct KnnIndex<'a> {
    fit: &'a [f64],
    d: usize,
    n: usize,
    tree: Option<Tree>,
}

impl<'a> KnnIndex<'a> {
    pub fn new(fit: &'a [f64], d: usize) -> Self {
        let n = fit.len().checked_div(d).unwrap_or(0);
        let tree = if d <= TREE_MAX_DIM && n >= TREE_MIN_ROWS {
            Some(Tree::build(fit, d, n))
        } else {
            None
        };
        KnnIndex { fit, d, n, tree }
    }

    /// Whether the brute force should short-list in single precision first ([`filtered`]): worth
    /// it for many rows and a few neighbours, on CPUs with fused multiply-add, and only for
    /// values inside the range where its error bound is proven.
    fn use_filter(&self, query: &[f64], k: usize) -> bool {
        self.n >= FILTER_MIN_ROWS
            && (FILTER_MIN_DIM..=FILTER_MAX_DIM).contains(&self.d)
            && k <= FILTER_MAX_K
            && filtered::available().is_some()
            && filtered::in_range(self.fit)
            && filtered::in_range(query)
    }

    /// `k` nearest fitted rows of every fitted row (the row itself included, as the reference's
    /// `kneighbors(X)` on its own fitted set): the same as `query(fit, k)`, but with many rows in
    /// higher dimension each pair is scored once for both of its rows.
    pub fn query_self(&self, k: usize) -> Vec<usize> {
        self.query_self_with(k, None)
    }

    fn query_self_with(&self, k: usize, threads: Option<usize>) -> Vec<usize> {
        let k = k.min(self.n);
        if k > 0 && self.tree.is_none() && self.use_filter(self.fit, k) {
            let kernel = filtered::available().unwrap_or(filtered::Kernel::Portable);
            let panels = filtered::Panels32::new(self.fit, self.d, self.n);
            let work = self.n * self.n * self.d / 8;
            let threads = threads.unwrap_or_else(|| threads_for(work, self.n));
            return filtered::self_join(kernel, &panels, self.fit, self.n, self.d, k, threads);
        }
        self.query_with(self.fit, k, threads)
    }

    /// [`KnnIndex::query_self`] with `k + 1` neighbours and the first column dropped, as the
    /// reference's `kneighbors(X)[:, 1:]`. Row-major `n × min(k, n − 1)`.
    pub fn query_self_excluding_first(&self, k: usize) -> Vec<usize> {
        drop_first(self.query_self((k + 1).min(self.n)), (k + 1).min(self.n))
    }

    /// Number of fitted rows.
    pub fn len(&self) -> usize {
        self.n
    }

    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// `k` nearest fitted rows of each row of `query`, nearest first; row-major `n_query × k`
    /// (`k` capped at the number of fitted rows).
    pub fn query(&self, query: &[f64], k: usize) -> Vec<usize> {
        self.query_with(query, k, None)
    }

    /// [`KnnIndex::query`] with the thread count forced (tests) or chosen from the work (`None`).
    fn query_with(&self, query: &[f64], k: usize, threads: Option<usize>) -> Vec<usize> {
        let d = self.d;
        let n_query = query.len().checked_div(d).unwrap_or(0);
        let k = k.min(self.n);
        if k == 0 {
            return Vec::new();
        }
        let mut out = vec![0usize; n_query * k];
        match &self.tree {
            Some(tree) => tree.query(&query[..n_query * d], d, k, threads, &mut out),
            None if self.use_filter(query, k) => {
                let kernel = filtered::available().unwrap_or(filtered::Kernel::Portable);
                let panels = filtered::Panels32::new(self.fit, d, self.n);
                let threads =
                    threads.unwrap_or_else(|| threads_for(n_query * self.n * d / 4, n_query));
                let chunk = filtered::QUERY_CHUNK;
                split_rows(n_query, k, threads, &mut out, |range, part| {
                    let rows = &query[range.start * d..range.end * d];
                    for (q, slot) in rows.chunks(chunk * d).zip(part.chunks_mut(chunk * k)) {
                        filtered::chunk(kernel, &panels, self.fit, self.n, d, q, k, slot);
                    }
                });
            }
            None => {
                let panels = Panels::new(self.fit, d, self.n);
                let threads = threads.unwrap_or_else(|| threads_for(n_query * self.n * d, n_query));
                split_rows(n_query, k, threads, &mut out, |range, part| {
                    let rows = &query[range.start * d..range.end * d];
                    for (chunk, slot) in rows
                        .chunks(QUERY_CHUNK * d)
                        .zip(part.chunks_mut(QUERY_CHUNK * k))
                    {
                        brute_chunk(&panels.data, self.n, d, chunk, k, slot);
                    }
                });
            }
        }
        out
    }
}

impl KnnIndex<'_> {
    /// As [`kneighbors_excluding_first_of`] on this index: `k + 1` neighbours of each query row
    /// (itself a fitted row), the first column dropped. Row-major `n_query × min(k, n − 1)`.
    pub fn query_excluding_first(&self, query: &[f64], k: usize) -> Vec<usize> {
        let kk = (k + 1).min(self.n);
        drop_first(self.query(query, kk), kk)
    }
}

/// A row-major table of `width` columns without its first column.
fn drop_first(all: Vec<usize>, width: usize) -> Vec<usize> {
    if width == 0 {
        return all;
    }
    let mut out = Vec::with_capacity(all.len() / width * (width - 1));
    for row in all.chunks(width) {
        out.extend_from_slice(&row[1..]);
    }
    out
}

/// `k` nearest rows of `fit` (row-major, `d` columns) for each row of `query`, nearest first.
/// Returns row-major `n_query × k` indices. `k` is capped at the number of fitted rows.
pub fn kneighbors(fit: &[f64], query: &[f64], d: usize, k: usize) -> Vec<usize> {
    KnnIndex::new(fit, d).query(query, k)
}

/// Neighbours of every row of `x` among the rows of `x` themselves, excluding the point: asks for
/// `k + 1` and drops the first returned column, exactly as imbalanced-learn does (with duplicates the
/// dropped one may be a twin rather than the point itself). Row-major `n × k`.
pub fn kneighbors_excluding_first(x: &[f64], d: usize, k: usize) -> Vec<usize> {
    KnnIndex::new(x, d).query_self_excluding_first(k)
}

/// Neighbours among `fit` of the rows of `query` (which are themselves rows of `fit`): asks for
/// `k + 1` and drops the first returned column, as imbalanced-learn's `kneighbors(...)[:, 1:]`.
/// Row-major `n_query × min(k, n_fit − 1)`.
pub fn kneighbors_excluding_first_of(fit: &[f64], query: &[f64], d: usize, k: usize) -> Vec<usize> {
    KnnIndex::new(fit, d).query_excluding_first(query, k)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;

    fn brute(fit: &[f64], query: &[f64], d: usize, k: usize) -> Vec<usize> {
        let n = fit.len() / d;
        let mut out = Vec::new();
        for q in query.chunks_exact(d) {
            let mut v: Vec<(f64, usize)> = (0..n)
                .map(|j| (sq_dist(q, &fit[j * d..(j + 1) * d]), j))
                .collect();
            v.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            out.extend(v.iter().take(k.min(n)).map(|&(_, j)| j));
        }
        out
    }

    #[test]
    fn ties_break_by_lower_index() {
        let fit = [0.0, 1.0, -1.0, 2.0];
        assert_eq!(kneighbors(&fit, &[0.0], 1, 3), vec![0, 1, 2]);
        assert_eq!(kneighbors_excluding_first(&fit, 1, 2)[..2], [1, 2]);
    }

    #[test]
    fn tree_and_blocked_scan_equal_a_full_sort() {
        let mut rng = Rng::from_seed(5);
        for &(n, d, k) in &[
            (500, 2, 11),
            (300, 4, 6),
            (200, 8, 3),
            (150, 12, 7),
            (70, 1, 70),
        ] {
            let fit: Vec<f64> = (0..n * d).map(|_| rng.normal()).collect();
            let query: Vec<f64> = (0..40 * d).map(|_| rng.normal()).collect();
            assert_eq!(
                kneighbors(&fit, &query, d, k),
                brute(&fit, &query, d, k),
                "{n} {d} {k}"
            );
            assert_eq!(
                kneighbors(&fit, &fit, d, k),
                brute(&fit, &fit, d, k),
                "{n} {d} {k}"
            );
        }
    }

    #[test]
    fn threads_and_vector_units_change_nothing() {
        // Split across threads (odd counts, uneven chunks) and every kernel this CPU can run must
        // give the single-threaded generic answer; a lattice makes many exact ties.
        let mut rng = Rng::from_seed(3);
        for &(n, nq, d, k, lattice) in &[
            (700, 301, 2, 5, true),
            (700, 301, 2, 4, false),
            (600, 333, 12, 4, false),
            (600, 333, 9, 6, true),
            (90, 77, 20, 3, false),
        ] {
            let draw = |rng: &mut Rng| {
                if lattice {
                    rng.below(4) as f64
                } else {
                    rng.normal()
                }
            };
            let fit: Vec<f64> = (0..n * d).map(|_| draw(&mut rng)).collect();
            let query: Vec<f64> = (0..nq * d).map(|_| draw(&mut rng)).collect();
            let want = brute(&fit, &query, d, k);
            let index = KnnIndex::new(&fit, d);
            for threads in [1, 2, 3, 7] {
                assert_eq!(
                    index.query_with(&query, k, Some(threads)),
                    want,
                    "{n} {d} {k} {threads}"
                );
            }
            let panels = Panels::new(&fit, d, n);
            let mut out = vec![0; nq * k];
            for (chunk, slot) in query
                .chunks(QUERY_CHUNK * d)
                .zip(out.chunks_mut(QUERY_CHUNK * k))
            {
                brute_chunk_body(&panels.data, n, d, chunk, k, slot);
            }
            assert_eq!(out, want, "generic kernel {n} {d} {k}");
        }
    }

    #[test]
    fn single_precision_short_list_loses_no_neighbour() {
        // Rows that single precision cannot tell apart (relative differences of 1e-9), exact
        // twins (the tie rule), and a far offset (large norms, small distances: the dot-product
        // form cancels): the short list must still hold every exact neighbour.
        let mut rng = Rng::from_seed(17);
        for &(n, d, k, offset) in &[(400, 12, 5, 0.0), (300, 20, 3, 1000.0), (260, 3, 8, -50.0)] {
            let mut fit: Vec<f64> = Vec::with_capacity(n * d);
            while fit.len() < n * d {
                let base: Vec<f64> = (0..d).map(|_| offset + rng.normal()).collect();
                fit.extend_from_slice(&base);
                let mut near = base.clone();
                near[rng.below(d)] *= 1.0 + 1e-9;
                fit.extend_from_slice(&near);
                fit.extend_from_slice(&base);
            }
            fit.truncate(n * d);
            let query: Vec<f64> = fit[..90 * d].to_vec();
            let want = brute(&fit, &query, d, k);
            assert_eq!(kneighbors(&fit, &query, d, k), want, "{n} {d} {k}");
            let panels = filtered::Panels32::new(&fit, d, n);
            let mut kernels = vec![filtered::Kernel::Portable];
            kernels.extend(filtered::available());
            for kernel in kernels {
                let mut out = vec![0; 90 * k];
                let chunk = filtered::QUERY_CHUNK;
                for (q, slot) in query.chunks(chunk * d).zip(out.chunks_mut(chunk * k)) {
                    filtered::chunk(kernel, &panels, &fit, n, d, q, k, slot);
                }
                assert_eq!(out, want, "{kernel:?} {n} {d} {k}");
                let all = brute(&fit, &fit, d, k);
                for threads in [1, 3] {
                    let got = filtered::self_join(kernel, &panels, &fit, n, d, k, threads);
                    assert_eq!(got, all, "self-join {kernel:?} {n} {d} {k} {threads}");
                }
            }
            assert_eq!(
                KnnIndex::new(&fit, d).query_self(k),
                brute(&fit, &fit, d, k)
            );
        }
        assert!(!filtered::in_range(&[1.0, f64::NAN]));
        assert!(!filtered::in_range(&[1e-300]));
        assert!(filtered::in_range(&[0.0, -3.5, 1e14]));
    }

    #[test]
    fn tree_keeps_the_tie_rule_on_a_lattice() {
        // Integer lattice with many duplicates and equal distances: every tie must go to the lower
        // index, in the tree exactly as in the full sort.
        let mut rng = Rng::from_seed(11);
        let n = 400;
        let fit: Vec<f64> = (0..n * 2).map(|_| rng.below(6) as f64).collect();
        let got = kneighbors(&fit, &fit, 2, 9);
        assert_eq!(got, brute(&fit, &fit, 2, 9));
    }
}
