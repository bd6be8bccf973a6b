//! Takes the config and the loaded documents and gives the read-only `Site`: rendered articles sorted
//! newest first, pages, categories and tags with their article lists.

pub mod pagination;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use rayon::prelude::*;

use crate::config::{CategoryConfig, SiteConfig};
use crate::content::{DocKind, FaqItem, Image, PubDate, SourceDoc};
use crate::error::Diagnostic;
use crate::markdown::{self, Heading, Highlighter, LinkMap, RenderEnv};
use crate::slugs::slugify;

/// A rendered FAQ entry.
#[derive(Debug, Clone)]
pub struct Faq {
    /// Plain-text question.
    pub question: String,
    /// Answer as HTML (structured data takes it too: search engines read its links and lists).
    pub answer_html: String,
}

/// A rendered source note.
#[derive(Debug, Clone)]
pub struct Source {
    /// Outlet.
    pub name: Option<String>,
    /// Link to the original.
    pub url: Option<String>,
    /// Original's date.
    pub date: Option<PubDate>,
    /// Note as HTML.
    pub note_html: Option<String>,
}

/// A category or tag as an article refers to it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct TermRef {
    /// Display name.
    pub name: String,
    /// URL slug.
    pub slug: String,
}

/// A published article or page, rendered and linked.
#[derive(Debug, Clone)]
pub struct Article {
    /// Article or page.
    pub kind: DocKind,
    /// Source path relative to the site root.
    pub source_path: PathBuf,
    /// URL slug.
    pub slug: String,
    /// Front matter `id` (feed id key or full URI), if set.
    pub id: Option<String>,
    /// Site path including the base path, e.g. `/articles/water/`.
    pub path: String,
    /// Output folder relative to the output root, e.g. `articles/water`.
    pub out_dir: String,
    /// Headline.
    pub title: String,
    /// Publication date.
    pub date: Option<PubDate>,
    /// Last update.
    pub updated: Option<PubDate>,
    /// Standfirst (front matter, or the first paragraph).
    pub summary: String,
    /// Authors.
    pub authors: Vec<String>,
    /// Categories in front-matter order.
    pub categories: Vec<TermRef>,
    /// Tags in front-matter order.
    pub tags: Vec<TermRef>,
    /// Hero image with its `src` resolved to a site path or URL.
    pub image: Option<Image>,
    /// Minutes, one decimal.
    pub read_time: f64,
    /// Prose word count.
    pub words: usize,
    /// Body HTML.
    pub content_html: String,
    /// Headings of the body.
    pub headings: Vec<Heading>,
    /// Whether the body has code blocks (the page then links the highlighting stylesheet).
    pub has_code: bool,
    /// FAQ.
    pub faq: Vec<Faq>,
    /// Source note.
    pub source: Option<Source>,
    /// Theme data.
    pub extra: BTreeMap<String, serde_json::Value>,
    /// Files copied beside the page.
    pub assets: Vec<(PathBuf, PathBuf)>,
}

/// A category or tag with its articles (indices into `Site::articles`, newest first).
#[derive(Debug, Clone)]
pub struct Term {
    /// Display name.
    pub name: String,
    /// URL slug.
    pub slug: String,
    /// Description (categories only).
    pub description: String,
    /// Site path, e.g. `/category/news/`.
    pub path: String,
    /// Output folder, e.g. `category/news`.
    pub out_dir: String,
    /// Articles, newest first.
    pub articles: Vec<usize>,
}

/// The whole site, built once and only read afterwards.
#[derive(Debug, Clone)]
pub struct Site {
    /// The configuration (with `--base-url` applied).
    pub config: SiteConfig,
    /// `/` or `/sub/`.
    pub base_path: String,
    /// Articles, newest first (ties by slug).
    pub articles: Vec<Article>,
    /// Standalone pages, by slug.
    pub pages: Vec<Article>,
    /// Categories in site.toml order (including empty ones).
    pub categories: Vec<Term>,
    /// Tags by slug.
    pub tags: Vec<Term>,
    /// Whether any article has code.
    pub has_code: bool,
}

impl Site {
    /// Renders every document (in parallel) and links them into a site. Warnings come back beside it.
    pub fn assemble(
        config: SiteConfig,
        docs: Vec<SourceDoc>,
        highlighter: &Highlighter,
    ) -> (Site, Vec<Diagnostic>) {
        let base_path = config.base_path();
        let links = link_map(&base_path, &docs);
        let rendered: Vec<(Article, Vec<Diagnostic>)> = docs
            .into_par_iter()
            .map(|doc| render_doc(doc, &config, &base_path, &links, highlighter))
            .collect();
        Site::from_rendered(config, rendered)
    }

    /// Links already rendered documents (with their warnings) into a site: sorts articles and
    /// pages, gathers categories and tags. `serve` calls this with articles it kept from the last build.
    pub fn from_rendered(
        config: SiteConfig,
        rendered: Vec<(Article, Vec<Diagnostic>)>,
    ) -> (Site, Vec<Diagnostic>) {
        let base_path = config.base_path();
        let mut warnings = Vec::new();
        let mut articles = Vec::with_capacity(rendered.len());
        let mut pages = Vec::new();
        for (a, w) in rendered {
            warnings.extend(w);
            match a.kind {
                DocKind::Article => articles.push(a),
                DocKind::Page => pages.push(a),
            }
        }
        let articles = newest_first(articles);
        pages.sort_by(|a, b| a.slug.cmp(&b.slug));

        // One pass over the articles fills every category's and tag's list (newest first, as the
        // articles are); hashing, not a tree, so 100,000 articles cost a few milliseconds.
        let cat_slugs: Vec<String> = config.categories.iter().map(CategoryConfig::slug).collect();
        let mut cat_index: HashMap<&str, Vec<usize>> = HashMap::new();
        for (k, slug) in cat_slugs.iter().enumerate() {
            cat_index.entry(slug.as_str()).or_default().push(k);
        }
        let mut cat_members: Vec<Vec<usize>> = vec![Vec::new(); cat_slugs.len()];
        let mut tag_map: HashMap<&str, (&str, Vec<usize>)> = HashMap::new();
        for (i, a) in articles.iter().enumerate() {
            for c in &a.categories {
                for &k in cat_index.get(c.slug.as_str()).into_iter().flatten() {
                    if cat_members[k].last() != Some(&i) {
                        cat_members[k].push(i);
                    }
                }
            }
            for t in &a.tags {
                let entry = tag_map
                    .entry(t.slug.as_str())
                    .or_insert_with(|| (t.name.as_str(), Vec::new()));
                // Spelling variants of one tag share a page; the smallest spelling names it, for determinism.
                if t.name.as_str() < entry.0 {
                    entry.0 = &t.name;
                }
                if entry.1.last() != Some(&i) {
                    entry.1.push(i);
                }
            }
        }
        let categories = config
            .categories
            .iter()
            .zip(cat_slugs.iter())
            .zip(cat_members)
            .map(|((c, slug), members)| {
                term(
                    &base_path,
                    "category",
                    c.name.clone(),
                    slug.clone(),
                    c.description.clone(),
                    members,
                )
            })
            .collect();
        let mut tag_list: Vec<_> = tag_map.into_iter().collect();
        tag_list.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let tags = tag_list
            .into_iter()
            .map(|(slug, (name, members))| {
                term(
                    &base_path,
                    "tags",
                    name.to_string(),
                    slug.to_string(),
                    String::new(),
                    members,
                )
            })
            .collect();
        let has_code = articles.iter().chain(&pages).any(|a| a.has_code);
        warnings.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
        (
            Site {
                config,
                base_path,
                articles,
                pages,
                categories,
                tags,
                has_code,
            },
            warnings,
        )
    }

    /// The newest other articles sharing `article`'s first category, at most `n`.
    pub fn more_in_category(&self, article: &Article, n: usize) -> Option<(&Term, Vec<&Article>)> {
        let (cat, idx) = self.more_in_category_indices(article, n)?;
        Some((cat, idx.into_iter().map(|i| &self.articles[i]).collect()))
    }

    /// Like `more_in_category`, as indices into `articles`.
    pub fn more_in_category_indices(
        &self,
        article: &Article,
        n: usize,
    ) -> Option<(&Term, Vec<usize>)> {
        let first = article.categories.first()?;
        let cat = self.categories.iter().find(|c| c.slug == first.slug)?;
        let others = cat
            .articles
            .iter()
            .copied()
            .filter(|&i| self.articles[i].slug != article.slug)
            .take(n)
            .collect();
        Some((cat, others))
    }

    /// A link as written in config (`/about/` or a full URL) -> a URL that works under the base path.
    pub fn link(&self, url: &str) -> String {
        match url.strip_prefix('/') {
            Some(rest) if !rest.starts_with('/') => format!("{}{rest}", self.base_path),
            _ => url.to_string(),
        }
    }

    /// The absolute URL of a site path (which already includes the base path).
    pub fn absolute(&self, path: &str) -> String {
        let origin_end = self.config.base_url.len() - self.base_path.len();
        format!("{}{}", &self.config.base_url[..origin_end], path)
    }
}

/// `articles` newest first, ties by slug (slugs are unique, so the order is total). Indices are
/// sorted, not articles: an `Article` is hundreds of bytes, and a sort moves each element many times.
fn newest_first(articles: Vec<Article>) -> Vec<Article> {
    let keys: Vec<_> = articles
        .iter()
        .map(|a| {
            (
                std::cmp::Reverse(a.date.as_ref().map(PubDate::timestamp)),
                a.slug.as_str(),
            )
        })
        .collect();
    let mut order: Vec<usize> = (0..articles.len()).collect();
    order.par_sort_unstable_by(|&i, &j| keys[i].cmp(&keys[j]));
    drop(keys);
    let mut slots: Vec<Option<Article>> = articles.into_iter().map(Some).collect();
    order.iter().filter_map(|&i| slots[i].take()).collect()
}

fn term(
    base: &str,
    section: &str,
    name: String,
    slug: String,
    description: String,
    articles: Vec<usize>,
) -> Term {
    Term {
        path: format!("{base}{section}/{slug}/"),
        out_dir: format!("{section}/{slug}"),
        name,
        slug,
        description,
        articles,
    }
}

/// Every document's content path -> its site path, for resolving links between Markdown files.
pub fn link_map<D: std::borrow::Borrow<SourceDoc> + Sync>(base_path: &str, docs: &[D]) -> LinkMap {
    let pairs: Vec<(PathBuf, String)> = docs
        .par_iter()
        .map(|d| {
            let d = d.borrow();
            (
                d.content_path.clone(),
                site_path(base_path, d.kind, &d.slug),
            )
        })
        .collect();
    pairs.into_iter().collect()
}

/// The site path of a document.
fn site_path(base: &str, kind: DocKind, slug: &str) -> String {
    match kind {
        DocKind::Article => format!("{base}articles/{slug}/"),
        DocKind::Page => format!("{base}{slug}/"),
    }
}

/// Renders one document's Markdown (body, FAQ, source note) into an `Article`, with its warnings.
pub fn render_doc(
    doc: SourceDoc,
    config: &SiteConfig,
    base_path: &str,
    links: &LinkMap,
    highlighter: &Highlighter,
) -> (Article, Vec<Diagnostic>) {
    let env = RenderEnv {
        content_path: &doc.content_path,
        shown_path: &doc.path,
        first_line: doc.body_line,
        links,
        base_path,
        unsafe_html: config.unsafe_html,
        highlighter,
    };
    let body = markdown::render(&doc.body, &env);
    let mut warnings = body.warnings;
    let mut small = |text: &str| {
        let mut r = markdown::render(
            text,
            &RenderEnv {
                first_line: doc.body_line,
                // FAQ answers and source notes are front matter: untrusted text, never raw HTML.
                unsafe_html: false,
                ..env
            },
        );
        warnings.append(&mut r.warnings);
        r
    };
    let faq: Vec<Faq> = doc
        .faq
        .iter()
        .map(|FaqItem { question, answer }| {
            let r = small(answer);
            Faq {
                question: question.clone(),
                answer_html: r.html,
            }
        })
        .collect();
    let source = doc.source.as_ref().map(|s| Source {
        name: s.name.clone(),
        url: s.url.clone(),
        date: s.date.clone(),
        note_html: s.note.as_deref().map(|n| small(n).html),
    });
    let path = site_path(base_path, doc.kind, &doc.slug);
    let out_dir = path[base_path.len()..].trim_end_matches('/').to_string();
    let image = doc.image.map(|img| Image {
        src: resolve_asset(&img.src, &path, base_path),
        alt: img.alt,
    });
    let read_time = doc
        .read_time
        .map(|m| (m * 10.0).round() / 10.0)
        .unwrap_or_else(|| {
            markdown::read_time(
                body.words,
                body.cjk_chars,
                config.words_per_minute,
                config.cjk_characters_per_minute,
            )
        });
    let term_ref = |name: &String| TermRef {
        name: name.clone(),
        slug: slugify(name),
    };
    let categories = doc
        .categories
        .iter()
        .map(|n| TermRef {
            name: n.clone(),
            slug: config
                .category(n)
                .map(CategoryConfig::slug)
                .unwrap_or_else(|| slugify(n)),
        })
        .collect();
    let article = Article {
        kind: doc.kind,
        source_path: doc.path,
        slug: doc.slug,
        id: doc.id,
        out_dir,
        title: doc.title,
        date: doc.date,
        updated: doc.updated,
        summary: doc.summary.unwrap_or(body.first_paragraph),
        authors: doc.authors,
        categories,
        tags: doc.tags.iter().map(term_ref).collect(),
        image,
        read_time,
        words: body.words,
        content_html: body.html,
        headings: body.headings,
        has_code: body.has_code,
        faq,
        source,
        extra: doc.extra,
        assets: doc.assets,
        path,
    };
    (article, warnings)
}

/// An image `src` as written -> a URL: absolute URLs and site paths kept (site paths get the base),
/// relative ones resolved against the page's folder.
fn resolve_asset(src: &str, page_path: &str, base_path: &str) -> String {
    if src.contains("://") || src.starts_with("data:") {
        src.to_string()
    } else if let Some(rest) = src.strip_prefix('/') {
        format!("{base_path}{rest}")
    } else {
        format!("{page_path}{}", src.trim_start_matches("./"))
    }
}
