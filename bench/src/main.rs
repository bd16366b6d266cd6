//! `hooks-bench`: runs the whole benchmark suite and writes `BENCHMARKS.md`.
//!
//! ```text
//! cargo run --release -p hooks-bench -- [--quick] [--sqlalchemy | --no-sqlalchemy]
//!                                       [--no-generated] [--out PATH] [--only PREFIX]
//! ```
//!
//! The in-process cases (fires, registry operations, threads, the host and the ORM against raw
//! `rusqlite`, floor and peers) run round-robin in this process; the index-build binary and the
//! compile-time crates are generated under `target/hooks-bench/gen` and built with cargo;
//! SQLAlchemy runs in a virtualenv under `target/hooks-bench/venv` (full runs by default,
//! `--sqlalchemy` in quick runs). See `bench/src/report.rs` for what the report contains.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use hooks_bench::generate::Generated;
use hooks_bench::harness::{self, Plan};
use hooks_bench::report::{Machine, Report, Stat};
use hooks_bench::{cases, host, orm};

const USAGE: &str = "\
usage: cargo run --release -p hooks-bench -- [options]

  --quick           CI-sized run: fewer rounds, shorter samples, a smaller index binary,
                    one compile-time rebuild, no SQLAlchemy unless --sqlalchemy
  --sqlalchemy      run the SQLAlchemy comparison (default in full runs)
  --no-sqlalchemy   skip it
  --no-generated    skip the generated crates (index build, compile time)
  --out PATH        where to write the report (default: BENCHMARKS.md at the workspace root)
  --only PREFIX     run only the in-process cases whose id starts with PREFIX (for profiling;
                    the report then lacks the others' baselines); the SQLAlchemy script, if
                    run, likewise runs only its cases named so (`--only orm --sqlalchemy
                    --no-generated`: the ORM cases of both, in about half a minute)
  -h, --help        this text";

struct Options {
    quick: bool,
    sqlalchemy: bool,
    generated: bool,
    out: PathBuf,
    only: Option<String>,
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("bench/ has a parent")
        .to_path_buf()
}

fn parse_args() -> Result<Options, String> {
    let mut quick = false;
    let mut sqlalchemy = None;
    let mut generated = true;
    let mut out = root().join("BENCHMARKS.md");
    let mut only = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--quick" => quick = true,
            "--sqlalchemy" => sqlalchemy = Some(true),
            "--no-sqlalchemy" => sqlalchemy = Some(false),
            "--no-generated" => generated = false,
            "--out" => out = args.next().ok_or("--out needs a path")?.into(),
            "--only" => only = Some(args.next().ok_or("--only needs a case id prefix")?),
            "-h" | "--help" => return Err(USAGE.to_owned()),
            // `cargo bench` passes `--bench`; accept and ignore it.
            "--bench" => {}
            other => return Err(format!("unknown option `{other}`\n\n{USAGE}")),
        }
    }
    Ok(Options {
        quick,
        sqlalchemy: sqlalchemy.unwrap_or(!quick),
        generated,
        out,
        only,
    })
}

fn step(what: &str) {
    eprintln!("hooks-bench: {what}");
}

fn command_line(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg").map_or_else(
        |_| "unknown".into(),
        |s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "),
    )
}

fn machine() -> Machine {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".into());
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).unwrap_or_default();
    let version = |name: &str| {
        let needle = format!("name = \"{name}\"\nversion = \"");
        lock.find(&needle).map_or_else(
            || "?".into(),
            |i| {
                let rest = &lock[i + needle.len()..];
                rest[..rest.find('"').unwrap_or(0)].to_owned()
            },
        )
    };
    let crates = [
        "hooks",
        "arc-swap",
        "linkme",
        "tracing",
        "tracing-core",
        "signals2",
        "rusqlite",
        "libsqlite3-sys",
    ]
    .iter()
    .map(|c| format!("{c} {}", version(c)))
    .collect::<Vec<_>>()
    .join(", ");
    Machine {
        nproc: std::thread::available_parallelism().map_or(0, std::num::NonZero::get),
        cpu,
        rustc: command_line(
            &std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into()),
            &["--version"],
        )
        .unwrap_or_else(|| "unknown".into()),
        os: command_line("uname", &["-sr"]).unwrap_or_else(|| "unknown".into()),
        date: command_line("date", &["-u", "+%Y-%m-%d %H:%M UTC"]).unwrap_or_default(),
        crates,
        load_start: load_average(),
        load_end: String::new(),
    }
}

/// Creates the virtualenv (once), installs SQLAlchemy, runs the script; returns its JSON.
fn sqlalchemy(quick: bool, only: Option<&str>) -> Result<serde_json::Value, String> {
    let venv = root().join("target/hooks-bench/venv");
    let python = venv.join("bin/python");
    let run = |program: &Path, args: &[&str]| -> Result<String, String> {
        let out = Command::new(program)
            .args(args)
            .output()
            .map_err(|e| format!("{}: {e}", program.display()))?;
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).into_owned())
        } else {
            Err(format!(
                "{} {}: {}",
                program.display(),
                args.join(" "),
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    };
    if !python.exists() {
        step("creating the SQLAlchemy virtualenv");
        run(
            Path::new("python3"),
            &["-m", "venv", &venv.display().to_string()],
        )?;
    }
    if run(&python, &["-c", "import sqlalchemy"]).is_err() {
        step("installing sqlalchemy from PyPI");
        run(
            &python,
            &[
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "sqlalchemy",
            ],
        )?;
    }
    step("running the SQLAlchemy cases");
    let script = root().join("bench/sqlalchemy_bench.py");
    let mut args = vec![script.to_str().ok_or("non-UTF-8 path")?];
    if quick {
        args.push("--quick");
    }
    if let Some(prefix) = only {
        args.extend(["--only", prefix]);
    }
    let json = run(&python, &args)?;
    serde_json::from_str(&json).map_err(|e| format!("SQLAlchemy JSON: {e}"))
}

#[allow(clippy::too_many_lines, reason = "the run, step after step")]
fn main() -> ExitCode {
    let options = match parse_args() {
        Ok(o) => o,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    if cfg!(debug_assertions) {
        eprintln!("hooks-bench: refusing to measure a debug build; run with `--release`");
        return ExitCode::from(2);
    }
    let started = Instant::now();
    let mut report = Report {
        quick: options.quick,
        machine: machine(),
        ..Report::default()
    };

    let plan = if options.quick {
        Plan {
            rounds: 7,
            sample: Duration::from_millis(2),
        }
    } else {
        Plan {
            rounds: 31,
            sample: Duration::from_millis(8),
        }
    };
    report.plan = plan;
    step("setting up the in-process cases");
    let mut all = Vec::new();
    all.extend(cases::floor_cases());
    all.extend(cases::peer_cases());
    all.extend(cases::fire_cases());
    all.extend(cases::registry_cases());
    all.extend(cases::thread_cases());
    all.extend(host::raw_cases());
    all.extend(host::host_cases());
    all.extend(orm::raw_cases());
    all.extend(orm::orm_cases());
    if let Some(prefix) = &options.only {
        all.retain(|case| case.id.starts_with(prefix.as_str()));
    }
    step(&format!(
        "{} cases, {} rounds of {:?} samples",
        all.len(),
        plan.rounds,
        plan.sample
    ));
    let mut last = Instant::now();
    let stats = harness::run(&mut all, plan, |what| {
        if what.starts_with("round") && last.elapsed() > Duration::from_secs(5) {
            step(what);
            last = Instant::now();
        }
    });
    report.stats = stats
        .into_iter()
        .map(|s| {
            (
                s.id.clone(),
                Stat {
                    median: s.median,
                    min: s.min,
                },
            )
        })
        .collect::<BTreeMap<_, _>>();

    if options.generated {
        let (listeners, events, runs, reps) = if options.quick {
            (1_000, 10, 3, 1)
        } else {
            (10_000, 100, 7, 3)
        };
        match Generated::write(&root(), listeners, events) {
            Ok(generated) => {
                step(&format!(
                    "building the index binary ({listeners} static listeners over {events} events)"
                ));
                match generated.index_build(listeners, events, runs) {
                    Ok(index) => report.index = Some(index),
                    Err(e) => report.errors.push(e),
                }
                step("timing the compile-time crates");
                match hooks_bench::compile::run(&root(), &hooks_bench::compile::Pair::ALL, reps) {
                    Ok(compile) => report.compile = Some(compile),
                    Err(e) => report.errors.push(e),
                }
            }
            Err(e) => report
                .errors
                .push(format!("writing the generated crates: {e}")),
        }
    }

    if options.sqlalchemy {
        match sqlalchemy(options.quick, options.only.as_deref()) {
            Ok(json) => report.fold_sqlalchemy(&json),
            Err(e) => report.errors.push(e),
        }
    }

    report.machine.load_end = load_average();
    report.total = started.elapsed();
    let text = report.markdown();
    if let Err(e) = std::fs::write(&options.out, &text) {
        eprintln!("hooks-bench: cannot write {}: {e}", options.out.display());
        return ExitCode::FAILURE;
    }
    print!("{}", report.summary());
    step(&format!(
        "wrote {} in {:.0} s",
        options.out.display(),
        report.total.as_secs_f64()
    ));
    for e in &report.errors {
        eprintln!("hooks-bench: error: {e}");
    }
    if report.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
