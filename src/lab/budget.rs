//! How much training one animation frame may do. A frame lasts about 16 ms and also has to evaluate
//! the grid and paint, so training gets a fixed number of steps and a time limit, whichever ends
//! first; a slow machine then trains fewer steps per frame instead of freezing the page.

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StepBudget {
    /// Most optimizer steps in one frame.
    pub max_steps: u64,
    /// Milliseconds after which no new step is started.
    pub max_ms: f64,
}

impl StepBudget {
    /// Milliseconds of training per frame by default: leaves room for the grid and the paint.
    pub const FRAME_MS: f64 = 6.0;

    pub fn new(max_steps: u64, max_ms: f64) -> Self {
        StepBudget { max_steps, max_ms }
    }

    /// Whether another step may start, after `done` steps and `elapsed_ms` milliseconds.
    /// The first step always runs (unless no step was asked for), so training progresses even
    /// on a machine too slow for the time limit.
    pub fn allows(&self, done: u64, elapsed_ms: f64) -> bool {
        done < self.max_steps && (done == 0 || elapsed_ms < self.max_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn step_and_time_limits() {
        let b = StepBudget::new(3, 5.0);
        assert!(b.allows(0, 100.0), "the first step always runs");
        assert!(b.allows(2, 4.9));
        assert!(!b.allows(3, 0.0));
        assert!(!b.allows(1, 5.0));
        assert!(!StepBudget::new(0, 5.0).allows(0, 0.0));
    }
}
