//! Takes the read-only `Site` and gives its feeds: Atom for the site, each category and each tag
//! (RSS 2.0 beside each when `[feeds] rss = true`). quick-xml's writer escapes every value.
//!
//! Entry ids are `tag:` URIs (RFC 4151) that survive edits and slug renames:
//! `tag:<authority>,<first-publication day>:<key>`, where the authority is `[feeds] id_authority`
//! (default: the host of site.toml's `base_url`) and the key is front matter `id:` (default: the slug).
//! An `id:` holding a whole URI (`tag:...`, `urn:...`) is used as it is.

mod urls;
pub(crate) mod xml;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use serde::Serialize;

use crate::content::PubDate;
use crate::error::{Diagnostic, Diagnostics};
use crate::render::{self, Contents, OutputFile, Sink};
use crate::site::{Article, Site, Term};
pub use urls::absolutize;
use xml::Xml;
pub use xml::xml_safe;

const ATOM_NS: &str = "http://www.w3.org/2005/Atom";
const ATOM_MIME: &str = "application/atom+xml";
const RSS_MIME: &str = "application/rss+xml";
/// `updated` of a feed when the whole site has no article (Atom requires one; no wall clock in output).
const EPOCH: &str = "1970-01-01T00:00:00+00:00";

/// A feed to write: its title, folder, the HTML page it mirrors, and its articles (newest first).
#[derive(Debug)]
pub struct FeedSpec<'a> {
    /// Feed title.
    pub title: String,
    /// Feed subtitle.
    pub subtitle: &'a str,
    /// Output folder relative to the output root: `` (site), `category/news`, `tags/water`.
    pub dir: String,
    /// Site path of the HTML page the feed mirrors.
    pub page_path: &'a str,
    /// Articles, newest first, at most `[feeds] limit`.
    pub articles: Vec<&'a Article>,
}

/// A `<link rel="alternate">` for a page's head.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FeedLink {
    /// Link title (what a reader's subscribe button shows).
    pub title: String,
    /// Site path of the feed.
    pub href: String,
    /// `application/atom+xml` or `application/rss+xml`.
    pub mime: &'static str,
}

/// Every feed the site gets, site feed first.
pub fn feed_specs<'a>(site: &'a Site) -> Vec<FeedSpec<'a>> {
    let cfg = &site.config.feeds;
    let take = |idx: &[usize]| -> Vec<&'a Article> {
        idx.iter()
            .take(cfg.limit)
            .map(|&i| &site.articles[i])
            .collect()
    };
    let mut specs = vec![FeedSpec {
        title: site.config.title.clone(),
        subtitle: &site.config.description,
        dir: String::new(),
        page_path: &site.base_path,
        articles: site.articles.iter().take(cfg.limit).collect(),
    }];
    let term_spec = |t: &'a Term| FeedSpec {
        title: term_feed_title(site, t),
        subtitle: &t.description,
        dir: t.out_dir.clone(),
        page_path: &t.path,
        articles: take(&t.articles),
    };
    if cfg.categories {
        specs.extend(site.categories.iter().map(term_spec));
    }
    if cfg.tags {
        specs.extend(site.tags.iter().map(term_spec));
    }
    specs
}

fn term_feed_title(site: &Site, t: &Term) -> String {
    format!("{} · {}", t.name, site.config.title)
}

/// The feeds a page links in its head: the site's, plus the category's or tag's own on its pages.
pub fn head_links(site: &Site, term: Option<&Term>) -> Vec<FeedLink> {
    let cfg = &site.config.feeds;
    let mut dirs = vec![(site.config.title.clone(), String::new())];
    if let Some(t) = term {
        let is_category = t.out_dir.starts_with("category/");
        if (is_category && cfg.categories) || (!is_category && cfg.tags) {
            dirs.push((term_feed_title(site, t), t.out_dir.clone()));
        }
    }
    let mut links = Vec::new();
    for (title, dir) in dirs {
        links.push(FeedLink {
            title: title.clone(),
            href: format!("{}{}", site.base_path, feed_rel(&dir, "atom.xml")),
            mime: ATOM_MIME,
        });
        if cfg.rss {
            links.push(FeedLink {
                title: format!("{title} (RSS)"),
                href: format!("{}{}", site.base_path, feed_rel(&dir, "rss.xml")),
                mime: RSS_MIME,
            });
        }
    }
    links
}

/// `atom.xml` or `category/news/atom.xml`.
fn feed_rel(dir: &str, file: &str) -> String {
    if dir.is_empty() {
        file.to_string()
    } else {
        format!("{dir}/{file}")
    }
}

/// The entry id of an article; stable across edits and slug renames (see the module docs).
pub fn entry_id(site: &Site, a: &Article) -> String {
    match a.id.as_deref() {
        Some(uri) if uri.contains(':') => uri.to_string(),
        key => {
            let authority = site
                .config
                .feeds
                .id_authority
                .as_deref()
                .unwrap_or_else(|| site.config.host());
            let day = a
                .date
                .as_ref()
                .map_or_else(|| "1970-01-01".into(), PubDate::ymd);
            format!("tag:{authority},{day}:{}", key.unwrap_or(&a.slug))
        }
    }
}

/// Writes every feed; fails if two articles would share an entry id.
pub fn render(site: &Site) -> Result<Vec<OutputFile>, Diagnostics> {
    render::collect(|sink| render_to(site, sink))
}

/// `render`, handing each feed to `sink` as soon as it is written (none is held after that);
/// gives the number of files.
pub fn render_to(site: &Site, sink: &Sink<'_>) -> Result<usize, Diagnostics> {
    render_specs(site, feed_specs(site), sink)
}

/// Writes only the feeds that list an article `shows` accepts (`serve` after an edit); same checks.
pub fn render_showing(
    site: &Site,
    shows: &(dyn Fn(&Article) -> bool + Sync),
) -> Result<Vec<OutputFile>, Diagnostics> {
    let mut specs = feed_specs(site);
    specs.retain(|spec| spec.articles.iter().any(|a| shows(a)));
    render::collect(|sink| render_specs(site, specs, sink))
}

fn render_specs(
    site: &Site,
    specs: Vec<FeedSpec<'_>>,
    sink: &Sink<'_>,
) -> Result<usize, Diagnostics> {
    let ids = unique_ids(site)?;
    let entries = Entries::render(site, &specs, &ids)?;
    let cannot = |rel: &str, e: io::Error| Diagnostic::error(rel, format!("cannot write: {e}"));
    let files = AtomicUsize::new(0);
    let errors: Vec<Diagnostic> = specs
        .par_iter()
        .flat_map_iter(|spec| {
            let mut out = vec![("atom.xml", atom(site, spec, &entries))];
            if site.config.feeds.rss {
                out.push(("rss.xml", rss(site, spec, &entries)));
            }
            let files = &files;
            out.into_iter().filter_map(move |(file, bytes)| {
                let rel_path = feed_rel(&spec.dir, file);
                files.fetch_add(1, Ordering::Relaxed);
                match bytes {
                    Ok(bytes) => sink(OutputFile {
                        rel_path,
                        contents: Contents::Bytes(bytes),
                    })
                    .err(),
                    Err(e) => Some(cannot(&rel_path, e)),
                }
            })
        })
        .collect();
    if errors.is_empty() {
        Ok(files.into_inner())
    } else {
        Err(errors.into_iter().collect())
    }
}

/// Each listed article's Atom `<entry>` and RSS `<item>`, written once (in parallel) and spliced
/// into every feed that lists it: one article is in the site's, its categories' and its tags' feeds.
struct Entries<'a> {
    atom: BTreeMap<&'a str, Vec<u8>>,
    rss: BTreeMap<&'a str, Vec<u8>>,
}

impl<'a> Entries<'a> {
    fn render(
        site: &'a Site,
        specs: &[FeedSpec<'a>],
        ids: &BTreeMap<&'a str, String>,
    ) -> Result<Self, Diagnostics> {
        let mut listed: Vec<&Article> = specs.iter().flat_map(|s| s.articles.clone()).collect();
        listed.sort_by(|a, b| a.slug.cmp(&b.slug));
        listed.dedup_by(|a, b| a.slug == b.slug);
        let rss_on = site.config.feeds.rss;
        type Pair = (io::Result<Vec<u8>>, Option<io::Result<Vec<u8>>>);
        let rendered: Vec<(&Article, Pair)> = listed
            .par_iter()
            .map(|&a| {
                let id = ids.get(a.slug.as_str()).map_or("", String::as_str);
                let url = site.absolute(&a.path);
                let content = absolutize(&a.content_html, &url, &site.absolute(""));
                let atom = atom_entry(site, a, id, &url, &content);
                let rss = rss_on.then(|| rss_item(a, id, &url, &content));
                (a, (atom, rss))
            })
            .collect();
        let mut entries = Entries {
            atom: BTreeMap::new(),
            rss: BTreeMap::new(),
        };
        let mut diags = Diagnostics::new();
        for (a, (atom, rss)) in rendered {
            let slug = a.slug.as_str();
            for (map, bytes) in [(&mut entries.atom, Some(atom)), (&mut entries.rss, rss)] {
                match bytes {
                    Some(Ok(b)) => {
                        map.insert(slug, b);
                    }
                    Some(Err(e)) => diags.push(Diagnostic::error(
                        &a.source_path,
                        format!("cannot write the feed entry: {e}"),
                    )),
                    None => {}
                }
            }
        }
        if diags.has_errors() {
            Err(diags)
        } else {
            Ok(entries)
        }
    }
}

/// Entry id of every article (by slug), or an error for each article whose id is already taken.
fn unique_ids(site: &Site) -> Result<BTreeMap<&str, String>, Diagnostics> {
    let mut by_id: BTreeMap<String, &Article> = BTreeMap::new();
    let mut ids = BTreeMap::new();
    let mut diags = Diagnostics::new();
    for a in &site.articles {
        let id = entry_id(site, a);
        if let Some(first) = by_id.get(&id) {
            diags.push(
                Diagnostic::error(
                    &a.source_path,
                    format!(
                        "feed id `{id}` is also the id of {}",
                        first.source_path.display()
                    ),
                )
                .hint("give one of the two its own `id:` in the front matter"),
            );
        } else {
            by_id.insert(id.clone(), a);
        }
        ids.insert(a.slug.as_str(), id);
    }
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(ids)
    }
}

/// `updated` of an entry: the later of `updated` and `date`.
fn updated(a: &Article) -> Option<&PubDate> {
    match (&a.date, &a.updated) {
        (Some(d), Some(u)) if u.timestamp() > d.timestamp() => Some(u),
        (Some(d), _) => Some(d),
        (None, u) => u.as_ref(),
    }
}

/// `updated` of a feed: its newest entry's, else the site's newest article's, else the epoch.
fn feed_updated<'a>(site: &'a Site, spec: &FeedSpec<'a>) -> Cow<'a, str> {
    let newest = |arts: &mut dyn Iterator<Item = &'a Article>| {
        arts.filter_map(updated).max_by_key(|d| d.timestamp())
    };
    newest(&mut spec.articles.iter().copied())
        .or_else(|| newest(&mut site.articles.iter()))
        .map_or(Cow::Borrowed(EPOCH), |d| Cow::Owned(d.rfc3339()))
}

fn atom(site: &Site, spec: &FeedSpec<'_>, entries: &Entries<'_>) -> io::Result<Vec<u8>> {
    let self_url = site.absolute(&format!(
        "{}{}",
        site.base_path,
        feed_rel(&spec.dir, "atom.xml")
    ));
    let page_url = site.absolute(spec.page_path);
    let publisher = crate::seo::publisher_name(site);
    let logo = crate::seo::publisher_logo(site);
    let mut x = Xml::new()?;
    x.el(
        "feed",
        &[("xmlns", ATOM_NS), ("xml:lang", &site.config.language)],
        |x| {
            x.text("title", &[("type", "text")], &spec.title)?;
            if !spec.subtitle.is_empty() {
                x.text("subtitle", &[("type", "text")], spec.subtitle)?;
            }
            x.empty(
                "link",
                &[("rel", "self"), ("type", ATOM_MIME), ("href", &self_url)],
            )?;
            x.empty(
                "link",
                &[
                    ("rel", "alternate"),
                    ("type", "text/html"),
                    ("href", &page_url),
                ],
            )?;
            x.text("id", &[], &self_url)?;
            x.text("updated", &[], &feed_updated(site, spec))?;
            // Entries without a byline inherit the feed's author, as Atom requires one or the other.
            x.el("author", &[], |x| x.text("name", &[], publisher))?;
            x.text(
                "generator",
                &[("version", env!("CARGO_PKG_VERSION"))],
                "Pamphlet",
            )?;
            if let Some(logo) = &logo {
                x.text("logo", &[], logo)?;
            }
            for a in &spec.articles {
                x.splice(1, entries.atom.get(a.slug.as_str()));
            }
            Ok(())
        },
    )?;
    Ok(x.finish())
}

/// One article's `<entry>`, as a fragment to splice into feeds.
fn atom_entry(site: &Site, a: &Article, id: &str, url: &str, content: &str) -> io::Result<Vec<u8>> {
    let mut x = Xml::fragment();
    x.el("entry", &[], |x| {
        x.text("title", &[("type", "text")], &a.title)?;
        x.empty(
            "link",
            &[("rel", "alternate"), ("type", "text/html"), ("href", url)],
        )?;
        x.text("id", &[], id)?;
        if let Some(d) = &a.date {
            x.text("published", &[], &d.rfc3339())?;
        }
        if let Some(u) = updated(a) {
            x.text("updated", &[], &u.rfc3339())?;
        }
        for name in &a.authors {
            x.el("author", &[], |x| x.text("name", &[], name))?;
        }
        for (section, terms) in [("category/", &a.categories), ("tags/", &a.tags)] {
            let scheme = site.absolute(&format!("{}{section}", site.base_path));
            for t in terms {
                x.empty(
                    "category",
                    &[("term", &t.slug), ("label", &t.name), ("scheme", &scheme)],
                )?;
            }
        }
        if !a.summary.is_empty() {
            x.text("summary", &[("type", "text")], &a.summary)?;
        }
        x.text("content", &[("type", "html"), ("xml:base", url)], content)
    })?;
    Ok(x.into_fragment())
}

fn rfc2822(d: &PubDate) -> String {
    d.format("%a, %d %b %Y %H:%M:%S %z").unwrap_or_default()
}

/// One article's RSS `<item>`, as a fragment to splice into feeds.
fn rss_item(a: &Article, id: &str, url: &str, content: &str) -> io::Result<Vec<u8>> {
    let mut x = Xml::fragment();
    x.el("item", &[], |x| {
        x.text("title", &[], &a.title)?;
        x.text("link", &[], url)?;
        x.text("guid", &[("isPermaLink", "false")], id)?;
        if let Some(d) = &a.date {
            x.text("pubDate", &[], &rfc2822(d))?;
        }
        for name in &a.authors {
            x.text("dc:creator", &[], name)?;
        }
        for t in &a.categories {
            x.text("category", &[], &t.name)?;
        }
        x.text("description", &[], &a.summary)?;
        x.text("content:encoded", &[], content)
    })?;
    Ok(x.into_fragment())
}

fn rss(site: &Site, spec: &FeedSpec<'_>, entries: &Entries<'_>) -> io::Result<Vec<u8>> {
    let self_url = site.absolute(&format!(
        "{}{}",
        site.base_path,
        feed_rel(&spec.dir, "rss.xml")
    ));
    let page_url = site.absolute(spec.page_path);
    let mut x = Xml::new()?;
    x.el(
        "rss",
        &[
            ("version", "2.0"),
            ("xmlns:atom", ATOM_NS),
            ("xmlns:content", "http://purl.org/rss/1.0/modules/content/"),
            ("xmlns:dc", "http://purl.org/dc/elements/1.1/"),
        ],
        |x| {
            x.el("channel", &[], |x| {
                x.text("title", &[], &spec.title)?;
                x.text("link", &[], &page_url)?;
                let description = if spec.subtitle.is_empty() {
                    spec.title.as_str()
                } else {
                    spec.subtitle
                };
                x.text("description", &[], description)?;
                x.text("language", &[], &site.config.language)?;
                x.text("generator", &[], "Pamphlet")?;
                x.empty(
                    "atom:link",
                    &[("href", &self_url), ("rel", "self"), ("type", RSS_MIME)],
                )?;
                if let Some(d) = spec
                    .articles
                    .iter()
                    .filter_map(|a| updated(a))
                    .max_by_key(|d| d.timestamp())
                {
                    x.text("lastBuildDate", &[], &rfc2822(d))?;
                }
                for a in &spec.articles {
                    x.splice(2, entries.rss.get(a.slug.as_str()));
                }
                Ok(())
            })
        },
    )?;
    Ok(x.finish())
}
