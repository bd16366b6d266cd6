//! A small round-robin harness: every case is sampled once per round, in a rotating order, so
//! that bursts of load from other processes on a shared machine hit all cases evenly and the
//! ratios between cases measured in the same run stay meaningful.

use std::time::{Duration, Instant};

/// A measured operation: `run(iters)` performs `iters` operations and returns the time they
/// took (the case may time only part of what it does, e.g. the `listen` half of a
/// listen/remove cycle).
pub struct Case {
    /// Stable identifier, e.g. `fire/static/10`.
    pub id: String,
    run: Box<dyn FnMut(u64) -> Duration>,
    /// Smallest and largest batch sizes calibration may pick.
    min_iters: u64,
    max_iters: u64,
    calibrate_on_wall: bool,
}

impl Case {
    /// A case whose batch size is calibrated freely.
    pub fn new(id: impl Into<String>, run: impl FnMut(u64) -> Duration + 'static) -> Self {
        Self {
            id: id.into(),
            run: Box::new(run),
            min_iters: 1,
            max_iters: u64::MAX,
            calibrate_on_wall: false,
        }
    }

    /// Limits the batch sizes calibration may pick (`run` is always called with a multiple of
    /// `min`).
    #[must_use]
    pub fn iters(mut self, min: u64, max: u64) -> Self {
        self.min_iters = min.max(1);
        self.max_iters = max.max(self.min_iters);
        self
    }

    /// Calibrates on the wall time of `run` rather than on the time it reports: for cases
    /// that time only part of what they do, so that a sample's real length stays near the
    /// target.
    #[must_use]
    pub fn calibrate_on_wall(mut self) -> Self {
        self.calibrate_on_wall = true;
        self
    }
}

/// Times a closure over `iters` calls.
#[inline]
pub fn time(iters: u64, mut f: impl FnMut()) -> Duration {
    let start = Instant::now();
    for _ in 0..iters {
        f();
    }
    start.elapsed()
}

/// How long to sample.
#[derive(Clone, Copy, Debug, Default)]
pub struct Plan {
    /// Rounds; each case is sampled once per round.
    pub rounds: usize,
    /// Target duration of one sample.
    pub sample: Duration,
}

/// The per-operation results of one case.
#[derive(Clone, Debug)]
pub struct Stats {
    /// The case's identifier.
    pub id: String,
    /// Median over rounds, ns per operation.
    pub median: f64,
    /// Minimum over rounds, ns per operation.
    pub min: f64,
    /// Operations per sample.
    pub iters: u64,
}

/// Calibrates every case, then samples them round-robin; returns one [`Stats`] per case, in
/// the order given.
pub fn run(cases: &mut [Case], plan: Plan, mut progress: impl FnMut(&str)) -> Vec<Stats> {
    let iters: Vec<u64> = cases
        .iter_mut()
        .map(|case| {
            progress(&case.id);
            calibrate(case, plan.sample)
        })
        .collect();
    let mut samples: Vec<Vec<f64>> = vec![Vec::with_capacity(plan.rounds); cases.len()];
    let n = cases.len();
    for round in 0..plan.rounds {
        progress(&format!("round {}/{}", round + 1, plan.rounds));
        // Rotate the starting case, and alternate the direction, so no case always runs
        // right after the same neighbour or at the same point of a round.
        for k in 0..n {
            let i = if round % 2 == 0 {
                (k + round) % n
            } else {
                (n - 1 - k + round) % n
            };
            let elapsed = (cases[i].run)(iters[i]);
            #[allow(clippy::cast_precision_loss, reason = "durations far below 2^52 ns")]
            samples[i].push(elapsed.as_nanos() as f64 / iters[i] as f64);
        }
    }
    cases
        .iter()
        .zip(samples)
        .zip(iters)
        .map(|((case, s), iters)| Stats {
            id: case.id.clone(),
            median: median(&s),
            min: s.iter().copied().fold(f64::INFINITY, f64::min),
            iters,
        })
        .collect()
}

/// Picks a batch size whose sample lasts about `target` (after a warm-up run).
fn calibrate(case: &mut Case, target: Duration) -> u64 {
    let mut iters = case.min_iters;
    (case.run)(iters);
    loop {
        let start = Instant::now();
        let timed = (case.run)(iters);
        let elapsed = if case.calibrate_on_wall {
            start.elapsed()
        } else {
            timed
        };
        if elapsed >= target / 4 || iters >= case.max_iters {
            #[allow(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                clippy::cast_precision_loss,
                reason = "ratio of small positive durations"
            )]
            let scaled =
                (iters as f64 * target.as_secs_f64() / elapsed.as_secs_f64().max(1e-9)) as u64;
            let rounded = scaled.div_ceil(case.min_iters) * case.min_iters;
            return rounded.clamp(case.min_iters, case.max_iters);
        }
        iters = iters.saturating_mul(4).min(case.max_iters);
    }
}

/// The median of `xs` (the mean of the two middle values for an even count).
pub fn median(xs: &[f64]) -> f64 {
    if xs.is_empty() {
        return f64::NAN;
    }
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    if v.len() % 2 == 1 {
        v[m]
    } else {
        f64::midpoint(v[m - 1], v[m])
    }
}
