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
        eprintln!("{}", printable(&d.to_string()));
    }
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
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
