//! Takes fixture files and gives built sites in temp folders, with parsed-HTML helpers for assertions.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use pamphlet::error::Diagnostic;
use pamphlet::{BuildOptions, BuildReport};
use scraper::{Html, Selector};

/// A minimal valid site.toml with the seed's four categories and a newsletter.
pub const BASIC_CONFIG: &str = r#"title = "Field Notes"
base_url = "https://example.org/"
description = "Test site"
paginate = 2

[newsletter]
heading = "Sign Up to our Newsletter"
text = "Join our movement."
action = "https://lists.example.org/subscribe"
button = "Sign up"

[newsletter.fields]
list = "weekly-briefing"

[[categories]]
name = "Human Trafficking"
description = "Trafficking coverage."

[[categories]]
name = "Social Innovation"
description = "New ways of organising."

[[categories]]
name = "Ecocide"
description = "Destruction of ecosystems."

[[categories]]
name = "News"
description = "The latest."
"#;

/// A site folder being put together for a test.
pub struct SiteFixture {
    dir: tempfile::TempDir,
    has_config: bool,
}

impl SiteFixture {
    /// An empty site folder.
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("temp dir"),
            has_config: false,
        }
    }

    /// Writes site.toml.
    pub fn config(self, text: &str) -> Self {
        let s = self.file("site.toml", text);
        Self {
            has_config: true,
            ..s
        }
    }

    /// Writes any file under the site root (folders are created).
    pub fn file(self, rel: &str, text: &str) -> Self {
        self.bytes(rel, text.as_bytes())
    }

    /// Writes raw bytes under the site root.
    pub fn bytes(self, rel: &str, bytes: &[u8]) -> Self {
        let path = self.dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
        self
    }

    /// Writes an article `content/articles/<name>.md` from front matter lines and a body.
    pub fn article(self, name: &str, front_matter: &str, body: &str) -> Self {
        self.file(
            &format!("content/articles/{name}.md"),
            &format!("---\n{front_matter}\n---\n{body}"),
        )
    }

    /// This fixture with `BASIC_CONFIG` as site.toml, unless a config was written already.
    pub fn with_default_config(self) -> Self {
        if self.has_config {
            self
        } else {
            self.config(BASIC_CONFIG)
        }
    }

    /// The site root.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Default build options for this site (a fixed "now" so tests are deterministic).
    pub fn options(&self) -> BuildOptions {
        let mut o = BuildOptions::new(self.dir.path());
        o.now = Some("2026-06-01T00:00:00Z".parse().unwrap());
        o
    }

    /// Builds with default options; panics with the diagnostics if the build fails.
    pub fn build(self) -> BuiltFixture {
        self.build_with(|_| {})
    }

    /// Builds with options changed by `tweak` (drafts, future, base_url, output); panics if the build fails.
    pub fn build_with(self, tweak: impl FnOnce(&mut BuildOptions)) -> BuiltFixture {
        let s = self.with_default_config();
        let mut opts = s.options();
        tweak(&mut opts);
        match pamphlet::build(&opts) {
            Ok(report) => BuiltFixture {
                out: opts.output_dir(),
                fixture: s,
                report,
            },
            Err(f) => panic!("build failed:\n{}", render(&f.0)),
        }
    }

    /// Builds with `opts` and returns the diagnostics of the failure; panics if it succeeds.
    pub fn build_fails_with(&self, opts: &BuildOptions) -> Vec<Diagnostic> {
        match pamphlet::build(opts) {
            Ok(_) => panic!("build succeeded but was expected to fail"),
            Err(f) => f.0,
        }
    }

    /// Builds with default options, expecting failure; returns the diagnostics.
    pub fn build_err(self) -> (Self, Vec<Diagnostic>) {
        let s = self.with_default_config();
        let d = s.build_fails_with(&s.options());
        (s, d)
    }

    /// Builds exactly the files given (no default site.toml), expecting failure; returns the diagnostics.
    pub fn build_err_as_is(&self) -> Vec<Diagnostic> {
        self.build_fails_with(&self.options())
    }

    /// Runs the real `pamphlet` binary with `args` in the site folder.
    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_pamphlet"))
            .args(args)
            .current_dir(self.dir.path())
            .env("RUST_BACKTRACE", "1")
            .output()
            .expect("run pamphlet")
    }
}

/// Every file under `dir` (relative `/`-separated path -> bytes), to compare whole trees byte for byte.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                files.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    files
}

/// Diagnostics as the CLI prints them, one per line.
pub fn render(diags: &[Diagnostic]) -> String {
    diags
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// A built fixture site.
pub struct BuiltFixture {
    /// The site (kept alive so the temp folder stays).
    pub fixture: SiteFixture,
    /// The output folder.
    pub out: PathBuf,
    /// What the build reported.
    pub report: BuildReport,
}

impl BuiltFixture {
    /// Parses an output HTML file.
    pub fn html(&self, rel: &str) -> Page {
        let path = self.out.join(rel);
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        Page(Html::parse_document(&text))
    }

    /// The name of the output root's `<stem>.<10 hex>.<ext>` file (stylesheets get content-hashed names).
    pub fn fingerprinted(&self, stem: &str, ext: &str) -> Option<String> {
        fingerprinted_in(&self.out, stem, ext)
    }

    /// True when the output file exists.
    pub fn exists(&self, rel: &str) -> bool {
        self.out.join(rel).exists()
    }

    /// Reads an output file as text.
    pub fn text(&self, rel: &str) -> String {
        std::fs::read_to_string(self.out.join(rel)).unwrap()
    }

    /// Every output file, relative path -> bytes.
    pub fn tree(&self) -> BTreeMap<String, Vec<u8>> {
        tree(&self.out)
    }

    /// Relative paths of every HTML file of the output, sorted.
    pub fn html_files(&self) -> Vec<String> {
        self.tree()
            .into_keys()
            .filter(|k| k.ends_with(".html"))
            .collect()
    }
}

/// A parsed HTML page.
pub struct Page(pub Html);

impl Page {
    fn select(&self, css: &str) -> Vec<scraper::ElementRef<'_>> {
        let sel = Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css}: {e:?}"));
        self.0.select(&sel).collect()
    }

    /// The whitespace-normalised text of every element matching `css`.
    pub fn texts(&self, css: &str) -> Vec<String> {
        self.select(css)
            .into_iter()
            .map(|e| {
                e.text()
                    .collect::<String>()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    /// The text of the one element matching `css`; panics unless exactly one matches.
    pub fn text(&self, css: &str) -> String {
        let t = self.texts(css);
        assert_eq!(t.len(), 1, "expected one `{css}`, found {t:?}");
        t.into_iter().next().unwrap()
    }

    /// The `attr` of every element matching `css`.
    pub fn attrs(&self, css: &str, attr: &str) -> Vec<String> {
        self.select(css)
            .into_iter()
            .filter_map(|e| e.value().attr(attr).map(String::from))
            .collect()
    }

    /// Every URL the page points at: `href`, `src` and `action` attributes of any element.
    pub fn urls(&self) -> Vec<String> {
        let mut v = self.attrs("[href]", "href");
        v.extend(self.attrs("[src]", "src"));
        v.extend(self.attrs("[action]", "action"));
        v
    }

    /// Number of elements matching `css`.
    pub fn count(&self, css: &str) -> usize {
        self.select(css).len()
    }

    /// Inner HTML of the one element matching `css`.
    pub fn inner_html(&self, css: &str) -> String {
        let v = self.select(css);
        assert_eq!(v.len(), 1, "expected one `{css}`");
        v[0].inner_html()
    }
}

/// The `<stem>.<10 hex>.<ext>` file directly in `dir`, if there is one.
pub fn fingerprinted_in(dir: &Path, stem: &str, ext: &str) -> Option<String> {
    let mut found = std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let hash = name
                .strip_prefix(stem)?
                .strip_prefix('.')?
                .strip_suffix(ext)?
                .strip_suffix('.')?;
            (hash.len() == 10 && hash.bytes().all(|b| b.is_ascii_hexdigit())).then_some(name)
        });
    let first = found.next();
    assert!(
        found.next().is_none(),
        "more than one {stem}.*.{ext} in {}",
        dir.display()
    );
    first
}
