//! The `schema-parity` binary: parse arguments, run, print, exit with the
//! contract's code (0 parity, 1 findings, 2 bad input, 3 environment).

mod cli;

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;

/// A case allocates many small strings and rows; see Cargo.toml.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use schema_parity::ErrorClass;
use schema_parity::progress::Progress;
use schema_parity::report;
use schema_parity::report::baseline::Baseline;
use schema_parity::{build, commands};

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cli.command {
        cli::Command::Check(args) => check(&args),
        cli::Command::Baseline(args) => baseline(&args),
        cli::Command::Init(args) => init(&args),
        cli::Command::Fuzz(args) => fuzz(&args),
        cli::Command::Mutate(args) => mutate(&args),
        cli::Command::Replay(args) => replay(&args),
        cli::Command::EmitValidate(args) => emit_validate(&args),
        cli::Command::Serve(args) => serve(&args),
    }
}

fn serve(args: &cli::ServeArgs) -> ExitCode {
    use schema_parity::provision::{self, Backend};
    let watched = nix::unistd::Pid::from_raw(i32::try_from(args.until_pid).unwrap_or(i32::MAX));
    let alive = || nix::sys::signal::kill(watched, None).is_ok();
    if !alive() {
        eprintln!("error: no process {} to serve for", args.until_pid);
        return ExitCode::from(2);
    }
    let server = match provision::obtain(Backend::Embedded, None) {
        Ok(s) => s,
        Err(e) => return failure(&e),
    };
    let Some(url) = server.cluster_url() else {
        eprintln!("error: failed to start an embedded cluster");
        return ExitCode::from(3);
    };
    // Written whole, then renamed: a reader never sees half a line.
    let partial = args.env_file.with_extension("partial");
    let written = std::fs::write(&partial, format!("PARITY_PG_URL={url}\n"))
        .and_then(|()| std::fs::rename(&partial, &args.env_file));
    if let Err(e) = written {
        eprintln!("error: failed to write {}: {e}", args.env_file.display());
        return ExitCode::from(2);
    }
    eprintln!(
        "schema-parity: serving {url} until process {} exits",
        args.until_pid
    );
    while alive() {
        if let Some(why) = server.lost() {
            eprintln!("error: the served PostgreSQL went away: {why}");
            return ExitCode::from(3);
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    drop(server);
    eprintln!(
        "schema-parity: process {} exited; server removed",
        args.until_pid
    );
    ExitCode::SUCCESS
}

fn emit_validate(args: &cli::EmitValidateArgs) -> ExitCode {
    use schema_parity::structure::validate::{self, Origin};
    use schema_parity::structure::{diff, expected};
    let opts = args.inputs.options(Vec::new(), 0, 0);
    let result = with_progress(|progress| {
        build::with_built(&opts, progress, |built, configured| {
            let origin = Origin::new(
                &args.inputs.sqlite,
                &args.inputs.pg,
                configured.path.as_deref(),
            );
            let expected = expected::schema(&built.sqlite, &configured.config, &built.probed);
            let findings = diff::findings(&expected, &built.pg);
            validate::script(&expected, &built.pg, &findings, &origin)
        })
    });
    let text = match result {
        Ok(t) => t,
        Err(e) => return failure(&e),
    };
    let path = args
        .output
        .clone()
        .unwrap_or_else(|| args.inputs.pg.join("validate_schema.sql"));
    if path.as_os_str() == "-" {
        print!("{text}");
        return ExitCode::SUCCESS;
    }
    if let Err(e) = std::fs::write(&path, &text) {
        eprintln!("error: failed to write {}: {e}", path.display());
        return ExitCode::from(2);
    }
    eprintln!(
        "schema-parity: wrote {} (run it with `psql -X -v ON_ERROR_STOP=1 -f {}`)",
        path.display(),
        path.display()
    );
    ExitCode::SUCCESS
}

fn mutate(args: &cli::MutateArgs) -> ExitCode {
    use schema_parity::commands::mutate::{self, MutateOptions, Operator};
    let operators: Result<Vec<Operator>, String> = if args.operators.is_empty() {
        Ok(Operator::ALL.to_vec())
    } else {
        args.operators
            .iter()
            .map(|o| {
                Operator::parse(o).ok_or_else(|| {
                    format!(
                        "unknown operator `{o}` (one of: {})",
                        Operator::ALL.map(Operator::name).join(", ")
                    )
                })
            })
            .collect()
    };
    let operators = match operators {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let opts = MutateOptions {
        run: schema_parity::build::RunOptions {
            only: args.only.clone(),
            ..args
                .inputs
                .options(schema_parity::check::checks(), args.cases, args.seed)
        },
        operators,
        sample: args.sample,
        workers: std::thread::available_parallelism().map_or(2, |n| n.get()),
        recheck_all: args.recheck_all,
    };
    let result = with_progress(|progress| mutate::mutate(&opts, progress));
    match result {
        Ok(report) => {
            let text = mutate::render(&report, args.format);
            match &args.output {
                Some(path) => {
                    if let Err(e) = std::fs::write(path, &text) {
                        eprintln!("error: failed to write {}: {e}", path.display());
                        return ExitCode::from(2);
                    }
                }
                None => print!("{text}"),
            }
            if report.survivors().next().is_none() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(e) => failure(&e),
    }
}

fn check(args: &cli::CheckArgs) -> ExitCode {
    let opts = match args.run.options(rand_seed) {
        Ok(o) => schema_parity::build::RunOptions {
            values_from: args.values_from(),
            ..o
        },
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    // A bad baseline is bad input: said before paying for a server.
    let baseline = match args.baseline.as_deref().map(Baseline::load).transpose() {
        Ok(b) => b,
        Err(e) => return failure(&e),
    };
    let result = with_progress(|progress| commands::check::check(&opts, progress));
    match result {
        Ok(mut report) => {
            if args.strict {
                report.set_strict();
            }
            if let Some(b) = &baseline {
                b.apply(&mut report);
            }
            if let Some(dir) = &args.save_regressions
                && let Err(e) = save_regressions(dir, &report)
            {
                eprintln!(
                    "error: failed to save regressions in {}: {e}",
                    dir.display()
                );
                return ExitCode::from(2);
            }
            if let Err(code) = write_reports(&report, &args.out) {
                return code;
            }
            if report.failures() > 0 || report.incomplete() && !args.allow_untested {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(e) => failure(&e),
    }
}

/// Prints the report in `format` (to `output`, else stdout), and writes
/// each `--report FORMAT=FILE`; a file that cannot be written is exit 2.
fn write_reports(report: &report::Report, out: &cli::Outputs) -> Result<(), ExitCode> {
    let (format, output, extra) = (out.format, out.output.as_deref(), &out.report);
    let text = report::render(report, format);
    match output {
        Some(path) => {
            if let Err(e) = std::fs::write(path, &text) {
                eprintln!("error: failed to write {}: {e}", path.display());
                return Err(ExitCode::from(2));
            }
            eprintln!("schema-parity: report written to {}", path.display());
        }
        None => print!("{text}"),
    }
    for (format, path) in extra {
        if let Err(e) = std::fs::write(path, report::render(report, *format)) {
            eprintln!("error: failed to write {}: {e}", path.display());
            return Err(ExitCode::from(2));
        }
        eprintln!("schema-parity: report written to {}", path.display());
    }
    Ok(())
}

/// `replay`: exit 0 when every row loads and reads back equal, 1 when
/// rows are refused or altered (or the schema drifted), 2 bad input, 3
/// environment.
fn replay(args: &cli::ReplayArgs) -> ExitCode {
    let opts = args.options();
    let report =
        match with_progress(|progress| schema_parity::commands::replay::replay(&opts, progress)) {
            Ok(r) => r,
            Err(e) => return failure(&e),
        };
    if let Err(code) = write_reports(&report, &args.out) {
        return code;
    }
    if report.failures() > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn baseline(args: &cli::BaselineArgs) -> ExitCode {
    let opts = match args.run.options(rand_seed) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let report = match with_progress(|progress| commands::check::check(&opts, progress)) {
        Ok(r) => r,
        Err(e) => return failure(&e),
    };
    let text = schema_parity::report::baseline::render(&report);
    let entries = report
        .findings
        .iter()
        .filter(|f| !f.accepted)
        .map(|f| schema_parity::report::baseline::keys(f).len())
        .sum::<usize>();
    if args.output.as_os_str() == "-" {
        print!("{text}");
    } else if let Err(e) = std::fs::write(&args.output, &text) {
        eprintln!("error: failed to write {}: {e}", args.output.display());
        return ExitCode::from(2);
    } else {
        eprintln!(
            "schema-parity: wrote {} ({entries} entries from {} finding(s); use it with `check --baseline {}`)",
            args.output.display(),
            report.summary.findings + report.summary.warnings,
            args.output.display()
        );
    }
    if report.incomplete() {
        eprintln!(
            "schema-parity: note: {} propert(ies) tested nothing and {} difference(s) were flaky; a baseline does not cover these (see inputs.not_exercised and inputs.flaky in --format json, and --allow-untested)",
            report.inputs.not_exercised.len(),
            report.inputs.flaky.len()
        );
    }
    ExitCode::SUCCESS
}

fn fuzz(args: &cli::FuzzArgs) -> ExitCode {
    use schema_parity::commands::fuzz::{self, FuzzOptions};
    let checks = match cli::parse_checks(&args.checks) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let seed = args.seed.unwrap_or_else(rand_seed);
    let opts = FuzzOptions {
        run: args.inputs.options(checks, args.cases, seed),
        duration: args.duration,
        max_cases: args.max_cases,
        regressions: args.regressions.clone(),
    };
    let summary = match with_progress(|progress| fuzz::fuzz(&opts, progress)) {
        Ok(s) => s,
        Err(e) => return failure(&e),
    };
    print!("{}", summary.render(&args.regressions));
    if summary.findings.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn init(args: &cli::InitArgs) -> ExitCode {
    use schema_parity::commands::init::{self, Project};
    let mut opts = match args.run.options(rand_seed) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    // The run sees only a config named with --config: the parity.toml it
    // would otherwise read is the file being written.
    opts.config_search = false;
    if !args.dir.is_dir() {
        eprintln!(
            "error: --dir {}: no such directory (the project's root, where the files go)",
            args.dir.display()
        );
        return ExitCode::from(2);
    }
    let project = Project {
        dir: args.dir.clone(),
        sqlite: init::relative_to(&args.dir, &args.run.inputs.sqlite),
        pg: init::relative_to(&args.dir, &args.run.inputs.pg),
        ci: args.ci,
        rust: args.dir.join("Cargo.toml").is_file(),
    };
    // Refused before the run: a second `init` costs nothing.
    let existing: Vec<String> = init::targets(&project)
        .iter()
        .filter(|p| args.dir.join(p).exists())
        .map(|p| args.dir.join(p).display().to_string())
        .collect();
    if !existing.is_empty() && !args.force {
        eprintln!(
            "error: init would overwrite {}; nothing was written (use --force to overwrite)",
            existing.join(", ")
        );
        return ExitCode::from(2);
    }
    let report = match with_progress(|progress| commands::check::check(&opts, progress)) {
        Ok(r) => r,
        Err(e) => return failure(&e),
    };
    for file in init::files(&project, &report) {
        let path = args.dir.join(&file.path);
        let existed = path.exists();
        if let Err(e) = write_file(&path, &file.text, file.executable) {
            eprintln!("error: failed to write {}: {e}", path.display());
            return ExitCode::from(2);
        }
        eprintln!(
            "schema-parity: {} {}",
            if existed { "overwrote" } else { "wrote" },
            path.display()
        );
    }
    let open = report.findings.iter().filter(|f| !f.accepted).count();
    eprintln!(
        "schema-parity: the run found {open} difference(s); each is a commented-out [[accept]] block in parity.toml: fix it, or uncomment the block and give its reason"
    );
    if project.rust {
        eprintln!(
            "schema-parity: add to Cargo.toml, for `cargo test --release` to run tests/parity.rs:\n\n{}",
            init::cargo_lines()
        );
    } else {
        eprintln!(
            "schema-parity: no Cargo.toml in {}: no tests/parity.rs (the suite is for Rust projects; the CLI covers any)",
            args.dir.display()
        );
    }
    if args.ci == init::Ci::Gitlab {
        eprintln!(
            "schema-parity: include the job from .gitlab-ci.yml:\n  include:\n    - local: ci/schema-parity.gitlab-ci.yml"
        );
    }
    ExitCode::SUCCESS
}

/// Writes `text` to `path`, creating its directory; `executable` sets the
/// execute bits (a script).
fn write_file(path: &std::path::Path, text: &str, executable: bool) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, text)?;
    if executable {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))?;
    }
    Ok(())
}

fn save_regressions(
    dir: &std::path::Path,
    report: &schema_parity::report::Report,
) -> std::io::Result<()> {
    for f in report
        .findings
        .iter()
        .filter(|f| f.witness.is_some() && !f.accepted)
    {
        let path = report::save_regression(dir, f)?;
        eprintln!("schema-parity: saved witness {}", path.display());
    }
    Ok(())
}

/// Runs `f` with the run's progress on stderr (see [`Watch`]); a bar is
/// cleared before the report is printed.
fn with_progress<T>(f: impl FnOnce(&dyn Progress) -> T) -> T {
    let watch = Watch::new();
    let out = f(&watch);
    if let Some(b) = &watch.bar {
        b.finish_and_clear();
    }
    out
}

/// Progress on stderr: on a terminal, a spinner with the phase, then a bar
/// of cases done / total with an ETA; otherwise plain lines — each phase,
/// and how far the cases are at most every 10 seconds.
struct Watch {
    bar: Option<indicatif::ProgressBar>,
    /// The bar shows counts (after the first `advance`).
    counting: std::sync::atomic::AtomicBool,
    /// Plain lines: when counting started (and from what), the last line.
    lines: std::sync::Mutex<Option<(std::time::Instant, u64, std::time::Instant)>>,
}

impl Watch {
    fn new() -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let b = indicatif::ProgressBar::new_spinner();
            b.enable_steady_tick(std::time::Duration::from_millis(120));
            b
        });
        Watch {
            bar,
            counting: std::sync::atomic::AtomicBool::new(false),
            lines: std::sync::Mutex::new(None),
        }
    }
}

impl Progress for Watch {
    fn phase(&self, msg: &str) {
        match &self.bar {
            Some(b) => b.set_message(msg.to_string()),
            None => eprintln!("schema-parity: {msg}"),
        }
    }

    fn advance(&self, done: u64, total: u64, unit: &str) {
        use std::sync::atomic::Ordering;
        if let Some(b) = &self.bar {
            if !self.counting.swap(true, Ordering::Relaxed)
                && let Ok(style) = indicatif::ProgressStyle::with_template(
                    "{spinner} [{bar:30}] {human_pos}/{human_len} {prefix} · {per_sec} · ETA {eta} · {wide_msg}",
                )
            {
                b.set_style(style.progress_chars("=> "));
            }
            b.set_prefix(unit.to_string());
            b.set_length(total);
            b.set_position(done);
            return;
        }
        let now = std::time::Instant::now();
        let Ok(mut lines) = self.lines.lock() else {
            return;
        };
        let (since, from, last) = *lines.get_or_insert((now, done, now));
        if now.duration_since(last) < std::time::Duration::from_secs(10) {
            return;
        }
        *lines = Some((since, from, now));
        let pct = done.saturating_mul(100).checked_div(total).unwrap_or(100);
        let rate =
            (done - from.min(done)) as f64 / now.duration_since(since).as_secs_f64().max(1e-3);
        let eta = if rate > 0.0 {
            format!(
                ", about {:.0} s left",
                (total.saturating_sub(done)) as f64 / rate
            )
        } else {
            String::new()
        };
        eprintln!("schema-parity: {done}/{total} {unit} ({pct}%, {rate:.0}/s){eta}");
    }
}

/// Prints an error and maps its class to the contract's exit code.
fn failure(e: &schema_parity::Error) -> ExitCode {
    eprintln!("error: {e}");
    match e.class() {
        ErrorClass::Input => ExitCode::from(2),
        ErrorClass::Environment => ExitCode::from(3),
    }
}

fn rand_seed() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() ^ u64::from(d.subsec_nanos()))
}
