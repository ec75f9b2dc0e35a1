//! Class-balanced batch rows for classifier re-training (cRT) — Kang et al., ICLR 2020, reference
//! `facebookresearch/classifier-balancing` `data/ClassAwareSampler.py`.
//!
//! A shuffled cyclic iterator over the classes picks a class; `per_class` (4 in the reference)
//! consecutive rows are taken from that class's own shuffled cyclic iterator; every iterator is
//! reshuffled each time it wraps. An epoch has `K · max_c n_c` rows (K = classes present). The
//! reference keeps its iterators across epochs; here each epoch restarts them from a stream forked by
//! epoch number, so the rows of any step can be computed without replaying earlier epochs.

use crate::rng::Rng;

/// Rows of one cRT epoch, in draw order.
pub fn class_aware_epoch(
    labels: &[usize],
    n_classes: usize,
    per_class: usize,
    rng: &mut Rng,
) -> Vec<u32> {
    let mut by_class: Vec<Vec<u32>> = vec![Vec::new(); n_classes];
    for (i, &c) in labels.iter().enumerate() {
        by_class[c].push(i as u32);
    }
    let present: Vec<usize> = (0..n_classes)
        .filter(|&c| !by_class[c].is_empty())
        .collect();
    let largest = by_class.iter().map(Vec::len).max().unwrap_or(0);
    let total = present.len() * largest;
    let mut classes = CycleIter::new(present.iter().map(|&c| c as u32).collect());
    let mut rows: Vec<CycleIter> = by_class.into_iter().map(CycleIter::new).collect();
    let mut out = Vec::with_capacity(total + per_class);
    while out.len() < total {
        let c = classes.next(rng) as usize;
        for _ in 0..per_class {
            out.push(rows[c].next(rng));
        }
    }
    out.truncate(total);
    out
}

/// `RandomCycleIter`: yields its items in a fresh random order on every pass.
struct CycleIter {
    items: Vec<u32>,
    pos: usize,
}

impl CycleIter {
    fn new(items: Vec<u32>) -> Self {
        let pos = items.len();
        CycleIter { items, pos }
    }

    fn next(&mut self, rng: &mut Rng) -> u32 {
        if self.pos == self.items.len() {
            rng.shuffle(&mut self.items);
            self.pos = 0;
        }
        let v = self.items[self.pos];
        self.pos += 1;
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epochs_are_class_balanced_and_cover_every_row() {
        let mut labels = vec![0usize; 90];
        labels.extend(vec![1; 9]);
        labels.extend(vec![2; 3]);
        let rows = class_aware_epoch(&labels, 3, 4, &mut Rng::from_seed(1));
        assert_eq!(rows.len(), 3 * 90);
        let mut counts = [0usize; 3];
        for &r in &rows {
            counts[labels[r as usize]] += 1;
        }
        // Classes are drawn in shuffled passes of 4 rows each: counts differ by at most 4.
        let (lo, hi) = (counts.iter().min().unwrap(), counts.iter().max().unwrap());
        assert!(hi - lo <= 4, "{counts:?}");
        // Every minority row is used, several times.
        for i in 90..102u32 {
            assert!(rows.contains(&i));
        }
        // Runs of four from one class.
        for chunk in rows.chunks(4) {
            assert!(chunk
                .iter()
                .all(|&r| labels[r as usize] == labels[chunk[0] as usize]));
        }
    }
}
