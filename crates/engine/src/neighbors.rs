//! Exact k-nearest neighbours (Euclidean), with the reference's tie rule: neighbours sorted by
//! distance, equal distances broken by the lower row index (methods-spec.md §0). Tested against
//! scikit-learn 1.9.1 `NearestNeighbors` tables (`tests/neighbors_reference.rs`).
//!
//! Two exact strategies give identical answers: a k-d tree for low dimension (few features, many
//! rows: the samplers' usual 2-D playground) and a blocked brute force otherwise. Both compare the
//! same squared distance, summed feature by feature in column order, so the choice never changes a
//! result. The tree prunes a node only when its box is *strictly* farther than the current k-th
//! neighbour, so an equidistant row with a lower index is never skipped; the box bound is a sum of
//! per-feature terms each no larger than the row's own (rounding is monotone), so it never
//! overestimates a computed distance.

/// Largest dimension for which the k-d tree is used; above it boxes prune too little.
const TREE_MAX_DIM: usize = 8;
/// Below this many fitted rows a brute-force scan is as fast as building a tree.
const TREE_MIN_ROWS: usize = 64;
/// Rows per leaf of the k-d tree.
const LEAF_SIZE: usize = 16;
/// Queries handled together by the brute force, so each fitted row is loaded once per block.
const QUERY_BLOCK: usize = 32;

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
}

struct Node {
    lo: Vec<f64>,
    hi: Vec<f64>,
    /// Range into `order` for a leaf, children for an inner node.
    start: usize,
    end: usize,
    children: Option<(usize, usize)>,
}

/// A fitted neighbour index over the rows of `fit` (row-major, `d` columns).
pub struct KnnIndex<'a> {
    fit: &'a [f64],
    d: usize,
    n: usize,
    tree: Option<(Vec<Node>, Vec<usize>)>,
}

impl<'a> KnnIndex<'a> {
    pub fn new(fit: &'a [f64], d: usize) -> Self {
        let n = fit.len().checked_div(d).unwrap_or(0);
        let tree = if d <= TREE_MAX_DIM && n >= TREE_MIN_ROWS {
            Some(build_tree(fit, d, n))
        } else {
            None
        };
        KnnIndex { fit, d, n, tree }
    }

    /// Number of fitted rows.
    pub fn len(&self) -> usize {
        self.n
    }

    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    fn row(&self, j: usize) -> &[f64] {
        &self.fit[j * self.d..(j + 1) * self.d]
    }

    /// `k` nearest fitted rows of each row of `query`, nearest first; row-major `n_query × k`
    /// (`k` capped at the number of fitted rows).
    pub fn query(&self, query: &[f64], k: usize) -> Vec<usize> {
        let d = self.d;
        let n_query = query.len().checked_div(d).unwrap_or(0);
        let k = k.min(self.n);
        let mut out = Vec::with_capacity(n_query * k);
        if k == 0 {
            return out;
        }
        match &self.tree {
            Some((nodes, order)) => {
                let mut top = TopK::new(k);
                for q in query.chunks_exact(d) {
                    top.clear();
                    self.search(nodes, order, 0, q, &mut top);
                    out.extend(top.items.iter().map(|&(_, j)| j));
                }
            }
            None => {
                let mut tops: Vec<TopK> = (0..QUERY_BLOCK).map(|_| TopK::new(k)).collect();
                for block in query.chunks(QUERY_BLOCK * d) {
                    let nq = block.len() / d;
                    for t in tops.iter_mut().take(nq) {
                        t.clear();
                    }
                    for j in 0..self.n {
                        let r = self.row(j);
                        for (qi, q) in block.chunks_exact(d).enumerate() {
                            let s = sq_dist(q, r);
                            if s <= tops[qi].worst() {
                                tops[qi].offer(s, j);
                            }
                        }
                    }
                    for t in tops.iter().take(nq) {
                        out.extend(t.items.iter().map(|&(_, j)| j));
                    }
                }
            }
        }
        out
    }

    fn search(&self, nodes: &[Node], order: &[usize], at: usize, q: &[f64], top: &mut TopK) {
        let node = &nodes[at];
        match node.children {
            None => {
                for &j in &order[node.start..node.end] {
                    let s = sq_dist(q, self.row(j));
                    if s <= top.worst() {
                        top.offer(s, j);
                    }
                }
            }
            Some((a, b)) => {
                let da = box_bound(&nodes[a], q);
                let db = box_bound(&nodes[b], q);
                let (first, df, second, ds) = if da <= db {
                    (a, da, b, db)
                } else {
                    (b, db, a, da)
                };
                if df <= top.worst() {
                    self.search(nodes, order, first, q, top);
                }
                if ds <= top.worst() {
                    self.search(nodes, order, second, q, top);
                }
            }
        }
    }
}

/// Lower bound of the computed squared distance from `q` to any row inside the node's box.
#[inline]
fn box_bound(node: &Node, q: &[f64]) -> f64 {
    let mut s = 0.0;
    for ((&x, &lo), &hi) in q.iter().zip(&node.lo).zip(&node.hi) {
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

fn build_tree(fit: &[f64], d: usize, n: usize) -> (Vec<Node>, Vec<usize>) {
    let mut order: Vec<usize> = (0..n).collect();
    let mut nodes = Vec::with_capacity(2 * n / LEAF_SIZE + 1);
    build_node(fit, d, &mut order, 0, n, &mut nodes);
    (nodes, order)
}

fn build_node(
    fit: &[f64],
    d: usize,
    order: &mut [usize],
    start: usize,
    end: usize,
    nodes: &mut Vec<Node>,
) -> usize {
    let mut lo = vec![f64::INFINITY; d];
    let mut hi = vec![f64::NEG_INFINITY; d];
    for &j in &order[start..end] {
        for c in 0..d {
            let v = fit[j * d + c];
            lo[c] = lo[c].min(v);
            hi[c] = hi[c].max(v);
        }
    }
    let at = nodes.len();
    nodes.push(Node {
        lo,
        hi,
        start,
        end,
        children: None,
    });
    if end - start <= LEAF_SIZE {
        return at;
    }
    let axis = (0..d)
        .max_by(|&a, &b| {
            let wa = nodes[at].hi[a] - nodes[at].lo[a];
            let wb = nodes[at].hi[b] - nodes[at].lo[b];
            wa.total_cmp(&wb)
        })
        .unwrap_or(0);
    let mid = start + (end - start) / 2;
    order[start..end].select_nth_unstable_by(mid - start, |&a, &b| {
        fit[a * d + axis]
            .total_cmp(&fit[b * d + axis])
            .then(a.cmp(&b))
    });
    let left = build_node(fit, d, order, start, mid, nodes);
    let right = build_node(fit, d, order, mid, end, nodes);
    nodes[at].children = Some((left, right));
    at
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
    kneighbors_excluding_first_of(x, x, d, k)
}

/// Neighbours among `fit` of the rows of `query` (which are themselves rows of `fit`): asks for
/// `k + 1` and drops the first returned column, as imbalanced-learn's `kneighbors(...)[:, 1:]`.
/// Row-major `n_query × min(k, n_fit − 1)`.
pub fn kneighbors_excluding_first_of(fit: &[f64], query: &[f64], d: usize, k: usize) -> Vec<usize> {
    let n_fit = fit.len().checked_div(d).unwrap_or(0);
    let kk = (k + 1).min(n_fit);
    let all = kneighbors(fit, query, d, kk);
    if kk == 0 {
        return all;
    }
    let mut out = Vec::with_capacity(all.len() / kk * (kk - 1));
    for row in all.chunks(kk) {
        out.extend_from_slice(&row[1..]);
    }
    out
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
