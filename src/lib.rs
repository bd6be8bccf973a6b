//! Pamphlet: takes a site folder (site.toml, content/, themes/) and gives a static advocacy site.
//! The pipeline is load -> model -> render -> write; each stage is a function from plain data to plain data.
#![warn(missing_docs, clippy::print_stdout, clippy::print_stderr)]

pub mod authoring;
pub mod config;
pub mod content;
pub mod error;
pub mod feeds;
pub mod fsx;
pub mod markdown;
pub mod output;
pub mod render;
pub mod seo;
pub mod serve;
pub mod site;
pub mod sitemap;
pub mod slugs;

use std::path::{Path, PathBuf};
use std::time::Instant;

use config::SiteConfig;
use content::LoadFilter;
use error::{BuildFailure, Diagnostic, Diagnostics};
use markdown::Highlighter;
use render::{OutputFile, Templates};
use site::Site;

/// Everything a build needs to know besides the files themselves.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site folder (holds site.toml).
    pub root: PathBuf,
    /// Output folder; default `<root>/public`.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` from site.toml (preview deploys).
    pub base_url: Option<String>,
    /// Include drafts.
    pub drafts: bool,
    /// Include articles dated in the future.
    pub future: bool,
    /// The build's "now" (for future-dated articles); default: the clock.
    pub now: Option<jiff::Timestamp>,
}

impl BuildOptions {
    /// Options for building the site at `root` with defaults.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self {
            root: root.into(),
            output: None,
            base_url: None,
            drafts: false,
            future: false,
            now: None,
        }
    }

    /// The output folder these options write to.
    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}

/// What a successful build made.
#[derive(Debug, Clone, Default)]
pub struct BuildReport {
    /// Published articles.
    pub articles: usize,
    /// Standalone pages.
    pub pages: usize,
    /// Declared categories.
    pub categories: usize,
    /// Tags in use.
    pub tags: usize,
    /// HTML pages rendered (articles, pages, listings, 404).
    pub html_pages: usize,
    /// Files in the output.
    pub files: usize,
    /// Files whose bytes were written (new or changed); the rest kept their previous bytes and mtime.
    pub written: usize,
    /// Drafts left out.
    pub drafts_held: usize,
    /// Future-dated articles left out.
    pub future_held: usize,
    /// Warnings (the build still succeeded).
    pub warnings: Vec<Diagnostic>,
    /// Wall time of each stage, in pipeline order (`build --timings` prints them).
    pub timings: Vec<(&'static str, std::time::Duration)>,
}

/// A site built in memory: the model, its files, and what the build noticed.
#[derive(Debug)]
pub struct BuiltSite {
    /// The read-only site model.
    pub site: Site,
    /// Every output file.
    pub files: Vec<OutputFile>,
    /// Counts and warnings.
    pub report: BuildReport,
}

/// Loads site.toml from `root`, applying a `--base-url` override.
pub fn load_config(root: &Path, base_url: Option<&str>) -> Result<SiteConfig, Diagnostics> {
    let path = root.join("site.toml");
    let text = fsx::read_to_string(&path, Path::new("site.toml")).map_err(|d| {
        // Keep a hint fsx already gave (non-UTF-8: "save as UTF-8"); a missing file gets this one.
        let d = match d.hint {
            Some(_) => d,
            None => d.hint(
                "run pamphlet in a site folder, or pass --root DIR (a folder with site.toml)",
            ),
        };
        Diagnostics::from_iter([d])
    })?;
    let mut config = SiteConfig::parse(Path::new("site.toml"), &text)?;
    if let Some(url) = base_url {
        let overridden = format!("base_url = {}", toml::Value::String(url.to_string()));
        let probe = format!("title = \"x\"\n{overridden}\n");
        // Lines of the probe text mean nothing to the user: report the option alone.
        let checked = SiteConfig::parse(Path::new("--base-url"), &probe).map_err(|ds| {
            ds.into_iter()
                .map(|d| d.at(None, None))
                .collect::<Diagnostics>()
        })?;
        // Feed entry ids keep site.toml's domain, so a preview deploy does not mint new ids.
        let authority = config.host().to_string();
        config.feeds.id_authority.get_or_insert(authority);
        config.base_url = checked.base_url;
    }
    Ok(config)
}

/// The model and templates of a site, before rendering, with the report so far.
struct Model {
    site: Site,
    templates: Templates,
    report: BuildReport,
    diags: Diagnostics,
}

/// Runs load -> model: every problem of every stage reachable is reported.
fn build_model(opts: &BuildOptions) -> Result<Model, BuildFailure> {
    let started = Instant::now();
    let fail = |d: Diagnostics| BuildFailure(d.sorted());
    let config = load_config(&opts.root, opts.base_url.as_deref()).map_err(fail)?;
    let filter = LoadFilter {
        drafts: opts.drafts,
        future: opts.future,
        now: opts.now.unwrap_or_else(jiff::Timestamp::now),
    };
    // Content and templates are independent: load both so one build reports both kinds of problem.
    let ((loaded, mut diags), templates) = rayon::join(
        || content::load(&opts.root, &config, filter),
        || Templates::load(&opts.root, &config.theme),
    );
    let templates = match templates {
        Ok(t) => Some(t),
        Err(d) => {
            // Problems blamed on site.toml (an unknown theme) point at its `theme =` line.
            diags.extend(d.into_iter().map(|d| match d.line {
                None if d.path == Path::new("site.toml") => d.at(config.theme_line, None),
                _ => d,
            }));
            None
        }
    };
    let (Ok(loaded), Some(templates)) = (loaded, templates) else {
        return Err(fail(diags));
    };
    let loaded_at = Instant::now();
    let highlighter = Highlighter::new();
    let (site, warnings) = Site::assemble(config, loaded.docs, &highlighter);
    diags.extend(warnings);
    let report = BuildReport {
        timings: vec![
            ("load (config, content, templates)", loaded_at - started),
            ("model (Markdown, highlighting)", loaded_at.elapsed()),
        ],
        articles: site.articles.len(),
        pages: site.pages.len(),
        categories: site.categories.len(),
        tags: site.tags.len(),
        drafts_held: loaded.drafts_held,
        future_held: loaded.future_held,
        ..BuildReport::default()
    };
    Ok(Model {
        site,
        templates,
        report,
        diags,
    })
}

/// A late stage's errors, reported together with the warnings the earlier stages found.
fn failure(earlier: &Diagnostics, late: Diagnostics) -> BuildFailure {
    let mut all = earlier.clone();
    all.extend(late);
    BuildFailure(all.sorted())
}

/// Runs load -> model -> render, in memory. Every problem of every stage reachable is reported.
pub fn build_in_memory(opts: &BuildOptions) -> Result<BuiltSite, BuildFailure> {
    let Model {
        site,
        templates,
        mut report,
        diags,
    } = build_model(opts)?;
    let files = render::render_site(&site, &templates)
        .and_then(|mut files| {
            files.extend(distribution_files(&site, &templates)?);
            Ok(files)
        })
        .map_err(|d| failure(&diags, d))?;
    report.html_pages = files
        .iter()
        .filter(|f| f.rel_path.ends_with(".html"))
        .count();
    report.files = files.len();
    report.written = files.len();
    report.warnings = diags.sorted();
    Ok(BuiltSite {
        site,
        files,
        report,
    })
}

/// The feeds, sitemap and robots.txt of `site` (a theme's or site's own robots.txt wins).
pub fn distribution_files(
    site: &Site,
    templates: &Templates,
) -> Result<Vec<OutputFile>, Diagnostics> {
    render::collect(|sink| distribution_files_to(site, templates, sink))
}

/// `distribution_files`, handing each file to `sink` as soon as it is made; gives the number of files.
pub fn distribution_files_to(
    site: &Site,
    templates: &Templates,
    sink: &render::Sink<'_>,
) -> Result<usize, Diagnostics> {
    let has_robots = templates
        .static_files
        .iter()
        .any(|(r, _)| r == "robots.txt")
        || templates.site_static.iter().any(|(r, _)| r == "robots.txt");
    let (feeds, sitemap) = rayon::join(
        || feeds::render_to(site, sink),
        || sitemap::render(site, has_robots, sitemap::MAX_URLS),
    );
    let sitemap = sitemap.and_then(|files| {
        let n = files.len();
        let errors: Diagnostics = files.into_iter().filter_map(|f| sink(f).err()).collect();
        if errors.is_empty() {
            Ok(n)
        } else {
            Err(errors)
        }
    });
    both(feeds, sitemap).map(|(a, b)| a + b)
}

/// Both results, or the errors of either or both.
fn both<A, B>(a: Result<A, Diagnostics>, b: Result<B, Diagnostics>) -> Result<(A, B), Diagnostics> {
    match (a, b) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        (Err(mut a), Err(b)) => {
            a.extend(b);
            Err(a)
        }
        (Err(e), _) | (_, Err(e)) => Err(e),
    }
}

/// Builds the site and writes it to the output folder (staged, then swapped in). Pages are written
/// as they are rendered; files whose bytes did not change keep their previous bytes and mtime.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, BuildFailure> {
    let out = opts.output_dir();
    // Refuse early, before any work, if the output folder is not ours to replace.
    output::check_replaceable(&out).map_err(|d| BuildFailure(vec![d]))?;
    let Model {
        site,
        templates,
        mut report,
        diags,
    } = build_model(opts)?;
    let mut stats = render::RenderStats::default();
    let mut lap = Instant::now();
    let mut timings = Vec::new();
    let written = output::write_site_with(&out, |stage| {
        let sink = |f: OutputFile| stage.put(&f);
        // Feeds and the sitemap need only the model: they fill the cores between page renders.
        let (pages, more) = rayon::join(
            || render::render_site_to(&site, &templates, &sink),
            || distribution_files_to(&site, &templates, &sink),
        );
        timings.push(("render and write pages, feeds, sitemap", lap.elapsed()));
        lap = Instant::now();
        let (pages, more) = both(pages, more)?;
        stats = pages;
        stats.files += more;
        Ok(())
    })
    .map_err(|d| failure(&diags, d))?;
    timings.push(("swap in the new output", lap.elapsed()));
    report.timings.extend(timings);
    drop_in_background((site, templates));
    report.html_pages = stats.html_pages;
    report.files = written.files;
    report.written = written.written;
    report.warnings = diags.sorted();
    Ok(report)
}

/// Drops `value` on a short-lived thread. Freeing a large site (every article's HTML, tens of
/// thousands of template values) takes tens of milliseconds that nobody needs to wait for: the
/// caller goes on, and a command that exits right after never pays for it.
pub(crate) fn drop_in_background<T: Send + 'static>(value: T) {
    // If no thread can be spawned, the closure, and the value in it, is dropped right here.
    let _ = std::thread::Builder::new()
        .name("pamphlet-drop".into())
        .spawn(move || drop(value));
}
