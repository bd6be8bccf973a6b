//! Takes the read-only `Site` and gives `/sitemap.xml` (every public HTML page with its `lastmod`;
//! a sitemap index over `sitemap-N.xml` files past the protocol's 50,000 URLs) and `/robots.txt`.

use crate::content::PubDate;
use crate::error::{Diagnostic, Diagnostics};
use crate::feeds::xml::Xml;
use crate::render::{Contents, OutputFile};
use crate::site::pagination::{page_count, page_path};
use crate::site::{Article, Site};

/// The sitemaps.org limit of URLs per sitemap file.
pub const MAX_URLS: usize = 50_000;
const NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

/// One page in the sitemap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Absolute URL.
    pub loc: String,
    /// W3C date or datetime of the last change, when known.
    pub lastmod: Option<String>,
}

/// The newer of `updated` and `date`.
fn changed(a: &Article) -> Option<&PubDate> {
    [a.date.as_ref(), a.updated.as_ref()]
        .into_iter()
        .flatten()
        .max_by_key(|d| d.timestamp())
}

/// The newest change among `articles`, in the sitemap's date form.
fn newest<'a>(articles: impl Iterator<Item = &'a Article>) -> Option<String> {
    articles
        .filter_map(changed)
        .max_by_key(|d| d.timestamp())
        .map(PubDate::machine)
}

/// Every public HTML page: home and listing pages (with their pagination), articles, pages.
/// The 404 page is left out: it is not a page anyone should land on from search.
pub fn entries(site: &Site) -> Vec<Entry> {
    let per_page = site.config.paginate.max(1);
    let mut out = Vec::new();
    let mut listing = |base: &str, members: &[usize]| {
        for n in 1..=page_count(members.len(), per_page) {
            let start = ((n - 1) * per_page).min(members.len());
            let end = (start + per_page).min(members.len());
            out.push(Entry {
                loc: site.absolute(&page_path(base, n)),
                lastmod: newest(members[start..end].iter().map(|&i| &site.articles[i])),
            });
        }
    };
    let all: Vec<usize> = (0..site.articles.len()).collect();
    listing(&site.base_path, &all);
    for t in site.categories.iter().chain(&site.tags) {
        listing(&t.path, &t.articles);
    }
    for a in site.articles.iter().chain(&site.pages) {
        out.push(Entry {
            loc: site.absolute(&a.path),
            lastmod: changed(a).map(PubDate::machine),
        });
    }
    out
}

/// Writes the sitemap (split into an index past `limit` URLs) and, unless the theme or site ships its
/// own, `robots.txt` pointing at it. `limit` is `MAX_URLS` in builds; tests pass a small one.
pub fn render(
    site: &Site,
    theme_has_robots: bool,
    limit: usize,
) -> Result<Vec<OutputFile>, Diagnostics> {
    let entries = entries(site);
    let mut files = Vec::new();
    let written = if entries.len() <= limit {
        write("sitemap.xml", urlset(&entries), &mut files)
    } else {
        let chunks: Vec<&[Entry]> = entries.chunks(limit.max(1)).collect();
        let mut index = Vec::new();
        let mut ok = Ok(());
        for (i, chunk) in chunks.iter().enumerate() {
            let name = format!("sitemap-{}.xml", i + 1);
            index.push(Entry {
                loc: site.absolute(&format!("{}{name}", site.base_path)),
                lastmod: chunk
                    .iter()
                    .filter_map(|e| e.lastmod.clone())
                    .max_by(|a, b| w3c_order(a, b)),
            });
            ok = ok.and(write(&name, urlset(chunk), &mut files));
        }
        ok.and(write("sitemap.xml", sitemap_index(&index), &mut files))
    };
    written.map_err(|d| Diagnostics::from_iter([d]))?;
    if !theme_has_robots {
        files.push(OutputFile {
            rel_path: "robots.txt".into(),
            contents: Contents::Bytes(robots(site).into_bytes()),
        });
    }
    Ok(files)
}

/// Orders two lastmod values by instant (`2026-01-27` is midnight UTC).
fn w3c_order(a: &str, b: &str) -> std::cmp::Ordering {
    let t = |s: &str| PubDate::parse(s).ok().map(|d| d.timestamp());
    t(a).cmp(&t(b)).then_with(|| a.cmp(b))
}

fn write(
    name: &str,
    bytes: std::io::Result<Vec<u8>>,
    files: &mut Vec<OutputFile>,
) -> Result<(), Diagnostic> {
    let bytes = bytes.map_err(|e| Diagnostic::error(name, format!("cannot write: {e}")))?;
    files.push(OutputFile {
        rel_path: name.to_string(),
        contents: Contents::Bytes(bytes),
    });
    Ok(())
}

fn urlset(entries: &[Entry]) -> std::io::Result<Vec<u8>> {
    list("urlset", "url", entries)
}

fn sitemap_index(entries: &[Entry]) -> std::io::Result<Vec<u8>> {
    list("sitemapindex", "sitemap", entries)
}

fn list(root: &str, item: &str, entries: &[Entry]) -> std::io::Result<Vec<u8>> {
    let mut x = Xml::new()?;
    x.el(root, &[("xmlns", NS)], |x| {
        for e in entries {
            x.el(item, &[], |x| {
                x.text("loc", &[], &e.loc)?;
                if let Some(m) = &e.lastmod {
                    x.text("lastmod", &[], m)?;
                }
                Ok(())
            })?;
        }
        Ok(())
    })?;
    Ok(x.finish())
}

/// `robots.txt`: everything may be crawled; here is the sitemap. Crawlers only read it at the
/// host's root, so under a sub-path deploy it is there for the host to merge into its own.
pub fn robots(site: &Site) -> String {
    format!(
        "User-agent: *\nDisallow:\n\nSitemap: {}\n",
        site.absolute(&format!("{}sitemap.xml", site.base_path))
    )
}
