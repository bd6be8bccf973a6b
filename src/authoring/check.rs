//! Takes a site folder, builds it in memory, and gives a report of what a reader would trip over:
//! links and anchors that lead nowhere, missing images and alt text, one-off categories and tags,
//! articles without a summary, source notes without a URL, empty FAQ answers, and (optionally)
//! dead external links. Each problem names the source file and line where it can be fixed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::external::{self, ExternalOptions, LinkStatus};
use super::html::{self, Reference};
use crate::content::front_matter::{self, key_line};
use crate::content::{DocKind, SourceDoc, parse_doc};
use crate::error::{Diagnostic, Diagnostics, Severity, did_you_mean};
use crate::render::{Contents, OutputFile};
use crate::site::{Article, Site};
use crate::{BuildOptions, build_in_memory, fsx};

/// What `pamphlet check` was asked to do.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// How to build the site (root, drafts, future, base URL).
    pub build: BuildOptions,
    /// Also check external links, with these settings.
    pub external: Option<ExternalOptions>,
}

/// What `pamphlet check` found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CheckReport {
    /// Whether the site built (if not, `diagnostics` holds the build's errors).
    pub built: bool,
    /// Articles and pages checked.
    pub documents: usize,
    /// Internal links and embedded resources checked.
    pub links: usize,
    /// Distinct external URLs checked (0 without `--external`).
    pub external: usize,
    /// Of those, answered from the cache.
    pub external_cached: usize,
    /// Every problem, sorted by file and line.
    #[serde(serialize_with = "serialize_diagnostics")]
    pub diagnostics: Vec<Diagnostic>,
}

impl CheckReport {
    /// Number of errors (any error makes `pamphlet check` exit non-zero).
    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.diagnostics.len() - self.error_count()
    }

    /// The report as pretty JSON for CI: counts plus every diagnostic with path, line and hint.
    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct Json<'a> {
            ok: bool,
            errors: usize,
            warnings: usize,
            #[serde(flatten)]
            report: &'a CheckReport,
        }
        let json = Json {
            ok: self.error_count() == 0,
            errors: self.error_count(),
            warnings: self.warning_count(),
            report: self,
        };
        serde_json::to_string_pretty(&json).unwrap_or_default()
    }
}

fn serialize_diagnostics<S: serde::Serializer>(
    diags: &[Diagnostic],
    s: S,
) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct D<'a> {
        severity: &'static str,
        path: String,
        line: Option<usize>,
        column: Option<usize>,
        message: &'a str,
        hint: Option<&'a str>,
    }
    s.collect_seq(diags.iter().map(|d| D {
        severity: match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        },
        path: d.path.to_string_lossy().replace('\\', "/"),
        line: d.line,
        column: d.column,
        message: &d.message,
        hint: d.hint.as_deref(),
    }))
}

/// Builds the site in memory and checks it; never writes the output folder.
pub fn check(opts: &CheckOptions) -> CheckReport {
    let built = match build_in_memory(&opts.build) {
        Ok(b) => b,
        Err(failure) => {
            return CheckReport {
                diagnostics: failure.0,
                ..CheckReport::default()
            };
        }
    };
    let mut diags = Diagnostics::new();
    for mut w in built.report.warnings {
        // A Markdown link to a file that is not published is a broken link on the live site.
        if w.message.contains("matches no published article or page") {
            w.severity = Severity::Error;
        }
        diags.push(w);
    }
    let site = &built.site;
    let docs: Vec<&Article> = site.articles.iter().chain(&site.pages).collect();
    let sources: Vec<Source> = docs
        .iter()
        .map(|a| Source::read(&opts.build.root, site, a, &mut diags))
        .collect();

    for (a, src) in docs.iter().zip(&sources) {
        if let Some(parsed) = &src.parsed {
            check_front_matter(a, src, parsed, &mut diags);
        }
    }
    check_taxonomies(site, &docs, &sources, &mut diags);

    let config_text =
        fsx::read_to_string(&opts.build.root.join("site.toml"), Path::new("site.toml"))
            .unwrap_or_default();
    let mut links = LinkChecker::new(site, &built.files, config_text);
    links.check_documents(&docs, &sources, &mut diags);
    links.check_templates(&docs, &sources, &mut diags);

    let mut report = CheckReport {
        built: true,
        documents: docs.len(),
        links: links.checked,
        ..CheckReport::default()
    };
    if let Some(ext) = &opts.external {
        let urls: Vec<String> = links.external.keys().cloned().collect();
        let results = external::check_urls(&urls, ext);
        report.external = urls.len();
        report.external_cached = results.cached;
        diags.extend(results.warnings);
        for (url, status) in &results.statuses {
            if status.is_ok() {
                continue;
            }
            for (path, line) in links.external.get(url).into_iter().flatten() {
                diags.push(external_problem(url, status, path, *line));
            }
        }
    }
    report.diagnostics = diags.sorted();
    report
}

fn external_problem(
    url: &str,
    status: &LinkStatus,
    path: &Path,
    line: Option<usize>,
) -> Diagnostic {
    let what = match status {
        LinkStatus::Http(code) => format!("external link `{url}` answers HTTP {code}"),
        LinkStatus::Failed(why) => format!("external link `{url}` could not be checked: {why}"),
    };
    let d = if status.is_inconclusive() {
        Diagnostic::warning(path, what)
            .hint("the site may refuse automated checks; open the link in a browser to be sure")
    } else {
        Diagnostic::error(path, what)
            .hint("update or remove the link (a web archive copy may help)")
    };
    d.at(line, None)
}

/// One document's source text and its parsed front matter.
struct Source {
    path: PathBuf,
    text: String,
    /// 1-based line where the body starts (lines before are front matter).
    body_line: usize,
    parsed: Option<SourceDoc>,
}

impl Source {
    fn read(root: &Path, site: &Site, a: &Article, diags: &mut Diagnostics) -> Source {
        let path = a.source_path.clone();
        let text = match fsx::read_to_string(&root.join(&path), &path) {
            Ok(t) => t.replace("\r\n", "\n"),
            Err(d) => {
                diags.push(d);
                String::new()
            }
        };
        let content_path = path.strip_prefix("content").unwrap_or(&path).to_path_buf();
        let parsed = parse_doc(&path, &content_path, a.kind, &text, &site.config).ok();
        Source {
            body_line: parsed.as_ref().map_or(1, |p| p.body_line),
            path,
            text,
            parsed,
        }
    }

    /// The file line of a top-level front matter key.
    fn key_line(&self, key: &str) -> Option<usize> {
        let text = self.text.strip_prefix('\u{feff}').unwrap_or(&self.text);
        let split = front_matter::split(&self.path, text).ok()?;
        key_line(&split, key)
    }

    /// The line where a link to one of `needles` is written: first as a link target (`](x`, `"x"`,
    /// `<x>`), then anywhere; body lines first when `in_body`, else front matter lines first.
    fn find_line(&self, needles: &[String], in_body: bool) -> Option<usize> {
        let lines: Vec<(usize, &str)> = self
            .text
            .lines()
            .enumerate()
            .map(|(i, l)| (i + 1, l))
            .collect();
        let (body, head): (Vec<_>, Vec<_>) = lines.iter().partition(|(n, _)| *n >= self.body_line);
        let order = if in_body { [body, head] } else { [head, body] };
        // Written as a link target: right after `](`, a quote, `<` or a YAML `key: `.
        let link_like = |l: &str, n: &str| {
            l.match_indices(n).any(|(i, _)| {
                let before = &l[..i];
                before.ends_with("](")
                    || before.ends_with(['"', '\'', '<'])
                    || before.ends_with(": ")
            })
        };
        for part in &order {
            for pass in 0..2 {
                for needle in needles.iter().filter(|n| !n.is_empty()) {
                    let hit = part.iter().find(|(_, l)| {
                        if pass == 0 {
                            link_like(l, needle)
                        } else {
                            l.contains(needle.as_str())
                        }
                    });
                    if let Some((n, _)) = hit {
                        return Some(*n);
                    }
                }
            }
        }
        None
    }
}

fn check_front_matter(a: &Article, src: &Source, doc: &SourceDoc, diags: &mut Diagnostics) {
    if a.kind == DocKind::Article && doc.summary.is_none() {
        diags.push(
            Diagnostic::warning(&src.path, "article has no summary")
                .at(src.key_line("title"), None)
                .hint("add `summary: \"...\"`: one or two sentences for listings, search results and share cards (the first paragraph is used meanwhile)"),
        );
    }
    if let Some(s) = &doc.source
        && s.url.as_deref().is_none_or(|u| u.trim().is_empty())
    {
        diags.push(
            Diagnostic::warning(&src.path, "source note has no URL")
                .at(src.key_line("source"), None)
                .hint("add `url:` under `source:` so readers can find the original reporting"),
        );
    }
    let faq_line = src.key_line("faq");
    let answer_lines: Vec<usize> = src
        .text
        .lines()
        .enumerate()
        .skip(faq_line.unwrap_or(usize::MAX).saturating_sub(1))
        .take_while(|(i, _)| i + 1 < src.body_line)
        .filter(|(_, l)| {
            let t = l.trim_start().trim_start_matches("- ");
            t.starts_with("answer:")
        })
        .map(|(i, _)| i + 1)
        .collect();
    for (i, f) in doc.faq.iter().enumerate() {
        if f.answer.trim().is_empty() {
            diags.push(
                Diagnostic::error(
                    &src.path,
                    format!(
                        "FAQ entry {} (\"{}\") has an empty answer",
                        i + 1,
                        f.question
                    ),
                )
                .at(answer_lines.get(i).copied().or(faq_line), None)
                .hint("write the answer after `answer:`, or remove the question"),
            );
        }
    }
}

/// Categories and tags that only one article uses: often a typo of a better-used one.
fn check_taxonomies(site: &Site, docs: &[&Article], sources: &[Source], diags: &mut Diagnostics) {
    let at = |idx: usize| {
        let a = &site.articles[idx];
        docs.iter()
            .position(|d| d.source_path == a.source_path)
            .map(|i| &sources[i])
    };
    for c in &site.categories {
        if let [only] = c.articles.as_slice()
            && let Some(src) = at(*only)
        {
            diags.push(
                Diagnostic::warning(
                    &src.path,
                    format!("category `{}` is used by this article only", c.name),
                )
                .at(src.key_line("categories"), None)
                .hint("fine for a new section; otherwise check the article is filed where readers will look"),
            );
        }
    }
    let names: Vec<&str> = site.tags.iter().map(|t| t.name.as_str()).collect();
    for t in &site.tags {
        if let [only] = t.articles.as_slice()
            && let Some(src) = at(*only)
        {
            let others = names.iter().copied().filter(|n| *n != t.name);
            let hint = match did_you_mean(&t.name, others) {
                Some(best) => format!("did you mean `{best}`?"),
                None => "a tag used once makes a listing of one; check the spelling or reuse an existing tag".into(),
            };
            diags.push(
                Diagnostic::warning(
                    &src.path,
                    format!("tag `{}` is used by this article only", t.name),
                )
                .at(src.key_line("tags"), None)
                .hint(hint),
            );
        }
    }
}

/// Where a URL leads.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    /// Nothing to check (`mailto:`, `tel:`, `data:`, empty).
    Skip,
    /// Another site.
    External(String),
    /// A site path (percent-decoded, with the base path) and optional fragment.
    Internal {
        path: String,
        fragment: Option<String>,
    },
    /// A site path outside the base path (only possible when the site lives in a sub-folder).
    OutsideBase(String),
}

/// Resolves `url` as found on the page at site path `page` (`/articles/x/`, `/404.html`).
fn resolve(url: &str, page: &str, base_url: &str, base_path: &str) -> Target {
    let u = url.trim();
    if u.is_empty() {
        return Target::Skip;
    }
    if let Some(rest) = u.strip_prefix("//") {
        return Target::External(format!("https://{rest}"));
    }
    let scheme_end = u.find(|c: char| !(c.is_ascii_alphanumeric() || "+-.".contains(c)));
    let mut local = u.to_string();
    if let Some(i) = scheme_end
        && i > 0
        && u[i..].starts_with(':')
        && u.starts_with(|c: char| c.is_ascii_alphabetic())
    {
        let scheme = u[..i].to_ascii_lowercase();
        if scheme != "http" && scheme != "https" {
            return Target::Skip;
        }
        let origin = &base_url[..base_url.len() - base_path.len()];
        match u.strip_prefix(origin) {
            Some(rest) if rest.is_empty() || rest.starts_with(['/', '?', '#']) => {
                local = if rest.starts_with('/') {
                    rest.to_string()
                } else {
                    format!("/{rest}")
                };
            }
            _ => return Target::External(u.to_string()),
        }
    }
    let (before_fragment, fragment) = match local.split_once('#') {
        Some((p, f)) => (p.to_string(), Some(percent_decode(f))),
        None => (local.clone(), None),
    };
    let path = before_fragment
        .split_once('?')
        .map_or(before_fragment.as_str(), |(p, _)| p);
    let joined = if path.is_empty() {
        page.to_string()
    } else if path.starts_with('/') {
        path.to_string()
    } else {
        let dir = &page[..page.rfind('/').map_or(0, |i| i + 1)];
        format!("{dir}{path}")
    };
    let Some(normal) = normalise(&percent_decode(&joined)) else {
        return Target::OutsideBase(joined);
    };
    if !normal.starts_with(base_path) {
        return Target::OutsideBase(normal);
    }
    Target::Internal {
        path: normal,
        fragment: fragment.filter(|f| !f.is_empty()),
    }
}

/// Removes `.` and `..` segments of an absolute URL path; `None` if it climbs above `/`.
fn normalise(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    for (i, seg) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        match *seg {
            "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
        if last && matches!(*seg, "." | "..") {
            parts.push("");
        }
    }
    Some(format!("/{}", parts.join("/")))
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%'
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The built files, and every link check's bookkeeping.
struct LinkChecker<'a> {
    site: &'a Site,
    /// Output path -> the ids of that page (HTML files made by the build) or `None` (other files).
    files: BTreeMap<String, Option<BTreeSet<String>>>,
    /// HTML output files and their text.
    pages: Vec<(&'a str, &'a str)>,
    /// Internal references checked.
    checked: usize,
    /// External URL -> where it is used (file, line).
    external: BTreeMap<String, BTreeSet<(PathBuf, Option<usize>)>>,
    /// Broken targets already reported against a source file (not repeated per built page).
    reported: BTreeSet<String>,
    /// site.toml's text, to find the line of a menu entry.
    config_text: String,
}

/// A problem with one reference, before it is placed in a file.
struct Problem {
    message: String,
    hint: Option<String>,
    /// The broken target, so one missing file is reported once, not once per page.
    key: String,
}

impl Problem {
    fn at(self, path: &Path, line: Option<usize>) -> Diagnostic {
        let d = Diagnostic::error(path, self.message).at(line, None);
        match self.hint {
            Some(h) => d.hint(h),
            None => d,
        }
    }
}

/// What checking one reference found.
enum Outcome {
    Fine,
    External(String),
    Broken(Problem),
}

impl<'a> LinkChecker<'a> {
    fn new(site: &'a Site, files: &'a [OutputFile], config_text: String) -> Self {
        let mut index = BTreeMap::new();
        let mut pages = Vec::new();
        for f in files {
            let ids = match &f.contents {
                Contents::Bytes(b) if f.rel_path.ends_with(".html") => {
                    let text = std::str::from_utf8(b).unwrap_or("");
                    pages.push((f.rel_path.as_str(), text));
                    Some(html::ids(text))
                }
                _ => None,
            };
            index.insert(f.rel_path.clone(), ids);
        }
        Self {
            site,
            files: index,
            pages,
            checked: 0,
            external: BTreeMap::new(),
            reported: BTreeSet::new(),
            config_text,
        }
    }

    /// Links written in articles and pages (body, FAQ answers, source note), placed at their source line.
    fn check_documents(&mut self, docs: &[&Article], sources: &[Source], diags: &mut Diagnostics) {
        for (a, src) in docs.iter().zip(sources) {
            for (fragment, in_body) in fragments(a) {
                for r in html::references(fragment) {
                    let locate = || src.find_line(&needles(&r.url, &self.site.base_path), in_body);
                    if let Some(alt) = &r.alt
                        && alt.as_deref().is_none_or(|t| t.trim().is_empty())
                    {
                        diags.push(
                            Diagnostic::error(&src.path, format!("image `{}` has no alt text", r.url))
                                .at(locate(), None)
                                .hint("describe the picture inside the brackets: ![A flooded street in Harwick](photo.jpg)"),
                        );
                    }
                    match self.outcome(&r, &a.path) {
                        Outcome::Fine => {}
                        Outcome::External(url) => {
                            let at = (src.path.clone(), locate());
                            self.external.entry(url).or_default().insert(at);
                        }
                        Outcome::Broken(p) => {
                            self.reported.insert(p.key.clone());
                            diags.push(p.at(&src.path, locate()));
                        }
                    }
                }
            }
        }
    }

    /// Links in the rest of every built page (templates, menus, front matter fields such as
    /// `image` and `source.url`): placed in the article's file when its source mentions the URL,
    /// otherwise reported once per URL against `site.toml` (menu entries) or the first built page.
    fn check_templates(&mut self, docs: &[&Article], sources: &[Source], diags: &mut Diagnostics) {
        let doc_pages: BTreeMap<String, usize> = docs
            .iter()
            .enumerate()
            .map(|(i, a)| (format!("{}/index.html", a.out_dir), i))
            .collect();
        // URL -> (problem, first page, number of pages).
        let mut elsewhere: BTreeMap<String, (Problem, String, usize)> = BTreeMap::new();
        let mut external_elsewhere: BTreeMap<String, (PathBuf, Option<usize>)> = BTreeMap::new();
        let pages = self.pages.clone();
        for (rel, text) in pages {
            let doc = doc_pages.get(rel).copied();
            let mut text = text.to_string();
            if let Some(i) = doc {
                // The author's own HTML was checked above, against its source lines.
                for (fragment, _) in fragments(docs[i]) {
                    if !fragment.is_empty() {
                        text = text.replacen(fragment, "", 1);
                    }
                }
            }
            let page_path = page_site_path(&self.site.base_path, rel);
            for r in html::references(&text) {
                let mut outcome = self.outcome(&r, &page_path);
                if matches!(outcome, Outcome::Fine) && r.alt.as_ref().is_some_and(Option::is_none) {
                    outcome = Outcome::Broken(Problem {
                        message: format!("image `{}` has no alt attribute", r.url),
                        hint: Some("add alt=\"...\" to the template (alt=\"\" for a purely decorative image)".into()),
                        key: format!("alt:{}", r.url),
                    });
                }
                if matches!(outcome, Outcome::Fine) {
                    continue;
                }
                let in_source = doc.map(|i| &sources[i]).and_then(|src| {
                    let line = src.find_line(&needles(&r.url, &self.site.base_path), false)?;
                    Some((src.path.clone(), Some(line)))
                });
                match (outcome, in_source) {
                    (Outcome::External(url), Some(at)) => {
                        self.external.entry(url).or_default().insert(at);
                    }
                    (Outcome::External(url), None) => {
                        // A footer link is on every page: remember only the first.
                        if let std::collections::btree_map::Entry::Vacant(e) =
                            external_elsewhere.entry(url)
                        {
                            e.insert(self.template_location(&r.url, rel));
                        }
                    }
                    (Outcome::Broken(p), Some((path, line))) => {
                        if self.reported.insert(p.key.clone()) {
                            diags.push(p.at(&path, line));
                        }
                    }
                    (Outcome::Broken(p), None) => {
                        elsewhere
                            .entry(r.url.clone())
                            .or_insert((p, rel.to_string(), 0))
                            .2 += 1;
                    }
                    (Outcome::Fine, _) => {}
                }
            }
        }
        for (url, at) in external_elsewhere {
            self.external.entry(url).or_default().insert(at);
        }
        for (url, (mut p, first, count)) in elsewhere {
            if self.reported.contains(&p.key) {
                continue;
            }
            let (path, line) = self.template_location(&url, &first);
            if count > 1 {
                p.message
                    .push_str(&format!(" (on {count} built pages, first {first})"));
            } else {
                p.message.push_str(&format!(" (on the built page {first})"));
            }
            diags.push(p.at(&path, line));
        }
    }

    /// `site.toml` and the line of a menu entry with this URL; otherwise the built page.
    fn template_location(&self, url: &str, page_rel: &str) -> (PathBuf, Option<usize>) {
        let menu = self
            .site
            .config
            .menu
            .iter()
            .find(|m| m.url == url || self.site.link(&m.url) == url);
        match menu {
            Some(m) => {
                let quoted = format!("\"{}\"", m.url);
                let line = self
                    .config_text
                    .lines()
                    .position(|l| l.trim_start().starts_with("url") && l.contains(&quoted))
                    .map(|i| i + 1);
                (PathBuf::from("site.toml"), line)
            }
            None => (PathBuf::from(page_rel), None),
        }
    }

    /// Resolves and checks one reference found on the page at site path `page`.
    fn outcome(&mut self, r: &Reference, page: &str) -> Outcome {
        let target = resolve(
            &r.url,
            page,
            &self.site.config.base_url,
            &self.site.base_path,
        );
        // A `.md` link still in the HTML matched no document: the build already reported it.
        let unresolved_md = r
            .url
            .split(['#', '?'])
            .next()
            .is_some_and(|p| p.ends_with(".md") && !p.contains("://"));
        match target {
            _ if unresolved_md => Outcome::Fine,
            Target::Skip => Outcome::Fine,
            Target::External(url) => Outcome::External(url),
            _ => {
                self.checked += 1;
                self.problem(&target, &r.url, r.embedded)
                    .map_or(Outcome::Fine, Outcome::Broken)
            }
        }
    }

    /// What is wrong with an internal target, if anything.
    fn problem(&self, target: &Target, written: &str, embedded: bool) -> Option<Problem> {
        let base = &self.site.base_path;
        let (path, fragment) = match target {
            Target::Internal { path, fragment } => (path, fragment),
            Target::OutsideBase(p) => {
                return Some(Problem {
                    message: format!(
                        "link to `{written}` leads outside the site (which lives under `{base}`)"
                    ),
                    hint: Some(
                        "write site links as `/path/` in Markdown: the base path is added for you"
                            .into(),
                    ),
                    key: p.clone(),
                });
            }
            _ => return None,
        };
        let shown = match fragment {
            Some(f) => format!("{path}#{f}"),
            None => path.clone(),
        };
        let own_domain = written.contains("://");
        let rel = &path[base.len()..];
        let found = if rel.is_empty() || rel.ends_with('/') {
            self.files.get_key_value(&format!("{rel}index.html"))
        } else {
            self.files
                .get_key_value(rel)
                .or_else(|| self.files.get_key_value(&format!("{rel}/index.html")))
        };
        let Some((_, ids)) = found else {
            let (message, hint) = if embedded {
                (
                    format!("`{written}` does not exist"),
                    "put the file beside the article (content/articles/<slug>/index.md with the file in that folder), or fix the name".to_string(),
                )
            } else {
                let paths: Vec<String> = self
                    .pages
                    .iter()
                    .map(|(p, _)| page_site_path(base, p))
                    .collect();
                let hint = match did_you_mean(path, paths.iter().map(String::as_str)) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None if own_domain => "this address is on the site's own domain (base_url in site.toml), where no such page is built".into(),
                    None => "check the address; an article's address is /articles/<slug>/".into(),
                };
                (format!("link to `{written}` points to no page"), hint)
            };
            return Some(Problem {
                message,
                hint: Some(hint),
                key: path.clone(),
            });
        };
        let (Some(fragment), Some(ids)) = (fragment, ids) else {
            return None;
        };
        if ids.contains(fragment) || fragment == "top" {
            return None;
        }
        let hint = match did_you_mean(fragment, ids.iter().map(String::as_str)) {
            Some(best) => format!("did you mean `#{best}`?"),
            None => "heading ids come from the heading text: `## Who was affected` gets `#who-was-affected`".into(),
        };
        Some(Problem {
            message: format!("link to `{written}`: {path} has no element with id `{fragment}`"),
            hint: Some(hint),
            key: shown,
        })
    }
}

/// An article's HTML written by its author: body, FAQ answers, source note (`true` = from the body).
fn fragments(a: &Article) -> Vec<(&str, bool)> {
    let mut v = vec![(a.content_html.as_str(), true)];
    v.extend(a.faq.iter().map(|f| (f.answer_html.as_str(), false)));
    if let Some(note) = a.source.as_ref().and_then(|s| s.note_html.as_deref()) {
        v.push((note, false));
    }
    v
}

/// The site path of an output file (`articles/x/index.html` -> `/articles/x/`).
fn page_site_path(base: &str, rel: &str) -> String {
    let trimmed = rel.strip_suffix("index.html").unwrap_or(rel);
    format!("{base}{trimmed}")
}

/// Strings that may be how an author wrote the link the build rendered as `url`.
fn needles(url: &str, base: &str) -> Vec<String> {
    let mut v = vec![url.to_string(), percent_decode(url)];
    if base != "/"
        && let Some(rest) = url.strip_prefix(base)
    {
        v.push(format!("/{rest}"));
    }
    let (path, fragment) = url.split_once('#').unwrap_or((url, ""));
    // `.md` links are rendered as the target's address: look for the file name the slug came from.
    if let Some(slug) = path.trim_end_matches('/').rsplit('/').next()
        && !slug.is_empty()
    {
        if path.ends_with('/') {
            v.push(format!("{slug}.md"));
            v.push(format!("{slug}/index.md"));
        } else {
            v.push(slug.to_string());
        }
    }
    if !fragment.is_empty() {
        v.push(format!("#{fragment}"));
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "https://x.org/sub/";

    fn r(url: &str) -> Target {
        resolve(url, "/sub/articles/a/", BASE, "/sub/")
    }

    fn internal(path: &str, fragment: Option<&str>) -> Target {
        Target::Internal {
            path: path.into(),
            fragment: fragment.map(String::from),
        }
    }

    #[test]
    fn resolves_relative_absolute_and_own_origin() {
        assert_eq!(r("cover.svg"), internal("/sub/articles/a/cover.svg", None));
        assert_eq!(r("../b/#faq"), internal("/sub/articles/b/", Some("faq")));
        assert_eq!(r("#faq"), internal("/sub/articles/a/", Some("faq")));
        assert_eq!(r("/sub/about/?x=1"), internal("/sub/about/", None));
        assert_eq!(r("https://x.org/sub/about/"), internal("/sub/about/", None));
        assert_eq!(r("/sub/my%20file.pdf"), internal("/sub/my file.pdf", None));
    }

    #[test]
    fn classifies_other_schemes() {
        assert_eq!(
            r("https://other.org/x"),
            Target::External("https://other.org/x".into())
        );
        assert_eq!(
            r("//cdn.org/x.js"),
            Target::External("https://cdn.org/x.js".into())
        );
        assert_eq!(r("mailto:a@b.org"), Target::Skip);
        assert_eq!(r("tel:+441234"), Target::Skip);
        assert_eq!(r("/about/"), Target::OutsideBase("/about/".into()));
        assert_eq!(
            r("../../../../x"),
            Target::OutsideBase("/sub/articles/a/../../../../x".into())
        );
    }

    #[test]
    fn normalise_keeps_trailing_slash() {
        assert_eq!(normalise("/a/./b/../c/").as_deref(), Some("/a/c/"));
        assert_eq!(normalise("/a/b/..").as_deref(), Some("/a/"));
        assert_eq!(normalise("/../x"), None);
    }

    #[test]
    fn needles_cover_md_links_and_base() {
        let n = needles("/sub/articles/water/#faq", "/sub/");
        assert!(n.contains(&"/articles/water/#faq".to_string()));
        assert!(n.contains(&"water.md".to_string()));
        assert!(n.contains(&"#faq".to_string()));
    }

    #[test]
    fn find_line_prefers_link_targets_in_the_body() {
        let src = Source {
            path: "a.md".into(),
            text: "---\ntitle: x\nsummary: see /about/\n---\nText about /about/ here.\nA [link](/about/).\n".into(),
            body_line: 5,
            parsed: None,
        };
        assert_eq!(src.find_line(&["/about/".into()], true), Some(6));
        assert_eq!(src.find_line(&["/about/".into()], false), Some(3));
        assert_eq!(src.find_line(&["/nowhere/".into()], true), None);
    }
}
