//! A progress bar on standard error for long batch runs: bar, count,
//! percentage, elapsed time, estimated time left and failures so far,
//! redrawn at most ten times a second on one line. Only used when standard
//! error is a terminal (and not `--quiet`), so pipes and logs stay clean.

use std::io::Write;
use std::time::{Duration, Instant};

/// Width of the bar in characters.
const BAR: usize = 30;

/// Minimum time between two redraws.
const REDRAW: Duration = Duration::from_millis(100);

pub struct Progress {
    label: &'static str,
    total: usize,
    start: Instant,
    last_draw: Option<Instant>,
}

impl Progress {
    pub fn new(label: &'static str, total: usize) -> Progress {
        Progress {
            label,
            total,
            start: Instant::now(),
            last_draw: None,
        }
    }

    /// Reports `done` of the total finished, `failed` of them with an error.
    /// Draws when enough time passed since the last drawing, and always at
    /// the end.
    pub fn update(&mut self, done: usize, failed: usize) {
        let now = Instant::now();
        let finished = done >= self.total;
        if !finished && self.last_draw.is_some_and(|t| now - t < REDRAW) {
            return;
        }
        self.last_draw = Some(now);
        let _ = std::io::stderr().write_all(self.line(done, failed, now - self.start).as_bytes());
        if finished {
            let _ = std::io::stderr().write_all(b"\n");
        }
    }

    /// The line drawn: carriage return first, so each drawing overwrites
    /// the previous one.
    fn line(&self, done: usize, failed: usize, elapsed: Duration) -> String {
        let total = self.total.max(1);
        let filled = (done.min(total) * BAR) / total;
        let percent = done.min(total) * 100 / total;
        let secs = elapsed.as_secs_f64();
        let left = if done == 0 {
            String::from("--")
        } else {
            format!(
                "{:.0} s",
                secs * (total - done.min(total)) as f64 / done as f64
            )
        };
        let failures = if failed > 0 {
            format!(", {failed} failed")
        } else {
            String::new()
        };
        format!(
            "\r{} [{}{}] {done}/{} {percent:>3}% {secs:.1} s, {left} left{failures}  ",
            self.label,
            "#".repeat(filled),
            ".".repeat(BAR - filled),
            self.total,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_shows_bar_count_percentage_estimate_and_failures() {
        let p = Progress::new("civiqr batch", 200);
        let l = p.line(50, 2, Duration::from_secs(10));
        assert!(l.starts_with('\r'));
        assert!(l.contains("[#######......................."), "{l}");
        assert!(l.contains("50/200  25%"), "{l}");
        assert!(l.contains("10.0 s, 30 s left"), "{l}");
        assert!(l.contains("2 failed"), "{l}");
        let done = p.line(200, 0, Duration::from_secs(40));
        assert!(done.contains(&format!("[{}]", "#".repeat(BAR))), "{done}");
        assert!(
            done.contains("200/200 100%") && !done.contains("failed"),
            "{done}"
        );
    }

    #[test]
    fn empty_batch_does_not_divide_by_zero() {
        let p = Progress::new("civiqr batch", 0);
        assert!(p.line(0, 0, Duration::ZERO).contains("0/0"));
    }
}
