//! The `pamphlet` command: parses arguments, calls the library, prints its report, sets the exit code.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, Parser, Subcommand};
use pamphlet::error::Diagnostic;
use pamphlet::{BuildOptions, build};

/// Pamphlet builds advocacy publications: Markdown articles with front matter in, a fast static site out.
#[derive(Debug, Parser)]
#[command(name = "pamphlet", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the site into the output folder (default: public/).
    Build(BuildArgs),
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

fn print_diagnostics(diags: &[Diagnostic]) {
    for d in diags {
        eprintln!("{d}");
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Serve(args) => serve(args),
        Command::Build(args) => {
            let started = Instant::now();
            let mut opts = args.site.options();
            opts.output = args.output;
            match build(&opts) {
                Ok(report) => {
                    print_diagnostics(&report.warnings);
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
                    println!(
                        "Built {} articles, {} pages, {} categories, {} tags: {} HTML pages, {} files in {} in {:.0} ms{held}",
                        report.articles,
                        report.pages,
                        report.categories,
                        report.tags,
                        report.html_pages,
                        report.files,
                        opts.output_dir().display(),
                        started.elapsed().as_secs_f64() * 1000.0
                    );
                    ExitCode::SUCCESS
                }
                Err(failure) => {
                    print_diagnostics(&failure.0);
                    let n = failure.0.iter().filter(|d| d.is_error()).count();
                    eprintln!(
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
