//! The command line: what the user typed (clap) turned into resolved
//! settings, each command run, and problems printed as `path:line:col:`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::error::{Diagnostics, Error, Kind};
use crate::pipeline::{self, BuildOptions};

/// Branded investor memos (PDF), numbered personalised copies and a brochure
/// website, from a folder of Markdown briefs and YAML facts.
#[derive(Debug, Parser)]
#[command(name = "orepress", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site and every memo into the output folder.
    Build(BuildArgs),
    /// Load and validate everything; write nothing; list every problem.
    Check(CheckArgs),
    /// Make personalised, numbered copies of a memo and record them in the
    /// register; or tell which copy a PDF is (--verify).
    Copies(CopiesArgs),
    /// Create a new project: a blank one with placeholders to replace (or the
    /// full example), the default theme and files to publish it.
    New {
        /// Folder to create (must not exist or be empty).
        dir: PathBuf,
        /// Write the full example project instead of a blank one.
        #[arg(long)]
        example: bool,
    },
    /// Preview the site locally: build, serve, rebuild and reload on change.
    Serve(ServeArgs),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Project folder (holds content/).
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// Address to listen on.
    #[arg(long, short = 'i', default_value = "127.0.0.1", value_name = "IP")]
    pub interface: std::net::IpAddr,
    /// Port to listen on (0 picks a free one).
    #[arg(long, short = 'p', default_value_t = 1111)]
    pub port: u16,
    /// Include drafts.
    #[arg(long)]
    pub drafts: bool,
    /// Open the preview in the default browser.
    #[arg(long)]
    pub open: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Project folder (holds content/).
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// Treat warnings (a character no memo font can draw) as errors.
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Args)]
pub struct RootArg {
    /// Project folder (holds content/).
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("who").args(["recipients", "for_one", "verify"]).required(true)))]
pub struct CopiesArgs {
    /// The brief (its slug, e.g. antimony-opportunity; a translation as
    /// antimony-opportunity.ur, or with --lang).
    #[arg(required_unless_present = "verify")]
    pub brief: Option<String>,
    /// Copy the brief's translation into this language (e.g. ur): its own
    /// numbers and register, copies/<brief>.<lang>/.
    #[arg(long, value_name = "LANG", conflicts_with = "verify")]
    pub lang: Option<String>,
    /// Recipients file: YAML list or CSV with a header row
    /// (name, organisation, email, note).
    #[arg(long, value_name = "FILE")]
    pub recipients: Option<PathBuf>,
    /// One recipient: "Name, Organisation".
    #[arg(long = "for", value_name = "NAME, ORG")]
    pub for_one: Option<String>,
    /// Tell which registered copy a PDF is.
    #[arg(long, value_name = "FILE.pdf", conflicts_with_all = ["brief", "recipients", "for_one"])]
    pub verify: Option<PathBuf>,
    /// Project folder (holds content/). Copies and their register go to
    /// <root>/copies/<brief>/ (`copies.register_dir` in site.yaml), never
    /// into the output folder.
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Project folder (holds content/).
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// Treat warnings (a character no memo font can draw) as errors; the
    /// previous output is left untouched.
    #[arg(long)]
    pub strict: bool,
    /// Output folder [default: <root>/output].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Override base_url from site.yaml (e.g. for a preview deploy).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Include drafts.
    #[arg(long)]
    pub drafts: bool,
    /// Build only the website.
    #[arg(long, conflicts_with = "pdf_only")]
    pub site_only: bool,
    /// Build only the memos.
    #[arg(long)]
    pub pdf_only: bool,
    /// Number of parallel jobs, at most 256 [default: number of CPUs].
    // Each job is a thread: thousands of them took longer to start and
    // share the work than the work itself (65,535 ran past a minute).
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    pub jobs: Option<u16>,
    /// Write links relative to each page, so output/site/index.html opens
    /// from disk (as relative_urls: true in site.yaml).
    #[arg(long)]
    pub relative: bool,
    /// Set every memo again, even one whose brief, project files, theme
    /// and orepress are unchanged since the previous build (which are
    /// otherwise taken from the previous output).
    #[arg(long)]
    pub fresh: bool,
    /// Print nothing but errors.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// Runs the command line; returns the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Build(args) => build(args),
        Command::Check(args) => check(&args.root, args.strict),
        Command::Copies(args) => copies(args),
        Command::New { dir, example } => new_project(&dir, example),
        Command::Serve(args) => serve(args),
    }
}

fn serve(args: ServeArgs) -> ExitCode {
    let opts = crate::serve::ServeOptions {
        root: args.root,
        interface: args.interface,
        port: args.port,
        drafts: args.drafts,
        date: crate::values::source_date_epoch(),
        open: args.open,
    };
    match crate::serve::serve(&opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(diags) => fail(&diags),
    }
}

fn build(args: BuildArgs) -> ExitCode {
    let out = args.out.clone().unwrap_or_else(|| args.root.join("output"));
    let opts = BuildOptions {
        root: args.root.clone(),
        out: out.clone(),
        base_url: args.base_url.clone(),
        drafts: args.drafts,
        site: !args.pdf_only,
        memos: !args.site_only,
        jobs: args.jobs.map(usize::from),
        relative: args.relative,
        date: crate::values::source_date_epoch(),
        strict: args.strict,
        reuse: !args.fresh,
        parses: None,
        texts: None,
        last: true,
    };
    match pipeline::build(&opts) {
        Ok(summary) => {
            summary.warnings.print();
            if !args.quiet {
                let reused = match summary.reused {
                    0 => String::new(),
                    n => format!(", {n} unchanged"),
                };
                say!(
                    "Built {} pages and {} memos{reused} ({} files, {:.1} MB) into {} in {} ms",
                    summary.pages,
                    summary.memos,
                    summary.files,
                    summary.bytes as f64 / 1e6,
                    out.display(),
                    summary.millis
                );
            }
            ExitCode::SUCCESS
        }
        Err(diags) => fail(&diags),
    }
}

fn check(root: &Path, strict: bool) -> ExitCode {
    let diags = pipeline::check(root, strict);
    if diags.has_errors() {
        // check never writes: saying so would suggest that build might have.
        return fail_with(&diags, "");
    }
    diags.print();
    let warnings = diags.warnings().count();
    say!(
        "No problems found{}.",
        if warnings > 0 {
            format!(" ({warnings} warnings)")
        } else {
            String::new()
        }
    );
    ExitCode::SUCCESS
}

fn copies(args: CopiesArgs) -> ExitCode {
    if let Some(file) = &args.verify {
        return match crate::copies::verify(&args.root, file) {
            Ok(msg) => {
                say!("{msg}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                tell!("{e}");
                exit_code(&e)
            }
        };
    }
    let recipients = match (&args.recipients, &args.for_one) {
        (Some(f), _) => crate::copies::Recipients::File(f.clone()),
        (None, Some(one)) => crate::copies::Recipients::One(one.clone()),
        (None, None) => {
            tell!("error: give --recipients FILE or --for \"Name, Organisation\"");
            return ExitCode::from(2);
        }
    };
    let opts = crate::copies::CopiesOptions {
        root: args.root.clone(),
        brief: args.brief.clone().unwrap_or_default(),
        lang: args.lang.clone(),
        recipients,
        date: crate::values::source_date_epoch(),
    };
    // A progress line on a terminal for runs long enough to wait on.
    let tty = std::io::stderr().is_terminal();
    let progress = |done: usize, total: usize| {
        if tty && total >= 20 {
            tell_part!("\rTypesetting copies: {done}/{total}");
        }
    };
    let made = crate::copies::make_with_progress(&opts, &progress);
    if tty {
        tell_part!("\r\x1b[2K");
    }
    match made {
        Ok(report) => {
            for line in &report.lines {
                say!("{line}");
            }
            say!(
                "{} new register entr{} in {}",
                report.new_rows,
                if report.new_rows == 1 { "y" } else { "ies" },
                report.register.display()
            );
            ExitCode::SUCCESS
        }
        Err(diags) => fail(&diags),
    }
}

fn new_project(dir: &Path, example: bool) -> ExitCode {
    let template = if example {
        crate::scaffold::Template::Example
    } else {
        crate::scaffold::Template::Blank
    };
    match crate::scaffold::create(dir, template) {
        Ok(n) => {
            say!(
                "Created a new orepress project in {} ({n} files).",
                dir.display()
            );
            if !example {
                say!(
                    "Replace the placeholders (\"Your Firm\", \"Your Name\", the sample brief and deal) in content/."
                );
            }
            say!(
                "Next: cd {} && orepress serve   (preview at http://127.0.0.1:1111/)",
                dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            tell!("error: {e}");
            exit_code(&e)
        }
    }
}

/// Prints every diagnostic; returns 1 for content errors, 2 for I/O ones.
fn fail(diags: &Diagnostics) -> ExitCode {
    fail_with(diags, "; nothing was written")
}

/// As [`fail`], with `tail` after the count of problems.
fn fail_with(diags: &Diagnostics, tail: &str) -> ExitCode {
    diags.print();
    let errors = diags.errors().count();
    tell!(
        "error: {errors} problem{} found{tail}",
        if errors == 1 { "" } else { "s" }
    );
    if diags.errors().any(|e| e.kind == Kind::Io)
        && !diags.errors().any(|e| e.kind == Kind::Content)
    {
        ExitCode::from(2)
    } else {
        ExitCode::from(1)
    }
}

fn exit_code(e: &Error) -> ExitCode {
    match e.kind {
        Kind::Content => ExitCode::from(1),
        Kind::Io => ExitCode::from(2),
    }
}
