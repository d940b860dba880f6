//! How well a damage map finds injected damage: precision and recall over
//! module positions, summed over several trials.

use std::collections::HashSet;

/// Module positions `(x, y)`.
pub type Modules = HashSet<(usize, usize)>;

/// Injected and reported modules summed over trials.
#[derive(Clone, Copy, Debug, Default)]
pub struct ModuleScore {
    hits: usize,
    found: usize,
    injected: usize,
}

impl ModuleScore {
    /// Adds one trial: the modules damaged on purpose and those reported.
    pub fn add(&mut self, injected: &Modules, reported: &Modules) {
        self.hits += reported.intersection(injected).count();
        self.found += reported.len();
        self.injected += injected.len();
    }

    /// The share of reported modules that were damaged (1 when none reported).
    pub fn precision(&self) -> f64 {
        if self.found == 0 {
            return 1.0;
        }
        self.hits as f64 / self.found as f64
    }

    /// The share of damaged modules that were reported (1 when none damaged).
    pub fn recall(&self) -> f64 {
        if self.injected == 0 {
            return 1.0;
        }
        self.hits as f64 / self.injected as f64
    }

    /// One line for a test's output: both figures and the counts.
    pub fn describe(&self, what: &str) -> String {
        format!(
            "{what}: precision {:.3}, recall {:.3} ({} of {} flipped, {} reported)",
            self.precision(),
            self.recall(),
            self.hits,
            self.injected,
            self.found
        )
    }
}
