//! Takes the read-only `Site` and the page being rendered and gives its `seo` head view: Open Graph
//! and Twitter card values, feed links, and JSON-LD blocks (`NewsArticle`, `FAQPage`,
//! `BreadcrumbList`, `WebSite`, `Organization`) already escaped for a `<script>` element.

use serde::Serialize;

use crate::feeds::{self, FeedLink};
use crate::site::{Article, Site, Term};

const SCHEMA: &str = "https://schema.org";

/// What a rendered page shows, for its head metadata.
#[derive(Debug, Clone, Copy)]
pub enum Subject<'a> {
    /// An article page.
    Article(&'a Article),
    /// A standalone page.
    Page(&'a Article),
    /// The home page or one of its later pages.
    Home,
    /// A category listing page.
    Category(&'a Term),
    /// A tag listing page.
    Tag(&'a Term),
    /// Any other page (404).
    Other,
}

/// `seo`: what `partials/seo.html` puts in every page's head.
#[derive(Debug, Serialize)]
pub struct HeadView<'a> {
    /// `og:site_name`.
    pub site_name: &'a str,
    /// `og:type`: `article` on articles, else `website`.
    pub og_type: &'static str,
    /// `og:title`: the headline or listing name, without the site name.
    pub title: &'a str,
    /// `og:description`.
    pub description: &'a str,
    /// Absolute canonical URL (`og:url`).
    pub url: String,
    /// `og:locale` (`pt_BR`), when the site language names a region.
    pub locale: Option<String>,
    /// Share image, absolute.
    pub image: Option<HeadImage<'a>>,
    /// `article:published_time`, RFC 3339.
    pub published_time: Option<String>,
    /// `article:modified_time`, RFC 3339.
    pub modified_time: Option<String>,
    /// `article:section` values (category names).
    pub sections: Vec<&'a str>,
    /// `article:tag` values.
    pub tags: Vec<&'a str>,
    /// `summary_large_image` with an image, else `summary`.
    pub twitter_card: &'static str,
    /// `twitter:site` handle.
    pub twitter_site: Option<&'a str>,
    /// Feeds for `<link rel="alternate">`.
    pub feeds: Vec<FeedLink>,
    /// JSON-LD blocks, each safe to place inside `<script type="application/ld+json">` unescaped.
    pub json_ld: Vec<String>,
}

/// A share image.
#[derive(Debug, Serialize)]
pub struct HeadImage<'a> {
    /// Absolute URL.
    pub url: String,
    /// Text alternative.
    pub alt: &'a str,
}

/// The head view of the page at `current_path` showing `subject`.
pub fn head<'a>(site: &'a Site, subject: Subject<'a>, current_path: &str) -> HeadView<'a> {
    let c = &site.config;
    let url = site.absolute(current_path);
    let is_home = current_path == site.base_path;
    let (title, description): (&str, &str) = match subject {
        Subject::Article(a) | Subject::Page(a) => (&a.title, &a.summary),
        Subject::Category(t) | Subject::Tag(t) if !t.description.is_empty() => {
            (&t.name, &t.description)
        }
        Subject::Category(t) | Subject::Tag(t) => (&t.name, &c.description),
        Subject::Home | Subject::Other => (&c.title, &c.description),
    };
    let doc = match subject {
        Subject::Article(a) | Subject::Page(a) => Some(a),
        _ => None,
    };
    let own_image = doc
        .and_then(|a| a.image.as_ref())
        .and_then(|i| absolute_url(site, &i.src).map(|url| HeadImage { url, alt: &i.alt }));
    let default_image = || {
        let src = c.seo.image.as_deref()?;
        Some(HeadImage {
            url: absolute_url(site, src)?,
            alt: c.seo.image_alt.as_deref().unwrap_or(""),
        })
    };
    // Search engines take SVG; Facebook, X and messaging apps do not, so cards fall back to `[seo] image`.
    let schema_image = own_image
        .as_ref()
        .map(|i| i.url.clone())
        .or_else(|| default_image().map(|i| i.url));
    let image = own_image.filter(|i| !is_svg(&i.url)).or_else(default_image);
    let article = match subject {
        Subject::Article(a) => Some(a),
        _ => None,
    };
    let term = match subject {
        Subject::Category(t) | Subject::Tag(t) => Some(t),
        _ => None,
    };

    let mut json_ld = Vec::new();
    if let Some(a) = article {
        json_ld.push(script_json(&news_article(site, a, &url, schema_image)));
        if c.seo.faq_schema && !a.faq.is_empty() {
            json_ld.push(script_json(&faq_page(a)));
        }
        let mut trail = vec![crumb_home(site)];
        if let Some(first) = a.categories.first() {
            trail.push((
                first.name.as_str(),
                site.absolute(&format!("{}category/{}/", site.base_path, first.slug)),
            ));
        }
        trail.push((&a.title, url.clone()));
        json_ld.push(script_json(&breadcrumbs(trail)));
    }
    if let Subject::Category(t) = subject {
        let trail = vec![crumb_home(site), (t.name.as_str(), site.absolute(&t.path))];
        json_ld.push(script_json(&breadcrumbs(trail)));
    }
    if is_home {
        json_ld.push(script_json(&website(site)));
        json_ld.push(script_json(&Organization {
            context: Some(SCHEMA),
            ..organization(site)
        }));
    }

    HeadView {
        site_name: &c.title,
        og_type: if article.is_some() {
            "article"
        } else {
            "website"
        },
        title,
        description,
        url,
        locale: c
            .language
            .contains('-')
            .then(|| c.language.replace('-', "_")),
        twitter_card: if image.is_some() {
            "summary_large_image"
        } else {
            "summary"
        },
        image,
        published_time: article.and_then(|a| a.date.as_ref()).map(|d| d.rfc3339()),
        modified_time: article
            .and_then(|a| a.updated.as_ref())
            .map(|d| d.rfc3339()),
        sections: article.map_or_else(Vec::new, |a| {
            a.categories.iter().map(|t| t.name.as_str()).collect()
        }),
        tags: article.map_or_else(Vec::new, |a| {
            a.tags.iter().map(|t| t.name.as_str()).collect()
        }),
        twitter_site: c.seo.twitter_site.as_deref(),
        feeds: feeds::head_links(site, term),
        json_ld,
    }
}

/// Serialises JSON-LD for a `<script>` element: `<`, `>` and `&` become `\u003c`, `\u003e`, `\u0026`
/// (so neither `</script>` nor `<!--` can end or change the script), and U+2028/2029 are escaped
/// for pre-2019 JavaScript parsers. The result is still the same JSON.
pub fn script_json<T: Serialize>(value: &T) -> String {
    let mut out = Vec::with_capacity(512);
    let mut ser = serde_json::Serializer::with_formatter(&mut out, ScriptSafe);
    if value.serialize(&mut ser).is_err() {
        return "{}".into();
    }
    // serde_json writes UTF-8 and ScriptSafe only splits at ASCII bytes or whole characters.
    String::from_utf8(out).unwrap_or_else(|_| "{}".into())
}

/// serde_json's compact output with the escapes `script_json` needs applied inside strings as they
/// are written (JSON puts those characters nowhere else), so the JSON is walked once.
struct ScriptSafe;

impl serde_json::ser::Formatter for ScriptSafe {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let bytes = fragment.as_bytes();
        let mut start = 0;
        let mut i = 0;
        while i < bytes.len() {
            let (escape, len): (&[u8], usize) = match bytes[i] {
                b'<' => (b"\\u003c", 1),
                b'>' => (b"\\u003e", 1),
                b'&' => (b"\\u0026", 1),
                // U+2028 and U+2029 are E2 80 A8 and E2 80 A9 in UTF-8.
                0xE2 if bytes.get(i + 1) == Some(&0x80) && bytes.get(i + 2) == Some(&0xA8) => {
                    (b"\\u2028", 3)
                }
                0xE2 if bytes.get(i + 1) == Some(&0x80) && bytes.get(i + 2) == Some(&0xA9) => {
                    (b"\\u2029", 3)
                }
                _ => {
                    i += 1;
                    continue;
                }
            };
            writer.write_all(&bytes[start..i])?;
            writer.write_all(escape)?;
            i += len;
            start = i;
        }
        writer.write_all(&bytes[start..])
    }
}

/// The publisher's name: `[publisher] name`, else the site title.
pub fn publisher_name(site: &Site) -> &str {
    site.config
        .publisher
        .name
        .as_deref()
        .unwrap_or(&site.config.title)
}

/// The publisher's logo as an absolute URL, if configured.
pub fn publisher_logo(site: &Site) -> Option<String> {
    absolute_url(site, site.config.publisher.logo.as_deref()?)
}

fn is_svg(url: &str) -> bool {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    path.to_ascii_lowercase().ends_with(".svg")
}

/// A site path (`/logo.png`, base path added) or absolute URL -> absolute URL; `data:` gives none.
fn absolute_url(site: &Site, src: &str) -> Option<String> {
    if src.starts_with("data:") {
        None
    } else if src.contains("://") {
        Some(src.to_string())
    } else if src.starts_with(&site.base_path) && src.starts_with('/') {
        // Already resolved by the model (image paths include the base path).
        Some(site.absolute(src))
    } else {
        Some(site.absolute(&site.link(&format!("/{}", src.trim_start_matches('/')))))
    }
}

#[derive(Debug, Serialize)]
struct Ref<'a> {
    #[serde(rename = "@type")]
    kind: &'a str,
    #[serde(rename = "@id")]
    id: String,
}

#[derive(Debug, Serialize)]
struct ImageObject {
    #[serde(rename = "@type")]
    kind: &'static str,
    url: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Organization<'a> {
    #[serde(rename = "@context", skip_serializing_if = "Option::is_none")]
    context: Option<&'static str>,
    #[serde(rename = "@type")]
    kind: &'a str,
    #[serde(rename = "@id")]
    id: String,
    name: &'a str,
    url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    logo: Option<ImageObject>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    same_as: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    corrections_policy: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ethics_policy: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ownership_funding_info: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    publishing_principles: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    actionable_feedback_policy: Option<String>,
}

/// The publisher as articles name it: who, and the `@id` of the full `Organization` on the home page
/// (which carries the logo and trust-policy URLs once, instead of on every article).
fn publisher_ref(site: &Site) -> Organization<'_> {
    let p = &site.config.publisher;
    // Every article page needs this; `organization()` adds the trust-policy URLs and sameAs list
    // on top, so articles never compute them only to drop them.
    Organization {
        context: None,
        kind: p.kind.as_deref().unwrap_or("Organization"),
        id: publisher_id(site),
        name: publisher_name(site),
        url: p
            .url
            .as_deref()
            .and_then(|u| absolute_url(site, u))
            .unwrap_or_else(|| site.config.base_url.clone()),
        logo: publisher_logo(site).map(|url| ImageObject {
            kind: "ImageObject",
            url,
        }),
        same_as: Vec::new(),
        corrections_policy: None,
        ethics_policy: None,
        ownership_funding_info: None,
        publishing_principles: None,
        actionable_feedback_policy: None,
    }
}

fn organization(site: &Site) -> Organization<'_> {
    let p = &site.config.publisher;
    let url = |u: &Option<String>| u.as_deref().and_then(|u| absolute_url(site, u));
    // The reference articles carry, plus what only the home page's full entry has.
    Organization {
        same_as: p.same_as.clone(),
        corrections_policy: url(&p.corrections_policy),
        ethics_policy: url(&p.ethics_policy),
        ownership_funding_info: url(&p.ownership_funding_info),
        publishing_principles: url(&p.publishing_principles),
        actionable_feedback_policy: url(&p.actionable_feedback_policy),
        ..publisher_ref(site)
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct WebSite<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "@id")]
    id: String,
    name: &'a str,
    url: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'a str,
    in_language: &'a str,
    publisher: Ref<'a>,
}

fn website(site: &Site) -> WebSite<'_> {
    let c = &site.config;
    WebSite {
        context: SCHEMA,
        kind: "WebSite",
        id: format!("{}#website", c.base_url),
        name: &c.title,
        url: &c.base_url,
        description: &c.description,
        in_language: &c.language,
        publisher: Ref {
            kind: c.publisher.kind.as_deref().unwrap_or("Organization"),
            id: publisher_id(site),
        },
    }
}

/// The `@id` that ties `WebSite.publisher` to the home page's `Organization`.
fn publisher_id(site: &Site) -> String {
    format!("{}#publisher", site.config.base_url)
}

#[derive(Debug, Serialize)]
struct Agent<'a> {
    #[serde(rename = "@type")]
    kind: &'a str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct CreativeWork<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_published: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<Agent<'a>>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct NewsArticle<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    // No `description` or `mainEntityOfPage`: the page's meta description and canonical URL say the
    // same, and every byte here is paid on every article view.
    headline: &'a str,
    url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_published: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_modified: Option<String>,
    author: Vec<Agent<'a>>,
    publisher: Organization<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    image: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    article_section: Vec<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    keywords: Vec<&'a str>,
    in_language: &'a str,
    word_count: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_based_on: Option<CreativeWork<'a>>,
}

fn news_article<'a>(
    site: &'a Site,
    a: &'a Article,
    url: &'a str,
    image: Option<String>,
) -> NewsArticle<'a> {
    let publisher = publisher_ref(site);
    let author = if a.authors.is_empty() {
        vec![Agent {
            kind: publisher.kind,
            name: publisher.name,
            url: Some(publisher.url.clone()),
        }]
    } else {
        a.authors
            .iter()
            .map(|name| Agent {
                kind: "Person",
                name,
                url: None,
            })
            .collect()
    };
    let modified = [a.date.as_ref(), a.updated.as_ref()]
        .into_iter()
        .flatten()
        .max_by_key(|d| d.timestamp());
    NewsArticle {
        context: SCHEMA,
        kind: "NewsArticle",
        headline: &a.title,
        url,
        date_published: a.date.as_ref().map(|d| d.rfc3339()),
        date_modified: modified.map(|d| d.rfc3339()),
        author,
        publisher,
        image: image.into_iter().collect(),
        article_section: a.categories.iter().map(|t| t.name.as_str()).collect(),
        keywords: a.tags.iter().map(|t| t.name.as_str()).collect(),
        in_language: &site.config.language,
        word_count: a.words,
        is_based_on: a.source.as_ref().and_then(|s| {
            (s.url.is_some() || s.name.is_some()).then(|| CreativeWork {
                kind: "CreativeWork",
                url: s.url.as_deref(),
                date_published: s.date.as_ref().map(|d| d.machine()),
                publisher: s.name.as_deref().map(|name| Agent {
                    kind: "Organization",
                    name,
                    url: None,
                }),
            })
        }),
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct FaqPage<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    main_entity: Vec<Question<'a>>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Question<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    accepted_answer: Answer<'a>,
}

#[derive(Debug, Serialize)]
struct Answer<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    /// The whole answer as HTML (Google shows links, lists and emphasis, and ignores other tags).
    text: &'a str,
}

fn faq_page(a: &Article) -> FaqPage<'_> {
    FaqPage {
        context: SCHEMA,
        kind: "FAQPage",
        main_entity: a
            .faq
            .iter()
            .map(|f| Question {
                kind: "Question",
                name: &f.question,
                accepted_answer: Answer {
                    kind: "Answer",
                    text: f.answer_html.trim(),
                },
            })
            .collect(),
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Breadcrumbs<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    item_list_element: Vec<Crumb<'a>>,
}

#[derive(Debug, Serialize)]
struct Crumb<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    position: usize,
    name: &'a str,
    item: String,
}

fn crumb_home(site: &Site) -> (&str, String) {
    (&site.config.title, site.config.base_url.clone())
}

fn breadcrumbs(trail: Vec<(&str, String)>) -> Breadcrumbs<'_> {
    Breadcrumbs {
        context: SCHEMA,
        kind: "BreadcrumbList",
        item_list_element: trail
            .into_iter()
            .enumerate()
            .map(|(i, (name, item))| Crumb {
                kind: "ListItem",
                position: i + 1,
                name,
                item,
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_is_inert_and_still_the_same_json() {
        let nasty =
            "</script><script>alert(1)</script> <!-- & \"q\" 'q' ]]> \u{2028}\u{2029} it’s…";
        let out = script_json(&serde_json::json!({ "headline": nasty, "</script>": 1 }));
        for bad in ["<", ">", "&", "\u{2028}", "\u{2029}"] {
            assert!(!out.contains(bad), "{out}");
        }
        let back: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(back["headline"], nasty);
        assert_eq!(back["</script>"], 1);
        assert!(
            out.contains("it’s…"),
            "other characters stay as they are: {out}"
        );
    }
}
