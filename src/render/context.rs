//! Takes `&Site` pieces and gives the typed, borrowed views templates see (documented in the README).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::config::{MenuItem, Newsletter};
use crate::content::PubDate;
use crate::markdown::Heading;
use crate::site::{Article, Site, Term};

/// `site`: the same on every page.
#[derive(Debug, Serialize)]
pub struct SiteView<'a> {
    /// Site name.
    pub title: &'a str,
    /// Site description.
    pub description: &'a str,
    /// `<html lang>`.
    pub language: &'a str,
    /// Absolute base URL, ending in `/`.
    pub base_url: &'a str,
    /// Path part of the base URL (`/` or `/sub/`); prefix for every internal link.
    pub base_path: &'a str,
    /// Newsletter signup settings, if configured.
    pub newsletter: Option<&'a Newsletter>,
    /// Every declared category, with description and article count.
    pub categories: Vec<TermView<'a>>,
    /// Header navigation, site paths already prefixed with the base path.
    pub menu: Vec<MenuView<'a>>,
    /// Standalone pages (title and path), for footers.
    pub pages: Vec<LinkView<'a>>,
    /// Theme settings from `[extra]`.
    pub extra: &'a BTreeMap<String, toml::Value>,
    /// Path of the highlighting stylesheet, when any page has code.
    pub syntax_css: Option<String>,
    /// Path of the theme's `style.css` under its cache-busting name (`/style.<hash>.css`).
    pub stylesheet: String,
}

/// A category or tag.
#[derive(Debug, Serialize)]
pub struct TermView<'a> {
    /// Display name.
    pub name: &'a str,
    /// Slug.
    pub slug: &'a str,
    /// Description (categories).
    pub description: &'a str,
    /// Site path.
    pub path: &'a str,
    /// Number of articles.
    pub count: usize,
}

/// A header navigation link.
#[derive(Debug, Serialize)]
pub struct MenuView<'a> {
    /// Link text.
    pub name: &'a str,
    /// Resolved URL.
    pub url: String,
}

/// A link with a title.
#[derive(Debug, Serialize)]
pub struct LinkView<'a> {
    /// Link text.
    pub title: &'a str,
    /// Site path.
    pub path: &'a str,
}

/// A date in the forms templates need.
#[derive(Debug, Serialize)]
pub struct DateView {
    /// For `<time datetime>`: `2026-01-27` or full RFC 3339.
    pub machine: String,
    /// `27 January 2026`.
    pub human: String,
    /// Full RFC 3339 with offset.
    pub rfc3339: String,
}

/// An article's category or tag link.
#[derive(Debug, Serialize)]
pub struct TermLink<'a> {
    /// Name.
    pub name: &'a str,
    /// Slug.
    pub slug: &'a str,
    /// Site path.
    pub path: String,
}

/// `image`
#[derive(Debug, Serialize)]
pub struct ImageView<'a> {
    /// URL.
    pub src: &'a str,
    /// Text alternative.
    pub alt: &'a str,
}

/// One FAQ entry.
#[derive(Debug, Serialize)]
pub struct FaqView<'a> {
    /// Question text.
    pub question: &'a str,
    /// Answer HTML (safe).
    pub answer: &'a str,
}

/// The source note.
#[derive(Debug, Serialize)]
pub struct SourceView<'a> {
    /// Outlet.
    pub name: Option<&'a str>,
    /// Original story URL.
    pub url: Option<&'a str>,
    /// Original story date.
    pub date: Option<DateView>,
    /// Note HTML (safe).
    pub note: Option<&'a str>,
}

/// `article` (article.html) and `page` (page.html).
#[derive(Debug, Serialize)]
pub struct ArticleView<'a> {
    /// Headline.
    pub title: &'a str,
    /// Slug.
    pub slug: &'a str,
    /// Site path.
    pub path: &'a str,
    /// Absolute URL.
    pub url: String,
    /// Publication date.
    pub date: Option<DateView>,
    /// Update date.
    pub updated: Option<DateView>,
    /// Standfirst, plain text.
    pub summary: &'a str,
    /// Authors.
    pub authors: &'a [String],
    /// Categories.
    pub categories: Vec<TermLink<'a>>,
    /// Tags.
    pub tags: Vec<TermLink<'a>>,
    /// Hero image.
    pub image: Option<ImageView<'a>>,
    /// Minutes as a number.
    pub read_time: f64,
    /// Minutes with one decimal, e.g. `4.3`.
    pub read_time_display: String,
    /// Body HTML (safe).
    pub content: &'a str,
    /// Headings of the body, for a table of contents.
    pub headings: &'a [Heading],
    /// FAQ entries.
    pub faq: Vec<FaqView<'a>>,
    /// Source note.
    pub source: Option<SourceView<'a>>,
    /// Front matter `extra`.
    pub extra: &'a BTreeMap<String, serde_json::Value>,
    /// Whether the body has code.
    pub has_code: bool,
}

/// An article in a listing: light, never the body.
#[derive(Debug, Serialize)]
pub struct CardView<'a> {
    /// Headline.
    pub title: &'a str,
    /// Site path.
    pub path: &'a str,
    /// Publication date.
    pub date: Option<DateView>,
    /// Standfirst.
    pub summary: &'a str,
    /// Minutes, one decimal.
    pub read_time_display: String,
    /// Authors.
    pub authors: &'a [String],
    /// Categories.
    pub categories: Vec<TermLink<'a>>,
    /// Hero image.
    pub image: Option<ImageView<'a>>,
    /// The theme's `card.html` rendered for this card (once per build), when the theme has one.
    pub rendered: Option<String>,
}

/// "More in <category>" under an article.
#[derive(Debug, Serialize)]
pub struct MoreView<'a> {
    /// The category.
    pub category: TermView<'a>,
    /// Its newest other articles.
    pub articles: Vec<CardView<'a>>,
}

/// Date in its template forms.
pub fn date_view(d: &PubDate) -> DateView {
    DateView {
        machine: d.machine(),
        human: d.human(),
        rfc3339: d.rfc3339(),
    }
}

/// One decimal, as the seed prints "4.3 MIN READ".
pub fn minutes(m: f64) -> String {
    format!("{m:.1}")
}

fn term_links<'a>(
    site: &'a Site,
    section: &str,
    terms: &'a [crate::site::TermRef],
) -> Vec<TermLink<'a>> {
    terms
        .iter()
        .map(|t| TermLink {
            name: &t.name,
            slug: &t.slug,
            path: format!("{}{section}/{}/", site.base_path, t.slug),
        })
        .collect()
}

impl<'a> SiteView<'a> {
    /// The site view for `site`.
    pub fn new(site: &'a Site) -> Self {
        let c = &site.config;
        SiteView {
            title: &c.title,
            description: &c.description,
            language: &c.language,
            base_url: &c.base_url,
            base_path: &site.base_path,
            newsletter: c.newsletter.as_ref(),
            categories: site.categories.iter().map(term_view).collect(),
            menu: c
                .menu
                .iter()
                .map(|m: &MenuItem| MenuView {
                    name: &m.name,
                    url: site.link(&m.url),
                })
                .collect(),
            pages: site
                .pages
                .iter()
                .map(|p| LinkView {
                    title: &p.title,
                    path: &p.path,
                })
                .collect(),
            extra: &c.extra,
            syntax_css: site
                .has_code
                .then(|| format!("{}syntax.css", site.base_path)),
            stylesheet: format!("{}style.css", site.base_path),
        }
    }
}

/// A term's view.
pub fn term_view(t: &Term) -> TermView<'_> {
    TermView {
        name: &t.name,
        slug: &t.slug,
        description: &t.description,
        path: &t.path,
        count: t.articles.len(),
    }
}

impl<'a> ArticleView<'a> {
    /// The full view of an article or page.
    pub fn new(site: &'a Site, a: &'a Article) -> Self {
        ArticleView {
            title: &a.title,
            slug: &a.slug,
            path: &a.path,
            url: site.absolute(&a.path),
            date: a.date.as_ref().map(date_view),
            updated: a.updated.as_ref().map(date_view),
            summary: &a.summary,
            authors: &a.authors,
            categories: term_links(site, "category", &a.categories),
            tags: term_links(site, "tags", &a.tags),
            image: a.image.as_ref().map(|i| ImageView {
                src: &i.src,
                alt: &i.alt,
            }),
            read_time: a.read_time,
            read_time_display: minutes(a.read_time),
            content: &a.content_html,
            headings: &a.headings,
            faq: a
                .faq
                .iter()
                .map(|f| FaqView {
                    question: &f.question,
                    answer: &f.answer_html,
                })
                .collect(),
            source: a.source.as_ref().map(|s| SourceView {
                name: s.name.as_deref(),
                url: s.url.as_deref(),
                date: s.date.as_ref().map(date_view),
                note: s.note_html.as_deref(),
            }),
            extra: &a.extra,
            has_code: a.has_code,
        }
    }
}

impl<'a> CardView<'a> {
    /// The listing view of an article.
    pub fn new(site: &'a Site, a: &'a Article) -> Self {
        CardView {
            title: &a.title,
            path: &a.path,
            date: a.date.as_ref().map(date_view),
            summary: &a.summary,
            read_time_display: minutes(a.read_time),
            authors: &a.authors,
            categories: term_links(site, "category", &a.categories),
            image: a.image.as_ref().map(|i| ImageView {
                src: &i.src,
                alt: &i.alt,
            }),
            rendered: None,
        }
    }
}
