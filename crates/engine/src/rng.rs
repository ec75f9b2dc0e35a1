//! Seeded random streams.
//!
//! Every random draw in an experiment comes from a stream derived from the experiment seed *by name*
//! (`"split"`, `"sampler"`, `"init"`, `"batches"`, `"data"`, ...). Changing the sampler therefore never
//! changes the split or the initial weights, and a shared link reproduces every draw.
//!
//! The generator is xoshiro256** seeded through SplitMix64; stream names are hashed with FNV-1a. All
//! arithmetic is integer or IEEE-exact (`sqrt`, division) or goes through [`crate::math`], so the same
//! seed gives the same numbers natively and on wasm32.

use crate::math;

/// A named random stream (xoshiro256**).
#[derive(Clone, Debug)]
pub struct Rng {
    s: [u64; 4],
    /// The seed this stream was made from; children are derived from it, not from the state.
    origin: u64,
}

fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn fnv1a(name: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in name.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01B3);
    }
    h
}

impl Rng {
    /// A generator from a raw 64-bit seed.
    pub fn from_seed(seed: u64) -> Self {
        let mut st = seed;
        let s = [
            splitmix64(&mut st),
            splitmix64(&mut st),
            splitmix64(&mut st),
            splitmix64(&mut st),
        ];
        Rng { s, origin: seed }
    }

    /// The stream called `name` of the experiment seeded with `seed`.
    pub fn stream(seed: u64, name: &str) -> Self {
        Self::from_seed(seed ^ fnv1a(name).rotate_left(17))
    }

    /// A child stream, e.g. one per epoch or per class. It depends on the parent's seed, the name and
    /// the index only, not on how much the parent was used, so adding a draw somewhere never shifts
    /// another stream.
    pub fn fork(&self, name: &str, index: u64) -> Self {
        let key = splitmix64(&mut (self.origin ^ fnv1a(name).rotate_left(31)));
        Self::from_seed(key ^ index.wrapping_mul(0xD6E8_FEB8_6659_FD93))
    }

    pub fn next_u64(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// Uniform in [0, 1) with 53 random bits.
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in [lo, hi).
    pub fn uniform_range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.uniform()
    }

    /// Uniform integer in [0, n), unbiased (rejection sampling). `n` must be > 0.
    pub fn below(&mut self, n: usize) -> usize {
        debug_assert!(n > 0);
        let n = n as u64;
        let zone = u64::MAX - (u64::MAX % n);
        loop {
            let v = self.next_u64();
            if v < zone {
                return (v % n) as usize;
            }
        }
    }

    /// Standard normal draw (Box–Muller, one value per call; the pair's twin is discarded so that
    /// the stream position does not depend on call history).
    pub fn normal(&mut self) -> f64 {
        let mut u1 = self.uniform();
        while u1 <= f64::MIN_POSITIVE {
            u1 = self.uniform();
        }
        let u2 = self.uniform();
        (-2.0 * math::ln(u1)).sqrt() * math::cos(2.0 * std::f64::consts::PI * u2)
    }

    /// Fisher–Yates shuffle in place.
    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i + 1);
            v.swap(i, j);
        }
    }

    /// A random permutation of 0..n.
    pub fn permutation(&mut self, n: usize) -> Vec<usize> {
        let mut v: Vec<usize> = (0..n).collect();
        self.shuffle(&mut v);
        v
    }

    /// `k` distinct indices from 0..n (partial Fisher–Yates), in draw order.
    pub fn choose_distinct(&mut self, n: usize, k: usize) -> Vec<usize> {
        let k = k.min(n);
        let mut v: Vec<usize> = (0..n).collect();
        for i in 0..k {
            let j = i + self.below(n - i);
            v.swap(i, j);
        }
        v.truncate(k);
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_streams_are_reproducible_and_distinct() {
        let a: Vec<u64> = (0..4).map(|_| Rng::stream(7, "split").next_u64()).collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]));
        let mut s = Rng::stream(7, "split");
        let mut t = Rng::stream(7, "init");
        assert_ne!(s.next_u64(), t.next_u64());
    }

    #[test]
    fn forks_do_not_depend_on_parent_usage() {
        let fresh = Rng::stream(5, "data");
        let mut used = Rng::stream(5, "data");
        used.next_u64();
        assert_eq!(fresh.fork("x", 3).next_u64(), used.fork("x", 3).next_u64());
        assert_ne!(fresh.fork("x", 3).next_u64(), fresh.fork("x", 4).next_u64());
        assert_ne!(fresh.fork("x", 3).next_u64(), fresh.fork("y", 3).next_u64());
    }

    #[test]
    fn below_is_in_range_and_covers() {
        let mut r = Rng::from_seed(1);
        let mut seen = [0usize; 5];
        for _ in 0..5000 {
            seen[r.below(5)] += 1;
        }
        assert!(seen.iter().all(|&c| c > 800 && c < 1200), "{seen:?}");
    }

    #[test]
    fn normal_has_unit_moments() {
        let mut r = Rng::from_seed(3);
        let n = 20000;
        let xs: Vec<f64> = (0..n).map(|_| r.normal()).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
        assert!(mean.abs() < 0.03, "mean {mean}");
        assert!((var - 1.0).abs() < 0.05, "var {var}");
    }

    #[test]
    fn permutation_is_a_permutation() {
        let mut r = Rng::from_seed(9);
        let mut p = r.permutation(100);
        p.sort_unstable();
        assert_eq!(p, (0..100).collect::<Vec<_>>());
    }
}
