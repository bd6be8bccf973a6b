//! The `pamphlet` command: parses arguments, calls the library, prints its report, sets the exit code.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, CommandFactory, Parser, Subcommand};
use pamphlet::authoring::check::{CheckOptions, check};
use pamphlet::authoring::external::ExternalOptions;
use pamphlet::authoring::init::{InitOptions, init};
use pamphlet::authoring::new::{NewOptions, new_article};
use pamphlet::error::Diagnostic;
use pamphlet::{BuildOptions, build};

/// Pamphlet builds advocacy publications: Markdown articles with front matter in, a fast static site out.
#[derive(Debug, Parser)]
#[command(
    name = "pamphlet",
    version,
    about,
    long_about = None,
    after_help = "Start here: pamphlet init my-site && cd my-site && pamphlet build\nThen: pamphlet new \"Headline\", pamphlet check, pamphlet build. More: pamphlet help <COMMAND>."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the site into the output folder (default: public/).
    Build(BuildArgs),
    /// Create a new site: commented site.toml, an example article, an about page.
    Init(InitArgs),
    /// Start a new article: content/articles/<date>-<slug>.md with its front matter filled in.
    New(NewArgs),
    /// Build in memory and report broken links, missing images and alt text, and loose ends.
    Check(CheckArgs),
    /// Print a shell completion script (e.g. `pamphlet completions bash > ~/.local/share/bash-completion/completions/pamphlet`).
    Completions(CompletionsArgs),
    /// Print the manual page (roff), e.g. `pamphlet man | man -l -`.
    Man,
    /// Preview the site locally: rebuilds on every change and reloads the browser.
    Serve(ServeArgs),
}

#[derive(Debug, Args)]
struct ServeArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Port to listen on; if it is taken, the next free one is used (0: any free port).
    #[arg(long, short, default_value_t = 1111)]
    port: u16,
    /// Address to listen on. Only change it to show the preview to other machines.
    #[arg(long, default_value = "127.0.0.1", value_name = "ADDRESS")]
    interface: std::net::IpAddr,
    /// Open the site in the default browser.
    #[arg(long)]
    open: bool,
}

#[derive(Debug, Args)]
struct SiteArgs {
    /// The site folder: the one holding site.toml, content/ and themes/.
    #[arg(long, default_value = ".", value_name = "DIR")]
    root: PathBuf,
    /// Override base_url from site.toml, e.g. for a preview deploy.
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Include articles marked `draft: true`.
    #[arg(long)]
    drafts: bool,
    /// Include articles dated in the future (normally held back until their date).
    #[arg(long)]
    future: bool,
}

#[derive(Debug, Args)]
struct BuildArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Where to write the site (default: <root>/public). Pamphlet only replaces folders it created.
    #[arg(long, short, value_name = "DIR")]
    output: Option<PathBuf>,
    /// Print how long each stage of the build took (to stderr).
    #[arg(long)]
    timings: bool,
}

#[derive(Debug, Args)]
struct InitArgs {
    /// The folder to create (it must be new or empty, unless --force).
    #[arg(value_name = "DIR")]
    dir: PathBuf,
    /// Add the starter files to a folder that is not empty; existing files are never overwritten.
    #[arg(long)]
    force: bool,
    /// Also copy the built-in theme to themes/NAME/ to customise it (and select it in a new site.toml).
    #[arg(long, value_name = "NAME", num_args = 0..=1, default_missing_value = "custom")]
    eject_theme: Option<String>,
}

#[derive(Debug, Args)]
struct NewArgs {
    /// The headline, in quotes: pamphlet new "Headline of the story".
    #[arg(value_name = "HEADLINE")]
    title: String,
    /// A category declared in site.toml.
    #[arg(long, short, value_name = "NAME")]
    category: Option<String>,
    /// Comma-separated tags: --tags water,health.
    #[arg(long, short, value_name = "TAGS", value_delimiter = ',')]
    tags: Vec<String>,
    /// Mark the article as a draft (left out of builds unless --drafts).
    #[arg(long)]
    draft: bool,
    /// URL slug (default: made from the headline).
    #[arg(long, value_name = "SLUG")]
    slug: Option<String>,
    /// The site folder: the one holding site.toml.
    #[arg(long, default_value = ".", value_name = "DIR")]
    root: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// `path:line: severity: message` lines for people and editors.
    Text,
    /// One JSON document for CI.
    Json,
}

#[derive(Debug, Args)]
struct CheckArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Also check links to other websites (HEAD, then GET; results cached for a day in .pamphlet-cache/).
    #[arg(long)]
    external: bool,
    /// With --external: seconds before a site counts as not answering.
    #[arg(long, default_value_t = 10, value_name = "SECONDS")]
    timeout: u64,
    /// With --external: how many sites to ask at once.
    #[arg(long, default_value_t = 8, value_name = "N")]
    concurrency: usize,
    /// With --external: ignore and do not update the cache.
    #[arg(long)]
    no_cache: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Debug, Args)]
struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

impl SiteArgs {
    fn options(&self) -> BuildOptions {
        BuildOptions {
            root: self.root.clone(),
            output: None,
            base_url: self.base_url.clone(),
            drafts: self.drafts,
            future: self.future,
            now: None,
        }
    }
}

// Writes ignore errors: with stdout or stderr closed (`pamphlet build | head -0`) the build's
// outcome still stands, and `println!` would panic instead.
fn print_diagnostics(diags: &[Diagnostic]) {
    let mut err = std::io::stderr().lock();
    for d in diags {
        let _ = writeln!(err, "{}", printable(&d.to_string()));
    }
}

/// Today's date in UTC: never ahead of the build's clock, so a new article is not held back as future-dated.
fn today() -> jiff::civil::Date {
    jiff::tz::TimeZone::UTC
        .to_datetime(jiff::Timestamp::now())
        .date()
}

fn run_init(args: InitArgs) -> ExitCode {
    let opts = InitOptions {
        dir: args.dir,
        force: args.force,
        eject_theme: args.eject_theme,
        today: today(),
    };
    match init(&opts) {
        Ok(report) => {
            for p in &report.created {
                println!("  created  {}", p.display());
            }
            for p in &report.skipped {
                println!("  kept     {} (already there)", p.display());
            }
            let dir = opts.dir.display();
            println!(
                "New site in {dir}: {} file(s) created, {} kept. Theme: \"{}\".",
                report.created.len(),
                report.skipped.len(),
                report.theme
            );
            if report.skipped.iter().any(|p| p.as_os_str() == "site.toml")
                && opts.eject_theme.is_some()
            {
                println!(
                    "site.toml was kept: set theme = \"{}\" in it to use the copied theme.",
                    report.theme
                );
            }
            println!(
                "Next: cd {dir} && pamphlet build (then open public/index.html), or pamphlet new \"Headline\"."
            );
            ExitCode::SUCCESS
        }
        Err(d) => {
            eprintln!("{d}");
            ExitCode::FAILURE
        }
    }
}

fn run_new(args: NewArgs) -> ExitCode {
    let opts = NewOptions {
        root: args.root,
        title: args.title,
        category: args.category,
        tags: args.tags,
        draft: args.draft,
        slug: args.slug,
        today: today(),
    };
    match new_article(&opts) {
        Ok(report) => {
            let shown = if opts.root == std::path::Path::new(".") {
                report.path
            } else {
                opts.root.join(&report.path)
            };
            println!("{}", shown.display());
            ExitCode::SUCCESS
        }
        Err(diags) => {
            print_diagnostics(&diags);
            ExitCode::FAILURE
        }
    }
}

fn run_check(args: CheckArgs) -> ExitCode {
    let build = args.site.options();
    let external = args.external.then(|| {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let cache =
            (!args.no_cache).then(|| build.root.join(".pamphlet-cache/external-links.json"));
        let mut e = ExternalOptions::new(cache, now);
        e.timeout = std::time::Duration::from_secs(args.timeout.max(1));
        e.concurrency = args.concurrency.max(1);
        e
    });
    let report = check(&CheckOptions { build, external });
    match args.format {
        Format::Json => println!("{}", report.to_json()),
        Format::Text => {
            print_diagnostics(&report.diagnostics);
            if report.built {
                let mut ext = String::new();
                if args.external {
                    ext = format!(
                        ", {} external ({} from cache)",
                        report.external, report.external_cached
                    );
                }
                eprintln!(
                    "Checked {} documents, {} internal links{ext}: {} error(s), {} warning(s).",
                    report.documents,
                    report.links,
                    report.error_count(),
                    report.warning_count()
                );
            } else {
                eprintln!(
                    "The site does not build: {} error(s).",
                    report.error_count()
                );
            }
        }
    }
    if report.error_count() > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// The process's peak resident memory so far, where the system reports it (Linux: `VmHWM`).
fn peak_memory_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Messages quote file names and front matter; control characters in them (ESC sequences, NUL) are
/// shown escaped so they cannot drive the terminal.
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() && c != '\n' && c != '\t' {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

// Builds allocate millions of short strings across rayon threads, and oniguruma (under syntect)
// allocates on every regex search; jemalloc serves both (it also replaces C's malloc) and keeps
// less memory than glibc or mimalloc: measured in docs/benchmarks.md.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Init(args) => run_init(args),
        Command::New(args) => run_new(args),
        Command::Check(args) => run_check(args),
        Command::Completions(args) => {
            let mut cmd = Cli::command();
            clap_complete::generate(args.shell, &mut cmd, "pamphlet", &mut std::io::stdout());
            ExitCode::SUCCESS
        }
        Command::Man => {
            let man = clap_mangen::Man::new(Cli::command());
            match man.render(&mut std::io::stdout()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("cannot write the manual page: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Serve(args) => serve(args),
        Command::Build(args) => {
            let started = Instant::now();
            let mut opts = args.site.options();
            opts.output = args.output;
            match build(&opts) {
                Ok(report) => {
                    print_diagnostics(&report.warnings);
                    if args.timings {
                        for (stage, took) in &report.timings {
                            eprintln!("{:>9.1} ms  {stage}", took.as_secs_f64() * 1000.0);
                        }
                        if let Some(kb) = peak_memory_kb() {
                            eprintln!("{:>9.1} MB  peak memory (resident)", kb as f64 / 1024.0);
                        }
                    }
                    let mut held = String::new();
                    if report.drafts_held > 0 {
                        held.push_str(&format!(", {} draft(s) held back", report.drafts_held));
                    }
                    if report.future_held > 0 {
                        held.push_str(&format!(
                            ", {} scheduled article(s) held back (use --future)",
                            report.future_held
                        ));
                    }
                    let _ = writeln!(
                        std::io::stdout(),
                        "Built {} articles, {} pages, {} categories, {} tags: {} HTML pages, {} files ({} written, {} unchanged) in {} in {:.0} ms{held}",
                        report.articles,
                        report.pages,
                        report.categories,
                        report.tags,
                        report.html_pages,
                        report.files,
                        report.written,
                        report.files - report.written,
                        opts.output_dir().display(),
                        started.elapsed().as_secs_f64() * 1000.0
                    );
                    ExitCode::SUCCESS
                }
                Err(failure) => {
                    print_diagnostics(&failure.0);
                    let n = failure.0.iter().filter(|d| d.is_error()).count();
                    let _ = writeln!(
                        std::io::stderr(),
                        "Build failed with {n} error(s); the previous output was left untouched."
                    );
                    ExitCode::FAILURE
                }
            }
        }
    }
}

fn serve(args: ServeArgs) -> ExitCode {
    use pamphlet::serve::{ServeEvent, ServeOptions, Signal, run};
    let (tx, rx) = std::sync::mpsc::channel();
    let stop = tx.clone();
    if let Err(e) = ctrlc::set_handler(move || {
        let _ = stop.send(Signal::Stop);
    }) {
        eprintln!("warning: cannot handle Ctrl-C ({e}); stop with a kill signal");
    }
    let opts = ServeOptions {
        build: args.site.options(),
        interface: args.interface,
        port: args.port,
    };
    let open = args.open;
    let mut report = |event: ServeEvent<'_>| match event {
        ServeEvent::Listening { url, port_taken } => {
            if let Some(p) = port_taken {
                println!("Port {p} is in use; using the next free port.");
            }
            println!("Serving at {url} (Ctrl-C to stop)");
            if open {
                open_browser(url);
            }
        }
        ServeEvent::Built {
            update,
            ms,
            initial,
        } => {
            print_diagnostics(&update.warnings);
            if initial {
                println!(
                    "Built {} pages in {ms:.0} ms; watching for changes",
                    update.pages_rendered
                );
            } else {
                println!(
                    "Rebuilt {} page(s) ({} document(s) re-rendered) in {ms:.1} ms",
                    update.pages_rendered, update.docs_rendered
                );
            }
        }
        ServeEvent::Failed { errors } => {
            print_diagnostics(errors);
            let n = errors.iter().filter(|d| d.is_error()).count();
            eprintln!("Rebuild failed with {n} error(s); still serving the last good version.");
        }
        ServeEvent::WatchError(e) => {
            eprintln!("warning: cannot watch for changes: {e}; restart serve to see edits");
        }
    };
    match run(opts, tx, rx, &mut report) {
        Ok(()) => {
            println!("Stopped.");
            ExitCode::SUCCESS
        }
        Err(d) => {
            print_diagnostics(&[d]);
            ExitCode::FAILURE
        }
    }
}

/// Opens `url` with the platform's opener; failing to do so is not an error.
fn open_browser(url: &str) {
    let (program, args): (&str, Vec<&str>) = if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else if cfg!(windows) {
        ("cmd", vec!["/C", "start", "", url])
    } else {
        ("xdg-open", vec![url])
    };
    if std::process::Command::new(program)
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .is_err()
    {
        eprintln!("Could not open a browser; visit {url}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped_for_the_terminal() {
        assert_eq!(
            printable("slug `\u{1b}[2Jx\0` is bad\n  hint: x"),
            "slug `\\u{1b}[2Jx\\u{0}` is bad\n  hint: x"
        );
    }
}
