//! Takes `site.toml` text and gives a validated `SiteConfig` (defaults filled, unknown keys refused with a hint).

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Diagnostic, Diagnostics, did_you_mean};
use crate::slugs::{is_valid_slug, slugify};

/// The site's configuration, as written in `site.toml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// Site name, shown in the header and feeds.
    pub title: String,
    /// Absolute URL the site is deployed at, e.g. `https://example.org/` or `https://org.github.io/site/`.
    pub base_url: String,
    /// One-line description for the home page and feeds.
    #[serde(default)]
    pub description: String,
    /// BCP 47 language tag for `<html lang>`.
    #[serde(default = "default_language")]
    pub language: String,
    /// Theme folder under `themes/`; `default` is built in.
    #[serde(default = "default_theme")]
    pub theme: String,
    /// Reading speed for the read-time estimate.
    #[serde(default = "default_wpm")]
    pub words_per_minute: u32,
    /// Chinese, Japanese and Korean characters read per minute.
    #[serde(default = "default_cjk_cpm")]
    pub cjk_characters_per_minute: u32,
    /// Articles per listing page.
    #[serde(default = "default_paginate")]
    pub paginate: usize,
    /// Whether raw HTML in Markdown is kept (trusted editors) or stripped (outside contributions).
    #[serde(default = "default_true")]
    pub unsafe_html: bool,
    /// Newsletter signup block.
    #[serde(default)]
    pub newsletter: Option<Newsletter>,
    /// Declared categories, in the order they are shown.
    #[serde(default)]
    pub categories: Vec<CategoryConfig>,
    /// Header navigation.
    #[serde(default)]
    pub menu: Vec<MenuItem>,
    /// Atom/RSS feed settings (`[feeds]`).
    #[serde(default)]
    pub feeds: FeedsConfig,
    /// Search and social metadata settings (`[seo]`).
    #[serde(default)]
    pub seo: SeoConfig,
    /// The organisation behind the site, for structured data (`[publisher]`).
    #[serde(default)]
    pub publisher: PublisherConfig,
    /// Free map for the theme.
    #[serde(default)]
    pub extra: BTreeMap<String, toml::Value>,
    /// 1-based line of `theme =` in site.toml, so a theme that is not found can be pointed at.
    #[serde(skip)]
    pub theme_line: Option<usize>,
}

/// `[feeds]`: which feeds are written and how long they are.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FeedsConfig {
    /// Entries per feed, newest first.
    #[serde(default = "default_feed_limit")]
    pub limit: usize,
    /// Also write RSS 2.0 (`rss.xml`) beside every Atom feed.
    #[serde(default)]
    pub rss: bool,
    /// Write a feed per category.
    #[serde(default = "default_true")]
    pub categories: bool,
    /// Write a feed per tag.
    #[serde(default = "default_true")]
    pub tags: bool,
    /// Authority of entry ids (`tag:<authority>,<date>:<key>`); default: the host of `base_url`
    /// in site.toml. Pin it when the site moves to another domain so entry ids stay the same.
    #[serde(default)]
    pub id_authority: Option<String>,
}

impl Default for FeedsConfig {
    fn default() -> Self {
        Self {
            limit: default_feed_limit(),
            rss: false,
            categories: true,
            tags: true,
            id_authority: None,
        }
    }
}

/// `[seo]`: structured data and social card settings.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SeoConfig {
    /// Emit `FAQPage` JSON-LD for articles with an FAQ.
    #[serde(default = "default_true")]
    pub faq_schema: bool,
    /// Share image for pages without their own (site path or URL).
    #[serde(default)]
    pub image: Option<String>,
    /// Text alternative of `image`.
    #[serde(default)]
    pub image_alt: Option<String>,
    /// The site's handle on X/Twitter, e.g. `@civicledger`, for `twitter:site`.
    #[serde(default)]
    pub twitter_site: Option<String>,
}

impl Default for SeoConfig {
    fn default() -> Self {
        Self {
            faq_schema: true,
            image: None,
            image_alt: None,
            twitter_site: None,
        }
    }
}

/// `[publisher]`: the organisation in `Organization` and `NewsArticle.publisher` JSON-LD.
/// URL values are site paths (`/corrections/`) or absolute URLs.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PublisherConfig {
    /// Organisation name; default: the site title.
    #[serde(default)]
    pub name: Option<String>,
    /// schema.org type: `Organization`, `NewsMediaOrganization`, `NGO`, ...; default `Organization`.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// Home page of the organisation; default: `base_url`.
    #[serde(default)]
    pub url: Option<String>,
    /// Logo image (site path or URL).
    #[serde(default)]
    pub logo: Option<String>,
    /// Profiles elsewhere (social accounts, Wikipedia), for `sameAs`.
    #[serde(default)]
    pub same_as: Vec<String>,
    /// Corrections policy page.
    #[serde(default)]
    pub corrections_policy: Option<String>,
    /// Ethics policy page.
    #[serde(default)]
    pub ethics_policy: Option<String>,
    /// Ownership and funding page.
    #[serde(default)]
    pub ownership_funding_info: Option<String>,
    /// Publishing principles / editorial standards page.
    #[serde(default)]
    pub publishing_principles: Option<String>,
    /// How readers can send feedback or tips.
    #[serde(default)]
    pub actionable_feedback_policy: Option<String>,
}

/// The newsletter signup form.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Newsletter {
    /// Heading of the block, e.g. "Sign Up to our Newsletter".
    #[serde(default = "default_newsletter_heading")]
    pub heading: String,
    /// Short pitch under the heading.
    #[serde(default)]
    pub text: String,
    /// URL the form POSTs to (your mailing-list provider's endpoint).
    pub action: String,
    /// Submit button label.
    #[serde(default = "default_newsletter_button")]
    pub button: String,
    /// Extra hidden fields the provider needs (list id, ...).
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
}

/// A declared category.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryConfig {
    /// Display name, as used in front matter.
    pub name: String,
    /// URL slug; default: from the name.
    #[serde(default)]
    pub slug: Option<String>,
    /// Shown on the category page and in category sections.
    #[serde(default)]
    pub description: String,
}

/// One header navigation link.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MenuItem {
    /// Link text.
    pub name: String,
    /// Site path (`/about/`) or absolute URL.
    pub url: String,
}

fn default_language() -> String {
    "en".into()
}
fn default_theme() -> String {
    "default".into()
}
fn default_wpm() -> u32 {
    200
}
fn default_cjk_cpm() -> u32 {
    500
}
fn default_paginate() -> usize {
    10
}
fn default_true() -> bool {
    true
}
fn default_feed_limit() -> usize {
    20
}
fn default_newsletter_heading() -> String {
    "Sign Up to our Newsletter".into()
}
fn default_newsletter_button() -> String {
    "Subscribe".into()
}

impl SiteConfig {
    /// Parses and validates `site.toml` text; `path` is used in diagnostics.
    pub fn parse(path: &Path, text: &str) -> Result<Self, Diagnostics> {
        let mut config: SiteConfig = toml::from_str(text).map_err(|e| {
            let (line, column) = e
                .span()
                .map(|span| line_col(text, span.start))
                .unwrap_or((1, 1));
            let message = e.message().to_string();
            let mut d = Diagnostic::error(path, message.clone()).at(Some(line), Some(column));
            if let Some(hint) = unknown_field_hint(&message) {
                d = d.hint(hint);
            } else if message.contains("missing field") {
                d = d.hint("add the key to site.toml (see the README's site.toml section)");
            }
            Diagnostics::from_iter([d])
        })?;
        if !config.base_url.ends_with('/') {
            config.base_url.push('/');
        }
        config.theme_line = key_line(text, "theme");
        let problems = config.validate(path, text);
        if problems.has_errors() {
            return Err(problems);
        }
        Ok(config)
    }

    fn validate(&self, path: &Path, text: &str) -> Diagnostics {
        let mut out = Diagnostics::new();
        let at = |key: &str| key_line(text, key);
        if !(self.base_url.starts_with("http://") || self.base_url.starts_with("https://")) {
            out.push(
                Diagnostic::error(
                    path,
                    format!(
                        "base_url `{}` is not an absolute http(s) URL",
                        self.base_url
                    ),
                )
                .at(at("base_url"), None)
                .hint("write it like base_url = \"https://example.org/\""),
            );
        }
        if self.paginate == 0 {
            out.push(
                Diagnostic::error(path, "paginate must be at least 1").at(at("paginate"), None),
            );
        }
        if self.words_per_minute == 0 || self.cjk_characters_per_minute == 0 {
            out.push(
                Diagnostic::error(path, "reading speeds must be greater than 0")
                    .at(at("words_per_minute"), None),
            );
        }
        if !is_valid_slug(&self.theme) {
            out.push(
                Diagnostic::error(
                    path,
                    format!("theme `{}` is not a plain folder name", self.theme),
                )
                .at(at("theme"), None)
                .hint("use the name of a folder under themes/, like \"default\""),
            );
        }
        self.validate_distribution(path, text, &mut out);
        let mut seen = BTreeMap::new();
        for cat in &self.categories {
            let slug = cat.slug();
            let line = find_line(text, &format!("\"{}\"", cat.name));
            if !is_valid_slug(&slug) {
                out.push(
                    Diagnostic::error(
                        path,
                        format!("category `{}` has no usable slug (`{slug}`)", cat.name),
                    )
                    .at(line, None)
                    .hint("set slug = \"lowercase-words-with-dashes\" for it"),
                );
            }
            if let Some(other) = seen.insert(slug.clone(), cat.name.clone()) {
                out.push(
                    Diagnostic::error(
                        path,
                        format!(
                            "categories `{other}` and `{}` share the slug `{slug}`",
                            cat.name
                        ),
                    )
                    .at(line, None)
                    .hint("give one of them its own slug"),
                );
            }
        }
        out
    }

    /// Checks `[feeds]`, `[seo]`, `[publisher]` and `language` (feeds, structured data, `hreflang`).
    fn validate_distribution(&self, path: &Path, text: &str, out: &mut Diagnostics) {
        let at = |key: &str| find_line(text, key);
        if !is_language_tag(&self.language) {
            out.push(
                Diagnostic::error(
                    path,
                    format!("language `{}` is not a BCP 47 language tag", self.language),
                )
                .at(at("language"), None)
                .hint("write it like \"en\", \"fr\" or \"pt-BR\""),
            );
        }
        if self.feeds.limit == 0 {
            out.push(
                Diagnostic::error(path, "feeds.limit must be at least 1").at(at("limit"), None),
            );
        }
        if let Some(a) = &self.feeds.id_authority
            && !is_tag_authority(a)
        {
            out.push(
                Diagnostic::error(
                    path,
                    format!("feeds.id_authority `{a}` is not a domain name or email address"),
                )
                .at(at("id_authority"), None)
                .hint("use the site's original domain, like \"example.org\""),
            );
        }
        if let Some(k) = &self.publisher.kind
            && !(k.starts_with(|c: char| c.is_ascii_uppercase())
                && k.chars().all(|c| c.is_ascii_alphanumeric()))
        {
            out.push(
                Diagnostic::error(
                    path,
                    format!("publisher type `{k}` is not a schema.org type"),
                )
                .at(at("type ="), None)
                .hint("use Organization, NewsMediaOrganization or NGO"),
            );
        }
    }

    /// The host of `base_url` (no port), e.g. `example.org`.
    pub fn host(&self) -> &str {
        let after_scheme = self.base_url.split_once("://").map_or("", |(_, r)| r);
        let authority = after_scheme.split('/').next().unwrap_or("");
        let host = authority.rsplit('@').next().unwrap_or(authority);
        match host.rfind(':') {
            Some(i) if !host.ends_with(']') => &host[..i],
            _ => host,
        }
    }

    /// The path part of `base_url`, always starting and ending with `/` (`/` or `/site/`).
    pub fn base_path(&self) -> String {
        let after_scheme = self.base_url.split_once("://").map_or("", |(_, r)| r);
        match after_scheme.find('/') {
            Some(i) => after_scheme[i..].to_string(),
            None => "/".to_string(),
        }
    }

    /// The declared category with this name, if any.
    pub fn category(&self, name: &str) -> Option<&CategoryConfig> {
        self.categories.iter().find(|c| c.name == name)
    }
}

impl CategoryConfig {
    /// The URL slug: the configured one, or one made from the name.
    pub fn slug(&self) -> String {
        self.slug.clone().unwrap_or_else(|| slugify(&self.name))
    }
}

/// `en`, `pt-BR`, `zh-Hant-TW`: letters, then dash-separated letter/digit subtags (BCP 47 shape).
fn is_language_tag(s: &str) -> bool {
    let mut parts = s.split('-');
    let first_ok = parts
        .next()
        .is_some_and(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphabetic()));
    first_ok
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// A `tag:` URI authority (RFC 4151): a DNS name or an email address.
fn is_tag_authority(s: &str) -> bool {
    let host = s
        .rsplit_once('@')
        .map_or(s, |(user, host)| if user.is_empty() { "" } else { host });
    !host.is_empty()
        && !host.starts_with(['.', '-'])
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        && s.chars().all(|c| c.is_ascii_graphic())
}

/// Byte offset to 1-based (line, column).
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// The 1-based line of `key = ...` (not of other lines that merely mention the word).
fn key_line(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            l.trim_start()
                .strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with('='))
        })
        .map(|i| i + 1)
}

/// The 1-based line of the first line that starts (after spaces) with `needle`.
fn find_line(text: &str, needle: &str) -> Option<usize> {
    text.lines()
        .position(|l| l.trim_start().starts_with(needle) || l.contains(needle))
        .map(|i| i + 1)
}

/// For serde's "unknown field `x`, expected one of `a`, `b`" messages, a "did you mean" hint.
pub fn unknown_field_hint(message: &str) -> Option<String> {
    let rest = message.split("unknown field `").nth(1)?;
    let (field, rest) = rest.split_once('`')?;
    let expected: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    match did_you_mean(field, expected.iter().copied()) {
        Some(best) => Some(format!("did you mean `{best}`?")),
        None if expected.is_empty() => None,
        None => Some(format!(
            "remove it, or put theme-specific keys under `extra`; known keys: {}",
            expected.join(", ")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<SiteConfig, Vec<Diagnostic>> {
        SiteConfig::parse(Path::new("site.toml"), text).map_err(Diagnostics::sorted)
    }

    #[test]
    fn defaults_fill_in() {
        let c = parse("title = \"T\"\nbase_url = \"https://x.org\"").unwrap();
        assert_eq!(c.language, "en");
        assert_eq!(c.words_per_minute, 200);
        assert_eq!(c.paginate, 10);
        assert_eq!(c.base_url, "https://x.org/");
        assert_eq!(c.base_path(), "/");
    }

    #[test]
    fn sub_path_base() {
        let c = parse("title = \"T\"\nbase_url = \"https://org.github.io/site\"").unwrap();
        assert_eq!(c.base_path(), "/site/");
    }

    #[test]
    fn unknown_key_has_line_and_hint() {
        let e = parse("title = \"T\"\nbase_url = \"https://x.org\"\ntitel = \"x\"").unwrap_err();
        assert_eq!(e[0].line, Some(3));
        assert_eq!(e[0].hint.as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn key_lines_skip_lines_that_only_mention_the_key() {
        let text = "title = \"T\"\ndescription = \"a theme and paginate\"\nbase_url = \"https://x.org\"\ntheme = \"Bad Name\"\npaginate = 0";
        let e = parse(text).unwrap_err();
        let lines: Vec<_> = e.iter().map(|d| d.line).collect();
        assert_eq!(lines, [Some(4), Some(5)], "{e:?}");
        let c = parse("title = \"T\"\nbase_url = \"https://x.org\"\ntheme = \"mine\"").unwrap();
        assert_eq!(c.theme_line, Some(3));
    }

    #[test]
    fn category_slugs_default_from_name() {
        let c = parse(
            "title = \"T\"\nbase_url = \"https://x.org\"\n[[categories]]\nname = \"Human Trafficking\"",
        )
        .unwrap();
        assert_eq!(c.categories[0].slug(), "human-trafficking");
    }
}
