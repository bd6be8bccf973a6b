//! Takes the site folder and config and gives every article and page as a checked `SourceDoc`,
//! plus every problem found in any file (all files are read; none stops the others).

pub mod dates;
pub mod front_matter;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::SiteConfig;
use crate::error::{Diagnostic, Diagnostics, did_you_mean};
use crate::fsx;
use crate::slugs::{is_valid_slug, slugify};
pub use dates::PubDate;
use front_matter::{OneOrMany, RawFrontMatter, Split, key_line};

/// Whether a document is a dated article or a standalone page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DocKind {
    /// `content/articles/**.md`
    Article,
    /// `content/pages/*.md`
    Page,
}

/// An image with its required text alternative.
#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    /// As written: relative to the article, a site path, or a URL.
    pub src: String,
    /// Text alternative.
    pub alt: String,
}

/// Credit to the original reporting.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceNote {
    /// Outlet name.
    pub name: Option<String>,
    /// Link to the original.
    pub url: Option<String>,
    /// When the original appeared.
    pub date: Option<PubDate>,
    /// Markdown note.
    pub note: Option<String>,
}

/// One question and its Markdown answer.
#[derive(Debug, Clone, PartialEq)]
pub struct FaqItem {
    /// The question, plain text.
    pub question: String,
    /// The answer, Markdown.
    pub answer: String,
}

/// A parsed and checked Markdown document, before rendering.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceDoc {
    /// Article or page.
    pub kind: DocKind,
    /// Path relative to the site root, for messages.
    pub path: PathBuf,
    /// Path relative to `content/`, for resolving links between Markdown files.
    pub content_path: PathBuf,
    /// URL slug (validated).
    pub slug: String,
    /// 1-based file line of `slug:`, or of the front matter's first line when the slug comes from the file name.
    pub slug_line: usize,
    /// Front matter `id` (validated): the feed id key or a full URI; default: none (the slug is used).
    pub id: Option<String>,
    /// Headline.
    pub title: String,
    /// Publication date (articles always have one).
    pub date: Option<PubDate>,
    /// Last update.
    pub updated: Option<PubDate>,
    /// Standfirst as written.
    pub summary: Option<String>,
    /// Authors.
    pub authors: Vec<String>,
    /// Category names, as declared in site.toml.
    pub categories: Vec<String>,
    /// Tag names.
    pub tags: Vec<String>,
    /// Hero image.
    pub image: Option<Image>,
    /// Read-time override.
    pub read_time: Option<f64>,
    /// Source note.
    pub source: Option<SourceNote>,
    /// FAQ entries.
    pub faq: Vec<FaqItem>,
    /// Draft flag.
    pub draft: bool,
    /// Theme data.
    pub extra: BTreeMap<String, serde_json::Value>,
    /// Markdown body.
    pub body: String,
    /// 1-based file line where the body starts.
    pub body_line: usize,
    /// Files beside an `index.md` (images, PDFs), copied next to the rendered page: (absolute source, path relative to the doc's folder).
    pub assets: Vec<(PathBuf, PathBuf)>,
}

/// What loading found: documents to publish, and counts of those held back.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    /// Published articles and pages.
    pub docs: Vec<SourceDoc>,
    /// Drafts left out (no `--drafts`).
    pub drafts_held: usize,
    /// Future-dated articles left out (no `--future`).
    pub future_held: usize,
}

/// Which documents to publish.
#[derive(Debug, Clone, Copy)]
pub struct LoadFilter {
    /// Include drafts.
    pub drafts: bool,
    /// Include articles dated after `now`.
    pub future: bool,
    /// The build's notion of now.
    pub now: jiff::Timestamp,
}

/// Why a document is held back from publication.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeldBack {
    /// `draft: true` without `--drafts`.
    Draft,
    /// Dated after now without `--future`.
    Future,
}

impl LoadFilter {
    /// Why `doc` is held back, or `None` when it is published.
    pub fn held_back(&self, doc: &SourceDoc) -> Option<HeldBack> {
        if doc.draft && !self.drafts {
            Some(HeldBack::Draft)
        } else if !self.future && doc.date.as_ref().is_some_and(|d| d.timestamp() > self.now) {
            Some(HeldBack::Future)
        } else {
            None
        }
    }
}

/// The folders under `content/` that hold documents, and the kind of document each holds.
pub const DOC_DIRS: [(&str, DocKind); 2] =
    [("articles", DocKind::Article), ("pages", DocKind::Page)];

/// Reads every article and page under `root/content`, checks them against `config`, and returns them
/// sorted by path, or every problem found (warnings come back inside `Ok` via the second value).
pub fn load(
    root: &Path,
    config: &SiteConfig,
    filter: LoadFilter,
) -> (Result<Loaded, ()>, Diagnostics) {
    let (files, mut diags) = doc_files(root);
    // Straight into the two lists: the documents are moved once (at 100,000 articles each extra
    // move of the list is tens of megabytes of fresh memory).
    let (mut docs, errors): (Vec<SourceDoc>, Vec<Diagnostics>) = files
        .par_iter()
        .map(|(kind, path)| load_one(root, config, *kind, path))
        .partition_map(|r| match r {
            Ok(doc) => rayon::iter::Either::Left(doc),
            Err(d) => rayon::iter::Either::Right(d),
        });
    diags.extend(errors.into_iter().flatten());
    diags.extend(
        docs.iter()
            .filter(|doc| doc.body.len() > LARGE_BODY)
            .map(large_body_warning),
    );
    check_unique_slugs(&docs, &mut diags);
    if diags.has_errors() {
        return (Err(()), diags);
    }
    let mut loaded = Loaded::default();
    docs.retain(|doc| match filter.held_back(doc) {
        Some(HeldBack::Draft) => {
            loaded.drafts_held += 1;
            false
        }
        Some(HeldBack::Future) => {
            loaded.future_held += 1;
            false
        }
        None => true,
    });
    loaded.docs = docs;
    (Ok(loaded), diags)
}

/// Every document file under `root/content` (articles, then pages, each sorted by path; symbolic links
/// are not followed and are reported as warnings).
pub fn doc_files(root: &Path) -> (Vec<(DocKind, PathBuf)>, Diagnostics) {
    let mut diags = Diagnostics::new();
    let mut files = Vec::new();
    for (dir, kind) in DOC_DIRS {
        let base = root.join("content").join(dir);
        if !base.is_dir() {
            continue;
        }
        let first = files.len();
        for entry in WalkDir::new(&base)
            .follow_links(false)
            .follow_root_links(false)
        {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let p = e.path().map(|p| rel(root, p)).unwrap_or_default();
                    diags.push(Diagnostic::error(p, format!("cannot read: {e}")));
                    continue;
                }
            };
            if entry.path_is_symlink() {
                diags.push(
                    Diagnostic::warning(rel(root, entry.path()), "symbolic link not followed")
                        .hint("copy the file into content/ instead of linking to it"),
                );
                continue;
            }
            if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "md") {
                files.push((kind, entry.into_path()));
            }
        }
        // Sorted once at the end by the path's bytes: walkdir's per-folder sort compares parsed
        // file names, which costs more than the walk itself in a folder of 10,000 articles.
        files[first..].sort_unstable_by(|(_, a), (_, b)| {
            a.as_os_str()
                .as_encoded_bytes()
                .cmp(b.as_os_str().as_encoded_bytes())
        });
    }
    (files, diags)
}

/// Bodies past this many bytes still build, with a warning: they are nearly always a pasted image or export.
pub const LARGE_BODY: usize = 5 * 1024 * 1024;

fn large_body_warning(doc: &SourceDoc) -> Diagnostic {
    Diagnostic::warning(
        &doc.path,
        format!(
            "article body is {:.1} MB; readers download all of it",
            doc.body.len() as f64 / (1024.0 * 1024.0)
        ),
    )
    .at(Some(doc.body_line), None)
    .hint(
        "split it into several articles, or move embedded data (base64 images, exports) into files",
    )
}

fn rel(root: &Path, p: &Path) -> PathBuf {
    p.strip_prefix(root).unwrap_or(p).to_path_buf()
}

/// Reads and parses one document file (`abs` inside `root`), with the assets beside an `index.md`.
pub fn load_one(
    root: &Path,
    config: &SiteConfig,
    kind: DocKind,
    abs: &Path,
) -> Result<SourceDoc, Diagnostics> {
    let path = rel(root, abs);
    let text = fsx::read_to_string(abs, &path).map_err(|d| Diagnostics::from_iter([d]))?;
    let content_path = abs
        .strip_prefix(root.join("content"))
        .unwrap_or(abs)
        .to_path_buf();
    let mut doc = parse_doc(&path, &content_path, kind, &text, config)?;
    if abs.file_name().is_some_and(|n| n == "index.md") {
        let dir = abs.parent().unwrap_or(root);
        doc.assets = WalkDir::new(dir)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file() && e.path().extension().is_none_or(|x| x != "md"))
            .filter_map(|e| {
                let r = e.path().strip_prefix(dir).ok()?.to_path_buf();
                Some((e.into_path(), r))
            })
            .collect();
    }
    Ok(doc)
}

/// Parses one document's text (no disk access): front matter, checks, body.
pub fn parse_doc(
    path: &Path,
    content_path: &Path,
    kind: DocKind,
    text: &str,
    config: &SiteConfig,
) -> Result<SourceDoc, Diagnostics> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let normalised;
    let text = if text.contains('\r') {
        normalised = text.replace("\r\n", "\n");
        normalised.as_str()
    } else {
        text
    };
    let split = front_matter::split(path, text).map_err(|d| Diagnostics::from_iter([d]))?;
    let raw = front_matter::parse(path, &split)?;
    validate(path, content_path, kind, &split, raw, config)
}

fn validate(
    path: &Path,
    content_path: &Path,
    kind: DocKind,
    split: &Split<'_>,
    raw: RawFrontMatter,
    config: &SiteConfig,
) -> Result<SourceDoc, Diagnostics> {
    let mut diags = Diagnostics::new();
    let err = |key: &str, message: String| {
        Diagnostic::error(path, message).at(key_line(split, key), None)
    };

    if raw.title.trim().is_empty() {
        diags.push(err("title", "title is empty".into()).hint("write the headline after `title:`"));
    }
    let mut date_of = |key: &str, text: &Option<String>| -> Option<PubDate> {
        let t = text.as_ref()?;
        PubDate::parse(t).map_err(|m| diags.push(err(key, m))).ok()
    };
    let date = date_of("date", &raw.date);
    let updated = date_of("updated", &raw.updated);
    let source_date = raw.source.as_ref().and_then(|s| date_of("source", &s.date));
    if kind == DocKind::Article && raw.date.is_none() {
        diags.push(
            Diagnostic::error(path, "missing field `date`")
                .at(Some(split.yaml_line), Some(1))
                .hint("add `date: YYYY-MM-DD` to the front matter"),
        );
    }

    let slug = match &raw.slug {
        Some(s) => {
            if !is_valid_slug(s) {
                diags.push(
                    err("slug", format!("slug `{s}` is not allowed")).hint(format!(
                        "use lowercase letters, digits and dashes only, e.g. `{}`",
                        slugify(s)
                    )),
                );
            }
            s.clone()
        }
        None => {
            let stem = if path.file_name().is_some_and(|n| n == "index.md") {
                path.parent().and_then(Path::file_name)
            } else {
                path.file_stem()
            };
            let stem = stem.map(|s| s.to_string_lossy()).unwrap_or_default();
            let s = slugify(strip_date_prefix(&stem));
            if !is_valid_slug(&s) {
                diags.push(
                    Diagnostic::error(
                        path,
                        format!("cannot make a URL slug from the file name `{stem}`"),
                    )
                    .at(Some(split.yaml_line), Some(1))
                    .hint("add `slug: some-words` to the front matter, or rename the file"),
                );
            }
            s
        }
    };

    if let Some(id) = &raw.id
        && let Err(why) = check_id(id)
    {
        diags.push(err("id", format!("id `{id}` {why}")).hint(
            "use the article's first slug, like `id: my-first-slug`, or a full URI like `tag:example.org,2026-01-27:x`",
        ));
    }

    for name in &raw.categories {
        if config.category(name).is_none() {
            let declared: Vec<&str> = config.categories.iter().map(|c| c.name.as_str()).collect();
            let hint = match did_you_mean(name, declared.iter().copied()) {
                Some(best) => format!("did you mean `{best}`?"),
                None if declared.is_empty() => {
                    "declare it in site.toml: [[categories]] name = \"...\"".to_string()
                }
                None => format!(
                    "declared categories: {}; or add it to site.toml under [[categories]]",
                    declared.join(", ")
                ),
            };
            diags.push(
                err(
                    "categories",
                    format!("category `{name}` is not declared in site.toml"),
                )
                .hint(hint),
            );
        }
    }
    for tag in &raw.tags {
        if !is_valid_slug(&slugify(tag)) {
            diags.push(
                err("tags", format!("tag `{tag}` gives no usable URL slug"))
                    .hint("use letters or digits in tag names"),
            );
        }
    }

    let image = raw.image.and_then(|img| match img.alt {
        Some(alt) if !alt.trim().is_empty() => Some(Image { src: img.src, alt }),
        _ => {
            diags.push(err("image", "image has no `alt` text".into()).hint(
                "describe the picture for readers who cannot see it: image: { src: ..., alt: \"...\" }",
            ));
            None
        }
    });
    if let Some(rt) = raw.read_time
        && !(rt.is_finite() && rt > 0.0 && rt < 10_000.0)
    {
        diags.push(err(
            "read_time",
            format!("read_time {rt} is not a positive number of minutes"),
        ));
    }
    for (i, f) in raw.faq.iter().enumerate() {
        if f.question.trim().is_empty() {
            diags.push(err(
                "faq",
                format!("FAQ entry {} has an empty question", i + 1),
            ));
        }
    }

    if diags.has_errors() {
        return Err(diags);
    }
    Ok(SourceDoc {
        kind,
        path: path.to_path_buf(),
        content_path: content_path.to_path_buf(),
        slug,
        slug_line: key_line(split, "slug").unwrap_or(split.yaml_line),
        id: raw.id,
        title: raw.title,
        date,
        updated,
        summary: raw.summary.filter(|s| !s.trim().is_empty()),
        authors: match raw.author {
            None => Vec::new(),
            Some(OneOrMany::One(a)) => vec![a],
            Some(OneOrMany::Many(v)) => v,
        },
        categories: raw.categories,
        tags: raw.tags,
        image,
        read_time: raw.read_time,
        source: raw.source.map(|s| SourceNote {
            name: s.name,
            url: s.url,
            date: source_date,
            note: s.note,
        }),
        faq: raw
            .faq
            .into_iter()
            .map(|f| FaqItem {
                question: f.question,
                answer: f.answer,
            })
            .collect(),
        draft: raw.draft,
        extra: raw.extra,
        body: split.body.to_string(),
        body_line: split.body_line,
        assets: Vec::new(),
    })
}

/// A front matter `id`: a URI with a scheme (`tag:`, `urn:`, `https:`) or a key of URI-safe characters.
fn check_id(id: &str) -> Result<(), &'static str> {
    let safe = |c: char| c.is_ascii_alphanumeric() || "-._~/".contains(c);
    let uri_safe = |c: char| c.is_ascii_graphic() && !"<>\"{}|\\^`".contains(c);
    match id.split_once(':') {
        _ if id.is_empty() => Err("is empty"),
        Some((scheme, rest))
            if !scheme.is_empty()
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c)) =>
        {
            if !rest.is_empty() && id.chars().all(uri_safe) {
                Ok(())
            } else {
                Err("is not a valid URI")
            }
        }
        Some(_) => Err("has a `:` but is not a URI"),
        None if id.chars().all(safe) => Ok(()),
        None => Err("may only use letters, digits and `-._~/`"),
    }
}

/// `2026-01-27-my-story` -> `my-story` (the layout `pamphlet new` writes).
pub fn strip_date_prefix(stem: &str) -> &str {
    let b = stem.as_bytes();
    let is_date = b.len() > 11
        && b[..10].iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
        && b[10] == b'-';
    if is_date { &stem[11..] } else { stem }
}

/// Reports pages whose slug clashes with a site section and documents sharing a slug.
pub fn check_unique_slugs<'a>(
    docs: impl IntoIterator<Item = &'a SourceDoc>,
    diags: &mut Diagnostics,
) {
    // Pages share the URL space's top level with the site's own sections.
    const RESERVED_PAGE_SLUGS: [&str; 5] = ["articles", "category", "tags", "page", "404"];
    let mut seen: std::collections::HashMap<(DocKind, String), &Path> =
        std::collections::HashMap::new();
    for doc in docs {
        if doc.kind == DocKind::Page && RESERVED_PAGE_SLUGS.contains(&doc.slug.as_str()) {
            diags.push(
                Diagnostic::error(
                    &doc.path,
                    format!(
                        "page slug `{}` clashes with a section of the site",
                        doc.slug
                    ),
                )
                .at(Some(doc.slug_line), None)
                .hint("give the page another `slug:`"),
            );
        }
        let key = (doc.kind, doc.slug.to_lowercase());
        if let Some(first) = seen.get(&key) {
            diags.push(
                Diagnostic::error(
                    &doc.path,
                    format!("slug `{}` is already used by {}", doc.slug, first.display()),
                )
                .at(Some(doc.slug_line), None)
                .hint("give one of the two a different `slug:` in its front matter"),
            );
        } else {
            seen.insert(key, &doc.path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> SiteConfig {
        SiteConfig::parse(
            Path::new("site.toml"),
            "title = \"T\"\nbase_url = \"https://x.org\"\n[[categories]]\nname = \"News\"\n[[categories]]\nname = \"Ecocide\"",
        )
        .unwrap()
    }

    fn doc(text: &str) -> Result<SourceDoc, Vec<Diagnostic>> {
        let p = Path::new("content/articles/2026-01-27-water.md");
        parse_doc(
            p,
            Path::new("articles/2026-01-27-water.md"),
            DocKind::Article,
            text,
            &config(),
        )
        .map_err(Diagnostics::sorted)
    }

    #[test]
    fn slug_from_file_name_without_date() {
        let d = doc("---\ntitle: W\ndate: 2026-01-27\n---\nBody").unwrap();
        assert_eq!(d.slug, "water");
        assert_eq!(d.body, "Body");
    }

    #[test]
    fn bom_and_crlf_work() {
        let d = doc("\u{feff}---\r\ntitle: W\r\ndate: 2026-01-27\r\n---\r\nBody\r\n").unwrap();
        assert_eq!(d.title, "W");
        assert_eq!(d.body, "Body\n");
    }

    #[test]
    fn all_problems_of_a_file_are_reported() {
        let e = doc(
            "---\ntitle: W\ndate: 2026-02-30\ncategories: [Newz]\nimage: { src: a.jpg }\n---\n",
        )
        .unwrap_err();
        let lines: Vec<_> = e.iter().map(|d| (d.line, d.message.as_str())).collect();
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert_eq!(e[0].line, Some(3));
        assert_eq!(e[1].line, Some(4));
        assert_eq!(e[1].hint.as_deref(), Some("did you mean `News`?"));
        assert_eq!(e[2].line, Some(5));
    }

    #[test]
    fn bad_slug_is_refused() {
        let e = doc("---\ntitle: W\ndate: 2026-01-27\nslug: ../etc\n---\n").unwrap_err();
        assert!(e[0].message.contains("slug `../etc` is not allowed"));
    }

    #[test]
    fn duplicate_slug_names_both_files_and_the_slug_line() {
        let a = doc("---\ntitle: A\ndate: 2026-01-27\n---\n").unwrap();
        let mut b = doc("---\ntitle: B\ndate: 2026-01-27\nslug: water\n---\n").unwrap();
        b.path = PathBuf::from("content/articles/b.md");
        assert_eq!((a.slug_line, b.slug_line), (2, 4));
        let mut diags = Diagnostics::new();
        check_unique_slugs(&[a, b], &mut diags);
        let d = diags.sorted();
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].location(), "content/articles/b.md:4");
        assert!(
            d[0].message
                .contains("content/articles/2026-01-27-water.md")
        );
    }

    #[test]
    fn page_slug_clashing_with_a_section_points_at_the_slug_line() {
        let mut page = doc("---\ntitle: P\nslug: tags\ndate: 2026-01-27\n---\n").unwrap();
        page.kind = DocKind::Page;
        let mut diags = Diagnostics::new();
        check_unique_slugs(&[page], &mut diags);
        let d = diags.sorted();
        assert_eq!(d[0].line, Some(3));
        assert!(d[0].message.contains("clashes with a section"));
    }

    #[test]
    fn feed_id_is_checked() {
        let d = doc("---\ntitle: W\ndate: 2026-01-27\nid: old-slug\n---\n").unwrap();
        assert_eq!(d.id.as_deref(), Some("old-slug"));
        assert!(doc("---\ntitle: W\ndate: 2026-01-27\nid: tag:x.org,2025:a\n---\n").is_ok());
        let e = doc("---\ntitle: W\ndate: 2026-01-27\nid: \"a b\"\n---\n").unwrap_err();
        assert_eq!(e[0].line, Some(4));
        assert!(e[0].message.starts_with("id `a b`"), "{}", e[0].message);
        assert!(doc("---\ntitle: W\ndate: 2026-01-27\nid: \"tag:<x>\"\n---\n").is_err());
    }

    #[test]
    fn large_body_warns_with_line() {
        let mut d = doc("---\ntitle: W\ndate: 2026-01-27\n---\nBody").unwrap();
        d.body = "x".repeat(LARGE_BODY + 1);
        let w = large_body_warning(&d);
        assert!(!w.is_error());
        assert_eq!(w.line, Some(5));
        assert!(w.message.contains("5.0 MB"), "{}", w.message);
    }

    #[test]
    fn symlinked_articles_folder_is_warned_not_followed() {
        let tmp = tempfile::tempdir().unwrap();
        let outside = tmp.path().join("outside");
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(
            outside.join("secret.md"),
            "---\ntitle: S\ndate: 2026-01-27\n---\nS\n",
        )
        .unwrap();
        let site = tmp.path().join("site");
        std::fs::create_dir_all(site.join("content")).unwrap();
        std::os::unix::fs::symlink(&outside, site.join("content/articles")).unwrap();
        let filter = LoadFilter {
            drafts: false,
            future: false,
            now: "2026-06-01T00:00:00Z".parse().unwrap(),
        };
        let (loaded, diags) = load(&site, &config(), filter);
        assert!(
            loaded.unwrap().docs.is_empty(),
            "the link's target was read"
        );
        let d: Vec<_> = diags.sorted();
        assert_eq!(d.len(), 1);
        assert!(!d[0].is_error() && d[0].message.contains("symbolic link not followed"));
        assert_eq!(d[0].path, Path::new("content/articles"));
    }

    #[test]
    fn missing_date_for_article() {
        let e = doc("---\ntitle: W\n---\n").unwrap_err();
        assert_eq!(e[0].message, "missing field `date`");
    }
}
