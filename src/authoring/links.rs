//! Takes the built site (model and output files) and gives every broken internal link, anchor and
//! embedded file, placed at the source line where it is written; external URLs are collected with
//! where they are used, for `external` to check.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::check::Source;
use super::html::{self, Reference};
use crate::error::{Diagnostic, Diagnostics, did_you_mean};
use crate::render::{Contents, OutputFile};
use crate::site::{Article, Site};

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
    // Fragments are never sent to the server: `x#a` and `x#b` are one external check.
    let external = |url: &str| Target::External(url.split('#').next().unwrap_or(url).to_string());
    if let Some(rest) = u.strip_prefix("//") {
        return external(&format!("https://{rest}"));
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
            _ => return external(u),
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
pub(super) struct LinkChecker<'a> {
    site: &'a Site,
    /// Output path -> the ids of that page (HTML files made by the build) or `None` (other files).
    files: BTreeMap<String, Option<BTreeSet<String>>>,
    /// HTML output files and their text.
    pages: Vec<(&'a str, &'a str)>,
    /// Internal references checked.
    pub(super) checked: usize,
    /// External URL -> where it is used (file, line).
    pub(super) external: BTreeMap<String, BTreeSet<(PathBuf, Option<usize>)>>,
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
    pub(super) fn new(site: &'a Site, files: &'a [OutputFile], config_text: String) -> Self {
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
    pub(super) fn check_documents(
        &mut self,
        docs: &[&Article],
        sources: &[Source],
        diags: &mut Diagnostics,
    ) {
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
    pub(super) fn check_templates(
        &mut self,
        docs: &[&Article],
        sources: &[Source],
        diags: &mut Diagnostics,
    ) {
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
            r("https://other.org/x#part"),
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
}
