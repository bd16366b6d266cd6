//! The report: `BENCHMARKS.md` (tables of medians, ratios against the baselines measured in
//! the same run, the goals, the machine) and a short summary for the terminal.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration;

use crate::compile::Compiled;
use crate::generate::IndexBuild;
use crate::harness::Plan;

/// The machine and toolchain a run measured.
#[derive(Clone, Debug, Default)]
pub struct Machine {
    /// Available parallelism.
    pub nproc: usize,
    /// CPU model from `/proc/cpuinfo`.
    pub cpu: String,
    /// `rustc --version`.
    pub rustc: String,
    /// `uname -sr`.
    pub os: String,
    /// When the run started.
    pub date: String,
    /// Versions of the measured crates, from `Cargo.lock`.
    pub crates: String,
    /// `/proc/loadavg` when the run started.
    pub load_start: String,
    /// `/proc/loadavg` when it ended.
    pub load_end: String,
}

/// One case's result, ns per operation.
#[derive(Clone, Copy, Debug)]
pub struct Stat {
    /// Median over the rounds.
    pub median: f64,
    /// Minimum over the rounds.
    pub min: f64,
}

/// Everything one run measured.
#[derive(Debug, Default)]
pub struct Report {
    /// Whether this was a `--quick` run.
    pub quick: bool,
    /// The machine.
    pub machine: Machine,
    /// The in-process plan.
    pub plan: Plan,
    /// Every case by id (in-process cases and the folded SQLAlchemy ones).
    pub stats: BTreeMap<String, Stat>,
    /// The index-build binary, if run.
    pub index: Option<IndexBuild>,
    /// The compile-time comparisons, if run.
    pub compile: Option<Compiled>,
    /// SQLAlchemy and Python versions and rounds, if run.
    pub sqlalchemy: Option<(String, String, u64)>,
    /// What failed.
    pub errors: Vec<String>,
    /// Wall time of the run (without building this binary).
    pub total: Duration,
}

/// Whether a goal is met.
enum Status {
    Met,
    Missed(String),
    Pending(&'static str),
}

struct Goal {
    group: &'static str,
    what: String,
    measured: String,
    target: String,
    status: Status,
}

/// ns, with precision that suits the magnitude.
fn ns(x: f64) -> String {
    if x.is_nan() {
        "–".into()
    } else if x < 10.0 {
        format!("{x:.2}")
    } else if x < 1000.0 {
        format!("{x:.1}")
    } else {
        let whole = format!("{x:.0}");
        let mut out = String::new();
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        out
    }
}

/// [`crate::orm::ROWS`], with its thousands separated.
fn rows_shown() -> String {
    #[allow(clippy::cast_precision_loss, reason = "a small count")]
    ns(crate::orm::ROWS as f64)
}

/// ns shown as ms, for the ORM's operations on 1,000 rows.
fn ms(x: f64) -> String {
    if x.is_nan() {
        "–".into()
    } else {
        format!("{:.2}", x / 1e6)
    }
}

fn ratio(x: f64) -> String {
    if x.is_nan() {
        "–".into()
    } else if x >= 100.0 {
        format!("{x:.0}×")
    } else {
        format!("{x:.2}×")
    }
}

/// Listener calls in an ORM operation with 10 listeners: one per object per listener.
#[allow(clippy::cast_precision_loss, reason = "a small count")]
const LISTENER_CALLS: f64 = (crate::orm::ROWS * 10) as f64;

/// The ORM operations: case name, the raw `rusqlite` case it is compared with, a label.
const ORM_OPS: [(&str, &str, &str); 2] = [
    ("flush-1000", "insert-1000", "flush of 1,000 new objects"),
    ("load-1000", "select-1000", "load of 1,000 rows"),
];

const KINDS: [(&str, &str); 4] = [
    ("static", "class-level static (`#[listens_for]`)"),
    ("class", "class-level runtime (`listen(Class::<T>)`)"),
    ("instance", "instance-level (`listen(&t)`)"),
    (
        "joined",
        "joined: child fired, listeners on the parent instance",
    ),
];

impl Report {
    fn m(&self, id: &str) -> f64 {
        self.stats.get(id).map_or(f64::NAN, |s| s.median)
    }

    /// Adds the SQLAlchemy script's JSON to the results.
    pub fn fold_sqlalchemy(&mut self, json: &serde_json::Value) {
        let text = |k: &str| json[k].as_str().unwrap_or("?").to_owned();
        self.sqlalchemy = Some((
            text("sqlalchemy"),
            text("python"),
            json["rounds"].as_u64().unwrap_or(0),
        ));
        for case in json["cases"].as_array().into_iter().flatten() {
            if let (Some(id), Some(median), Some(min)) = (
                case["id"].as_str(),
                case["median_ns"].as_f64(),
                case["min_ns"].as_f64(),
            ) {
                self.stats.insert(id.to_owned(), Stat { median, min });
            }
        }
    }

    fn at_most(group: &'static str, what: String, value: f64, limit: f64, unit: Unit) -> Goal {
        let status = if value.is_nan() || limit.is_nan() {
            Status::Pending("not measured in this run")
        } else if value <= limit {
            Status::Met
        } else {
            Status::Missed(format!("{} over the goal", ratio(value / limit)))
        };
        Goal {
            group,
            what,
            measured: unit.show(value),
            target: format!("≤ {}", unit.show(limit)),
            status,
        }
    }

    fn at_least(group: &'static str, what: String, value: f64, limit: f64, unit: Unit) -> Goal {
        let status = if value.is_nan() {
            Status::Pending("not measured in this run")
        } else if value >= limit {
            Status::Met
        } else {
            Status::Missed(format!("{} of the goal", ratio(value / limit)))
        };
        Goal {
            group,
            what,
            measured: unit.show(value),
            target: format!("≥ {}", unit.show(limit)),
            status,
        }
    }

    fn speedup(&self, case: &str) -> f64 {
        2.0 * self.m(&format!("threads/1/{case}")) / self.m(&format!("threads/2/{case}"))
    }

    #[allow(clippy::too_many_lines, reason = "one goal after the other")]
    fn goals(&self) -> Vec<Goal> {
        let mut goals = Vec::new();
        let tracing = self.m("peer/tracing-disabled");
        for (kind, _) in KINDS {
            goals.push(Self::at_most(
                "fire0",
                format!("fire, 0 listeners, {kind} (vs `tracing` disabled callsite)"),
                self.m(&format!("fire/{kind}/0")),
                tracing,
                Unit::Ns,
            ));
        }
        for (target, case) in [
            ("static", "fire/idle/static"),
            ("joined", "fire/idle/joined"),
        ] {
            goals.push(Self::at_most(
                "fire0",
                format!(
                    "fire, an event nothing listens to anywhere, {target} target (vs `tracing` \
                     disabled callsite)"
                ),
                self.m(case),
                tracing,
                Unit::Ns,
            ));
        }
        let call = self.m("floor/call");
        for (kind, _) in KINDS {
            goals.push(Self::at_most(
                "fire1",
                format!("fire, 1 listener, {kind} (vs 1.5 × one indirect call)"),
                self.m(&format!("fire/{kind}/1")),
                1.5 * call,
                Unit::Ns,
            ));
        }
        let loop10 = self.m("floor/loop/10");
        for (kind, _) in KINDS {
            goals.push(Self::at_most(
                "fire10",
                format!("fire, 10 listeners, {kind} (vs 1.3 × loop over 10 fn pointers)"),
                self.m(&format!("fire/{kind}/10")),
                1.3 * loop10,
                Unit::Ns,
            ));
        }
        for op in ["listen", "remove"] {
            for level in ["instance", "class"] {
                goals.push(Self::at_most(
                    "registry",
                    format!("`{op}` with 1,000 present, {level}-level"),
                    self.m(&format!("registry/{op}/{level}/1000")),
                    1000.0,
                    Unit::Ns,
                ));
            }
        }
        let control = self.speedup("floor/1");
        for case in ["static/1", "class/1", "instance/1"] {
            let mut goal = Self::at_least(
                "threads",
                format!("two threads firing `{case}`: throughput vs one thread"),
                self.speedup(case),
                1.8,
                Unit::Times,
            );
            if control < 1.8 {
                goal.status = Status::Pending(
                    "inconclusive: the no-shared-state control `floor/1` did not reach 1.8× either \
                     (see Two threads), so the machine did not give this run two cores",
                );
            }
            goals.push(goal);
        }
        for (n, limit) in [(0, 1.2), (10, 1.5)] {
            let value =
                self.m(&format!("host/hooks-sql/{n}")) / self.m("host/raw-rusqlite/prepare_cached");
            let mut goal = Self::at_most(
                "host",
                format!(
                    "host, {n} `before_cursor_execute` listeners, vs raw `rusqlite` `prepare_cached`"
                ),
                value,
                limit,
                Unit::Times,
            );
            if let Some(why) = crate::host::PENDING {
                goal.status = Status::Pending(why);
            }
            goals.push(goal);
        }
        let sqla = self.sqlalchemy.is_some();
        for n in [0, 1, 10] {
            for (theirs, ours, label) in [
                ("pool-checkin", "instance", "pool `checkin`, instance-level"),
                (
                    "engine-before-cursor-execute",
                    "joined",
                    "`before_cursor_execute` on a connection, listeners on the engine (joined)",
                ),
            ] {
                let mut goal = Self::at_least(
                    "sqlalchemy",
                    format!("vs SQLAlchemy per fire, {n} listeners: {label}"),
                    self.m(&format!("sqlalchemy/{theirs}/{n}"))
                        / self.m(&format!("fire/{ours}/{n}")),
                    100.0,
                    Unit::Times,
                );
                if !sqla {
                    goal.status = Status::Pending("SQLAlchemy not run (pass --sqlalchemy)");
                }
                goals.push(goal);
            }
        }
        for n in [0, 10] {
            let mut goal = Self::at_least(
                "sqlalchemy",
                format!(
                    "vs SQLAlchemy Core end to end, `exec_driver_sql` with {n} \
                     `before_cursor_execute` listeners"
                ),
                self.m(&format!("sqlalchemy/exec-driver-sql/{n}"))
                    / self.m(&format!("host/hooks-sql/{n}")),
                20.0,
                Unit::Times,
            );
            if !sqla {
                goal.status = Status::Pending("SQLAlchemy not run (pass --sqlalchemy)");
            }
            goals.push(goal);
        }
        for (op, raw, label) in ORM_OPS {
            for n in crate::orm::COUNTS {
                goals.push(Self::at_most(
                    "orm",
                    format!("ORM {label}, {n} listeners, vs raw `rusqlite` ({raw})"),
                    self.m(&format!("orm/{op}/{n}")) / self.m(&format!("orm/raw-rusqlite/{raw}")),
                    2.0,
                    Unit::Times,
                ));
            }
        }
        for (op, _, label) in ORM_OPS {
            for n in crate::orm::COUNTS {
                let mut goal = Self::at_least(
                    "sqlalchemy-orm",
                    format!("vs SQLAlchemy ORM, {label}, {n} listeners"),
                    self.m(&format!("sqlalchemy/orm/{op}/{n}")) / self.m(&format!("orm/{op}/{n}")),
                    20.0,
                    Unit::Times,
                );
                if !sqla {
                    goal.status = Status::Pending("SQLAlchemy not run (pass --sqlalchemy)");
                }
                goals.push(goal);
            }
        }
        for op in ["listen", "remove"] {
            for present in [0, 1000] {
                let mut goal = Self::at_least(
                    "sqlalchemy-registry",
                    format!("vs SQLAlchemy per `{op}`, {present} present, instance-level"),
                    self.m(&format!("sqlalchemy/{op}/{present}"))
                        / self.m(&format!("registry/{op}/instance/{present}")),
                    10.0,
                    Unit::Times,
                );
                if !sqla {
                    goal.status = Status::Pending("SQLAlchemy not run (pass --sqlalchemy)");
                }
                goals.push(goal);
            }
        }
        for pair in crate::compile::Pair::ALL {
            let timing = self
                .compile
                .iter()
                .flat_map(|c| &c.timings)
                .find(|t| t.pair == pair);
            goals.push(Self::at_most(
                pair.group(),
                format!("compile time (CPU), {}", pair.title()),
                timing.map_or(f64::NAN, crate::compile::Timing::cpu_ratio),
                pair.goal(),
                Unit::Times,
            ));
        }
        goals
    }

    /// A few lines for the terminal.
    pub fn summary(&self) -> String {
        let goals = self.goals();
        let count = |f: fn(&Status) -> bool| goals.iter().filter(|g| f(&g.status)).count();
        let mut s = String::new();
        let _ = writeln!(
            s,
            "goals: {} met, {} missed, {} pending",
            count(|s| matches!(s, Status::Met)),
            count(|s| matches!(s, Status::Missed(_))),
            count(|s| matches!(s, Status::Pending(_)))
        );
        for g in goals
            .iter()
            .filter(|g| matches!(g.status, Status::Missed(_)))
        {
            if let Status::Missed(by) = &g.status {
                let _ = writeln!(
                    s,
                    "  missed: {} = {} ({} {by})",
                    g.what, g.measured, g.target
                );
            }
        }
        s
    }

    /// The whole `BENCHMARKS.md`.
    #[allow(clippy::too_many_lines, reason = "the report, section after section")]
    pub fn markdown(&self) -> String {
        let mut s = String::new();
        let mode = if self.quick {
            "quick (`--quick`)"
        } else {
            "full"
        };
        let _ = writeln!(
            s,
            "# Benchmarks\n\n\
             Generated by `cargo run --release -p hooks-bench{}` (or `bench/run`), a **{mode}** run \
             on {}; it took {:.0} s after the build. Do not edit by hand: re-run the command. \
             How the numbers are taken, and why this harness, is at the end ([Method](#method)).\n",
            if self.quick { " -- --quick" } else { "" },
            self.machine.date,
            self.total.as_secs_f64()
        );
        s.push_str("## Machine\n\n| | |\n|---|---|\n");
        let m = &self.machine;
        let _ = writeln!(s, "| nproc | {} |", m.nproc);
        let _ = writeln!(s, "| CPU | {} |", m.cpu);
        let _ = writeln!(s, "| OS | {} |", m.os);
        let _ = writeln!(s, "| rustc | {} |", m.rustc);
        let _ = writeln!(s, "| crates | {} |", m.crates);
        if let Some((sqla, python, _)) = &self.sqlalchemy {
            let _ = writeln!(
                s,
                "| Python / SQLAlchemy | CPython {python} / SQLAlchemy {sqla} |"
            );
        }
        let _ = writeln!(
            s,
            "| load average (1/5/15 min) | {} at the start, {} at the end |",
            m.load_start, m.load_end
        );
        let _ = writeln!(
            s,
            "| plan | {} rounds × {} ms per case sample, round-robin; medians (ns per operation) |\n",
            self.plan.rounds,
            self.plan.sample.as_millis()
        );

        self.goals_section(&mut s);
        self.fire_section(&mut s);
        self.registry_section(&mut s);
        self.threads_section(&mut s);
        self.index_section(&mut s);
        self.host_section(&mut s);
        self.orm_section(&mut s);
        self.compile_section(&mut s);
        orm_compile_section(&mut s);
        self.sqlalchemy_section(&mut s);
        s.push_str(crate::analysis::TEXT);
        s.push_str("\n## All cases\n\nns per operation over the rounds.\n\n| case | median | min |\n|---|---:|---:|\n");
        for (id, stat) in &self.stats {
            let _ = writeln!(s, "| `{id}` | {} | {} |", ns(stat.median), ns(stat.min));
        }
        if !self.errors.is_empty() {
            s.push_str("\n## Errors in this run\n\n");
            for e in &self.errors {
                let _ = writeln!(s, "```text\n{}\n```", e.trim());
            }
        }
        s
    }

    fn goals_section(&self, s: &mut String) {
        let goals = self.goals();
        s.push_str(
            "## Goals\n\nReported, not asserted. A missed goal is explained under \
             [Why goals are missed](#why-goals-are-missed).\n\n\
             | goal | measured | target | status |\n|---|---:|---:|---|\n",
        );
        for g in &goals {
            let status = match &g.status {
                Status::Met => "met".to_owned(),
                Status::Missed(by) => format!("**missed**: {by}"),
                Status::Pending(why) => format!("pending: {why}"),
            };
            let _ = writeln!(
                s,
                "| {} | {} | {} | {status} |",
                g.what, g.measured, g.target
            );
        }
        let missed: Vec<&str> = {
            let mut v: Vec<&str> = goals
                .iter()
                .filter(|g| matches!(g.status, Status::Missed(_)))
                .map(|g| g.group)
                .collect();
            v.dedup();
            v
        };
        let _ = writeln!(
            s,
            "\nGoal groups missed in this run: {}.\n",
            if missed.is_empty() {
                "none".to_owned()
            } else {
                missed.join(", ")
            }
        );
    }

    fn fire_section(&self, s: &mut String) {
        s.push_str(
            "## Fire\n\nns per fire (median). Listeners are trivial: a fn or capturing closure \
             of `fn(u64)` that passes its argument to `black_box`. `floor` is a loop over N \
             `black_box`ed fn pointers (10 distinct fns, cycled); `rwlock` is a naive \
             `RwLock<Vec<Box<dyn Fn(u64)>>>` registry; `signals2` is `Signal::emit`.\n\n\
             | listeners | floor | static | class | instance | joined | rwlock | signals2 |\n\
             |---:|---:|---:|---:|---:|---:|---:|---:|\n",
        );
        for n in crate::cases::COUNTS {
            let _ = write!(s, "| {n} | {}", ns(self.m(&format!("floor/loop/{n}"))));
            for (kind, _) in KINDS {
                let _ = write!(s, " | {}", ns(self.m(&format!("fire/{kind}/{n}"))));
            }
            let _ = writeln!(
                s,
                " | {} | {} |",
                ns(self.m(&format!("peer/rwlock/{n}"))),
                ns(self.m(&format!("peer/signals2/{n}")))
            );
        }
        s.push_str(
            "\nRatio to the floor measured in the same run (0 listeners: to `tracing`'s \
             disabled callsite; 1 listener: to one indirect call):\n\n\
             | listeners | baseline | static | class | instance | joined | rwlock | signals2 |\n\
             |---:|---|---:|---:|---:|---:|---:|---:|\n",
        );
        for n in crate::cases::COUNTS {
            let (base_name, base) = match n {
                0 => ("tracing disabled", self.m("peer/tracing-disabled")),
                1 => ("one indirect call", self.m("floor/call")),
                _ => ("loop over N", self.m(&format!("floor/loop/{n}"))),
            };
            let _ = write!(s, "| {n} | {base_name} ({} ns)", ns(base));
            for id in KINDS
                .iter()
                .map(|(k, _)| format!("fire/{k}/{n}"))
                .chain([format!("peer/rwlock/{n}"), format!("peer/signals2/{n}")])
            {
                let _ = write!(s, " | {}", ratio(self.m(&id) / base));
            }
            s.push_str(" |\n");
        }
        let _ = writeln!(
            s,
            "\nOther fires: an event nothing listens to anywhere: {} ns on a plain target, {} ns \
             on a joined one (the `0` row above is a target without listeners of an event that \
             other targets listen to); a `retval` chain of 10 static listeners: {} ns ({} the \
             10-pointer loop); one static `named` listener: {} ns ({} the plain static \
             listener). Baselines: one indirect call {} ns; `tracing::debug!` with no subscriber \
             {} ns.\n",
            ns(self.m("fire/idle/static")),
            ns(self.m("fire/idle/joined")),
            ns(self.m("fire/retval-chain/10")),
            ratio(self.m("fire/retval-chain/10") / self.m("floor/loop/10")),
            ns(self.m("fire/named/1")),
            ratio(self.m("fire/named/1") / self.m("fire/static/1")),
            ns(self.m("floor/call")),
            ns(self.m("peer/tracing-disabled")),
        );
        for (kind, what) in KINDS {
            let _ = writeln!(s, "* `{kind}`: {what}");
        }
        s.push('\n');
    }

    fn registry_section(&self, s: &mut String) {
        s.push_str(
            "## listen / remove / contains\n\nns per operation (median), by fn (ten distinct \
             fns per cycle: listen all, `contains` each, remove each by fn), with 0 or 1,000 \
             capturing-closure listeners already on the target. SQLAlchemy: `event.listen` / \
             `event.remove` / `event.contains` on a pool (instance-level).\n\n\
             | operation | instance, 0 | instance, 1,000 | class, 0 | class, 1,000 | SQLAlchemy, 0 | SQLAlchemy, 1,000 |\n\
             |---|---:|---:|---:|---:|---:|---:|\n",
        );
        for op in ["listen", "remove", "contains"] {
            let _ = writeln!(
                s,
                "| `{op}` | {} | {} | {} | {} | {} | {} |",
                ns(self.m(&format!("registry/{op}/instance/0"))),
                ns(self.m(&format!("registry/{op}/instance/1000"))),
                ns(self.m(&format!("registry/{op}/class/0"))),
                ns(self.m(&format!("registry/{op}/class/1000"))),
                ns(self.m(&format!("sqlalchemy/{op}/0"))),
                ns(self.m(&format!("sqlalchemy/{op}/1000"))),
            );
        }
        s.push('\n');
    }

    fn threads_section(&self, s: &mut String) {
        s.push_str(
            "## Two threads\n\nThe same target fired by one thread, then by two threads at \
             once (both start at a barrier; wall time from the first start to the last \
             finish). Figures are ns per fire per thread; throughput ratio = 2 × (1-thread \
             time) / (2-thread time), 2.00× being perfect scaling. The machine has only 2 \
             cores, so anything else running costs the 2-thread case directly: `floor/1` (one indirect \
             call per iteration, no shared state) is the control that shows how much parallelism \
             the machine actually gave during the run.\n\n\
             | case | 1 thread | 2 threads | throughput, 2 vs 1 | relative to the control |\n\
             |---|---:|---:|---:|---:|\n",
        );
        let control = self.speedup("floor/1");
        for case in ["floor/1", "static/1", "class/1", "instance/1", "rwlock/1"] {
            let _ = writeln!(
                s,
                "| `{case}` | {} | {} | {} | {} |",
                ns(self.m(&format!("threads/1/{case}"))),
                ns(self.m(&format!("threads/2/{case}"))),
                ratio(self.speedup(case)),
                ratio(self.speedup(case) / control)
            );
        }
        s.push('\n');
    }

    fn index_section(&self, s: &mut String) {
        s.push_str("## First fire (static listener index)\n\n");
        match &self.index {
            Some(i) => {
                let _ = writeln!(
                    s,
                    "A generated binary with {} `#[listens_for]` listeners over {} events \
                     (built in release in {:.1} s, dependencies excluded), run {} times; \
                     medians in ns:\n\n\
                     | fire | ns |\n|---|---:|\n\
                     | first fire of `e0` (builds the index of all static listeners) | {} |\n\
                     | second fire of `e0` ({} listeners) | {} |\n\
                     | first fire of `e1` (index built; the slot is reconciled) | {} |\n\
                     | second fire of `e1` | {} |\n",
                    i.listeners,
                    i.events,
                    i.build_secs,
                    i.runs,
                    ns(i.first),
                    i.listeners / i.events.max(1),
                    ns(i.second),
                    ns(i.other_first),
                    ns(i.other_second),
                );
                #[allow(clippy::cast_precision_loss, reason = "small counts")]
                let per = i.first / i.listeners as f64;
                let _ = writeln!(
                    s,
                    "That is {} ns per static listener, paid once per process.\n",
                    ns(per)
                );
            }
            None => s.push_str("Not run (`--no-generated`, or it failed: see the errors).\n\n"),
        }
    }

    fn host_section(&self, s: &mut String) {
        let _ = writeln!(
            s,
            "## Host (`hooks-sql`)\n\n`{}` with one `i64` parameter, one row read, on an \
             in-memory SQLite database.\n\n| case | ns |\n|---|---:|\n\
             | raw `rusqlite`, `prepare_cached` + `query_row` | {} |\n\
             | raw `rusqlite`, `prepare` + `query_row` | {} |",
            crate::host::SQL,
            ns(self.m("host/raw-rusqlite/prepare_cached")),
            ns(self.m("host/raw-rusqlite/prepare")),
        );
        for n in [0, 1, 10] {
            let v = self.m(&format!("host/hooks-sql/{n}"));
            let shown = match crate::host::PENDING {
                Some(_) => "pending hooks-sql".to_owned(),
                None => format!(
                    "{} ({} raw `prepare_cached`)",
                    ns(v),
                    ratio(v / self.m("host/raw-rusqlite/prepare_cached"))
                ),
            };
            let _ = writeln!(
                s,
                "| `hooks-sql` `Connection::exec_driver_sql`, {n} `before_cursor_execute` listeners | {shown} |"
            );
        }
        if crate::host::PENDING.is_none() {
            let (h0, h1, h10) = (
                self.m("host/hooks-sql/0"),
                self.m("host/hooks-sql/1"),
                self.m("host/hooks-sql/10"),
            );
            let raw = self.m("host/raw-rusqlite/prepare_cached");
            let _ = writeln!(
                s,
                "\nWith no listener the host costs {} ns more than raw `rusqlite` ({}): that is \
                 the host's own work (see [Why goals are missed](#why-goals-are-missed)), not \
                 listeners. Each `before_cursor_execute` listener adds about {} ns \
                 ((10 listeners − 0) / 10; 1 listener adds {} ns).",
                ns(h0 - raw),
                ratio(h0 / raw),
                ns((h10 - h0) / 10.0),
                ns(h1 - h0),
            );
        }
        if let Some(why) = crate::host::PENDING {
            let _ = writeln!(
                s,
                "\nThe host half is **{why}**. The raw baseline is measured; \
                 `bench/src/host.rs` says how to plug the host in (a few lines)."
            );
        }
        s.push('\n');
    }

    #[allow(
        clippy::too_many_lines,
        reason = "the table, then the sentences read off it"
    )]
    fn orm_section(&self, s: &mut String) {
        let _ = writeln!(
            s,
            "## ORM (`hooks-orm`)\n\nms per operation on {rows} rows (median), in-memory SQLite \
             (`sqlite://`, one connection kept by the static pool; the raw half and Python's \
             `sqlite3` open `:memory:` themselves), a class of five columns (an integer key the \
             database generates, two texts, an integer, a nullable text). **Flush**: build \
             {rows} new objects, add them to a fresh `Session`, `commit` (the flush and `COMMIT`, \
             one transaction), `close`; raw `rusqlite` builds the same structs and, in one \
             transaction, runs the `prepare_cached` `INSERT` once per struct, reading back the \
             generated key as the ORM does (its flush sends the {rows} INSERTs as one \
             `executemany`, each set's rowid its object's key; SQLAlchemy sends one \
             `INSERT … RETURNING` per object). After each flush the table is emptied with \
             `DELETE FROM` outside the timed part, in every half. **Load**: {rows} rows \
             preloaded; `select` of them all into a fresh `Session` (an empty identity map, so \
             every object is built from its row), `close`; raw `rusqlite` runs the \
             `prepare_cached` `SELECT`, maps each row into the struct and collects a `Vec`. \
             Listeners are no-ops on the mapped class: `before_insert` (fired once per object \
             by the flush) and `load` (once per object by the load); the 0-listener cases use \
             a class nothing listens to. SQLAlchemy does the same with a declarative class, \
             `Session.add_all` + `commit` and `session.scalars(select(...)).all()` (timeit's \
             convention: the garbage collector is off while an operation is timed). Cases: \
             `bench/src/orm.rs`, `bench/sqlalchemy_bench.py`.\n\n\
             | operation | listeners | hooks-orm | raw `rusqlite` | hooks-orm / raw | \
             SQLAlchemy ORM | SQLAlchemy / hooks-orm |\n\
             |---|---:|---:|---:|---:|---:|---:|",
            rows = rows_shown()
        );
        for (op, raw, label) in ORM_OPS {
            let base = self.m(&format!("orm/raw-rusqlite/{raw}"));
            for n in crate::orm::COUNTS {
                let ours = self.m(&format!("orm/{op}/{n}"));
                let theirs = self.m(&format!("sqlalchemy/orm/{op}/{n}"));
                let _ = writeln!(
                    s,
                    "| {label} | {n} | {} | {} | {} | {} | {} |",
                    ms(ours),
                    ms(base),
                    ratio(ours / base),
                    ms(theirs),
                    ratio(theirs / ours)
                );
            }
        }
        let _ = write!(
            s,
            "\nWhat 10 listeners add (the 10-listener median less the 0-listener one, spread over \
             the {calls} listener calls): `before_insert` to a flush, {}; `load` to a load, {}.",
            self.listener_cost("orm/", "flush-1000"),
            self.listener_cost("orm/", "load-1000"),
            calls = ns(LISTENER_CALLS)
        );
        if self.sqlalchemy.is_some() {
            let _ = write!(
                s,
                " SQLAlchemy: {} and {}.",
                self.listener_cost("sqlalchemy/orm/", "flush-1000"),
                self.listener_cost("sqlalchemy/orm/", "load-1000"),
            );
        }
        s.push_str(
            " On this shared machine the ORM cases, which allocate and touch far more memory than \
             the raw ones, swing most with the neighbours' load: the ratios of one run are what \
             count, and [All cases](#all-cases) gives each case's minimum next to its median.",
        );
        if self.sqlalchemy.is_some() {
            let mut floors = Vec::new();
            for (op, raw, label) in ORM_OPS {
                let rust = self.m(&format!("orm/raw-rusqlite/{raw}"));
                let python = self.m(&format!("sqlalchemy/orm/raw-sqlite3/{raw}"));
                let sqla = self.m(&format!("sqlalchemy/orm/{op}/0"));
                let ours = self.m(&format!("orm/{op}/0"));
                floors.push(format!(
                    "{label}: Python's `sqlite3` doing the raw work takes {} ms, {} raw `rusqlite`; \
                     SQLAlchemy's ORM costs {} its driver's floor, hooks-orm {} its own; the \
                     20× goal means at most {} ms, {} raw `rusqlite`, and meeting the ≤ 2× one \
                     would make hooks-orm {} faster than SQLAlchemy",
                    ms(python),
                    ratio(python / rust),
                    ratio(sqla / python),
                    ratio(ours / rust),
                    ms(sqla / 20.0),
                    ratio(sqla / 20.0 / rust),
                    ratio(sqla / (2.0 * rust)),
                ));
            }
            let _ = write!(
                s,
                "\n\nThe floors under each ORM, same run (0 listeners): {}.",
                floors.join("; ")
            );
        }
        s.push_str("\n\n");
    }

    /// What 10 listeners add to ORM operation `op` (cases `{prefix}{op}/0` and `/10`): the
    /// difference of the medians, unless it is within the run's jitter (a median's distance
    /// above its case's minimum), where a shared machine makes it meaningless.
    fn listener_cost(&self, prefix: &str, op: &str) -> String {
        let stat = |n: usize| self.stats.get(&format!("{prefix}{op}/{n}")).copied();
        let (Some(zero), Some(ten)) = (stat(0), stat(10)) else {
            return "not measured".into();
        };
        let added = ten.median - zero.median;
        let jitter = (zero.median - zero.min).max(ten.median - ten.min);
        if added.abs() <= jitter {
            format!(
                "no more than this run's jitter (the medians differ by {} ms, a median lies up \
                 to {} ms above its case's minimum)",
                ms(added.abs()),
                ms(jitter)
            )
        } else {
            format!(
                "{} ms ({} ns per listener call)",
                ms(added),
                ns(added / LISTENER_CALLS)
            )
        }
    }

    fn compile_section(&self, s: &mut String) {
        match &self.compile {
            Some(compiled) => s.push_str(&crate::compile::section(compiled)),
            None => s.push_str(
                "## Compile time\n\nNot run (`--no-generated`, or it failed: see the errors).\n\n",
            ),
        }
    }

    fn sqlalchemy_section(&self, s: &mut String) {
        s.push_str("## SQLAlchemy\n\n");
        let Some((version, python, rounds)) = &self.sqlalchemy else {
            s.push_str(
                "Not run in this run (it is off by default with `--quick`; pass `--sqlalchemy`).\n\n",
            );
            return;
        };
        let _ = writeln!(
            s,
            "SQLAlchemy {version} on CPython {python}, by `bench/sqlalchemy_bench.py` (timeit, \
             {rounds} rounds round-robin, medians), run after the Rust cases. Listeners are \
             no-op Python fns; `pool-checkin` fires `pool.dispatch.checkin(None, None)` with \
             instance-level listeners; `engine-before-cursor-execute` fires \
             `conn.dispatch.before_cursor_execute(...)` through the connection's joined \
             dispatcher with the listeners on the engine; `exec-driver-sql` is SQLAlchemy Core \
             end to end, `conn.exec_driver_sql(\"SELECT ?1 + 1\", (7,)).scalar()` on SQLite in \
             memory, against the `hooks-sql` host case; `orm/…` are the ORM cases of \
             [ORM](#orm-hooks-orm), and `orm/raw-sqlite3/…` Python's `sqlite3` module doing \
             what the raw `rusqlite` cases do.\n\n\
             | case | SQLAlchemy ns | hooks ns | hooks case | SQLAlchemy / hooks |\n\
             |---|---:|---:|---|---:|"
        );
        let mut rows: Vec<(String, String)> = vec![
            ("py/call".into(), "floor/call".into()),
            ("py/loop/10".into(), "floor/loop/10".into()),
        ];
        for n in [0, 1, 10] {
            rows.push((format!("pool-checkin/{n}"), format!("fire/instance/{n}")));
        }
        for n in [0, 1, 10] {
            rows.push((
                format!("engine-before-cursor-execute/{n}"),
                format!("fire/joined/{n}"),
            ));
        }
        for n in [0, 10] {
            rows.push((
                format!("exec-driver-sql/{n}"),
                format!("host/hooks-sql/{n}"),
            ));
        }
        for op in ["listen", "remove", "contains"] {
            for present in [0, 1000] {
                rows.push((
                    format!("{op}/{present}"),
                    format!("registry/{op}/instance/{present}"),
                ));
            }
        }
        for (op, raw, _) in ORM_OPS {
            for n in crate::orm::COUNTS {
                rows.push((format!("orm/{op}/{n}"), format!("orm/{op}/{n}")));
            }
            rows.push((
                format!("orm/raw-sqlite3/{raw}"),
                format!("orm/raw-rusqlite/{raw}"),
            ));
        }
        for (theirs, ours) in rows {
            let a = self.m(&format!("sqlalchemy/{theirs}"));
            let b = self.m(&ours);
            let _ = writeln!(
                s,
                "| `{theirs}` | {} | {} | `{ours}` | {} |",
                ns(a),
                ns(b),
                ratio(a / b)
            );
        }
        s.push('\n');
    }
}

#[derive(Clone, Copy)]
enum Unit {
    Ns,
    Times,
}

impl Unit {
    fn show(self, x: f64) -> String {
        match self {
            Self::Ns => format!("{} ns", ns(x)),
            Self::Times => ratio(x),
        }
    }
}

/// The compile time of `#[derive(hooks_orm::Mapped)]`: measured by its own script,
/// `bench/orm-compile-time/run`, whose last results this report carries as they are.
fn orm_compile_section(s: &mut String) {
    s.push_str("## Compile time of `#[derive(Mapped)]`\n\n");
    s.push_str(include_str!("../orm-compile-time/results.md"));
    s.push('\n');
}
