//! Takes a site folder, builds it in memory, and gives a report of what a reader would trip over:
//! links and anchors that lead nowhere, missing images and alt text, one-off categories and tags,
//! articles without a summary, source notes without a URL, empty FAQ answers, and (optionally)
//! dead external links. Each problem names the source file and line where it can be fixed.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::external::{self, ExternalOptions, LinkStatus};
use super::links::LinkChecker;
use crate::content::front_matter::{self, key_line};
use crate::content::{DocKind, SourceDoc, parse_doc};
use crate::error::{Diagnostic, Diagnostics, Severity, did_you_mean};
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
pub(super) struct Source {
    pub(super) path: PathBuf,
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
    pub(super) fn find_line(&self, needles: &[String], in_body: bool) -> Option<usize> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
