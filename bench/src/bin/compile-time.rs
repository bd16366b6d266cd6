//! `compile-time`: the compile-time comparisons of BENCHMARKS.md, on their own.
//!
//! ```text
//! cargo run -p hooks-bench --bin compile-time -- [--reps N] [--only listens|orm] [--write]
//! ```
//!
//! Prints the "Compile time" section; `--write` also puts it into BENCHMARKS.md in place of
//! the section's generated part (see `hooks_bench::compile`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use hooks_bench::compile::{self, Pair};

const USAGE: &str = "\
usage: cargo run -p hooks-bench --bin compile-time -- [options]

  --reps N          rebuilds per crate (default 5; medians)
  --only NAME       one comparison: listens (1,000 #[listens_for] fns) or orm (50 Mapped structs)
  --write           put the section into BENCHMARKS.md at the workspace root
  -h, --help        this text";

struct Options {
    reps: usize,
    pairs: Vec<Pair>,
    write: bool,
}

fn parse_args() -> Result<Options, String> {
    let mut options = Options {
        reps: 5,
        pairs: Pair::ALL.to_vec(),
        write: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--reps" => {
                let n = args.next().ok_or("--reps needs a number")?;
                options.reps = n
                    .parse()
                    .map_err(|_| format!("--reps: `{n}` is not a number"))?;
            }
            "--only" => {
                let name = args.next().ok_or("--only needs a name")?;
                let pair = Pair::ALL
                    .into_iter()
                    .find(|p| p.name() == name)
                    .ok_or_else(|| format!("--only: no comparison `{name}`\n\n{USAGE}"))?;
                options.pairs = vec![pair];
            }
            "--write" => options.write = true,
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown option `{other}`\n\n{USAGE}")),
        }
    }
    Ok(options)
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("bench/ has a parent")
        .to_path_buf()
}

fn run(options: &Options) -> Result<(), String> {
    let root = root();
    let section = compile::section(&compile::run(&root, &options.pairs, options.reps)?);
    print!("{section}");
    if options.write {
        let path = root.join("BENCHMARKS.md");
        let old = std::fs::read_to_string(&path).unwrap_or_default();
        std::fs::write(&path, compile::splice(&old, &section))
            .map_err(|e| format!("writing {}: {e}", path.display()))?;
    }
    Ok(())
}

fn main() -> ExitCode {
    let options = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    match run(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("compile-time: {e}");
            ExitCode::FAILURE
        }
    }
}
