//! Takes a headline (and optional category, tags, draft flag) and gives a new article file
//! `content/articles/<date>-<slug>.md` with its front matter filled in; never overwrites.

use std::path::{Path, PathBuf};

use jiff::civil::Date;

use super::{Created, create_new_file};
use crate::config::SiteConfig;
use crate::content::strip_date_prefix;
use crate::error::{Diagnostic, did_you_mean};
use crate::slugs::{is_valid_slug, slugify};

/// What `pamphlet new` was asked to do.
#[derive(Debug, Clone)]
pub struct NewOptions {
    /// The site folder (holds site.toml).
    pub root: PathBuf,
    /// The headline.
    pub title: String,
    /// A category declared in site.toml.
    pub category: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Mark the article as a draft.
    pub draft: bool,
    /// URL slug; default: from the title.
    pub slug: Option<String>,
    /// The article's date (today, from the CLI).
    pub today: Date,
}

/// The article `pamphlet new` created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReport {
    /// Path relative to the site folder, e.g. `content/articles/2026-03-14-water.md`.
    pub path: PathBuf,
    /// The article's URL slug.
    pub slug: String,
}

/// Creates the article file; refuses an existing file, a slug already in use, or an undeclared category.
pub fn new_article(opts: &NewOptions) -> Result<NewReport, Vec<Diagnostic>> {
    let config = crate::load_config(&opts.root, None).map_err(|d| d.sorted())?;
    let title = opts.title.trim();
    if title.is_empty() {
        return Err(vec![
            Diagnostic::error("content/articles", "the headline is empty")
                .hint("pamphlet new \"Headline of the story\""),
        ]);
    }
    let category = match &opts.category {
        Some(name) => Some(declared_category(&config, name).map_err(|d| vec![d])?),
        None => None,
    };
    let slug = opts.slug.clone().unwrap_or_else(|| slugify(title));
    if !is_valid_slug(&slug) {
        let d = Diagnostic::error(
            "content/articles",
            if opts.slug.is_some() {
                format!("slug `{slug}` is not allowed")
            } else {
                format!("cannot make a URL slug from the headline `{title}`")
            },
        )
        .hint("pass --slug some-words (lowercase letters, digits and dashes)");
        return Err(vec![d]);
    }
    let articles = opts.root.join("content").join("articles");
    if let Some(existing) = slug_in_use(&articles, &slug) {
        return Err(vec![
            Diagnostic::error(
                Path::new("content/articles").join(&existing),
                format!("an article with the slug `{slug}` already exists"),
            )
            .hint("choose another headline, or pass --slug"),
        ]);
    }
    let rel = PathBuf::from(format!("content/articles/{}-{slug}.md", opts.today));
    let tags: Vec<&str> = opts
        .tags
        .iter()
        .map(|t| t.trim())
        .filter(|t| !t.is_empty())
        .collect();
    let text = front_matter(title, opts.today, category, &tags, opts.draft);
    match create_new_file(&opts.root.join(&rel), &rel, text.as_bytes()).map_err(|d| vec![d])? {
        Created::Written => Ok(NewReport { path: rel, slug }),
        Created::Existed => Err(vec![
            Diagnostic::error(&rel, "the file already exists; it was left as it was")
                .hint("choose another headline, or pass --slug"),
        ]),
    }
}

/// The declared spelling of a category, matched exactly or by slug (`news` finds `News`).
fn declared_category<'a>(config: &'a SiteConfig, name: &str) -> Result<&'a str, Diagnostic> {
    let wanted = slugify(name);
    if let Some(c) = config
        .categories
        .iter()
        .find(|c| c.name == name || c.slug() == wanted || slugify(&c.name) == wanted)
    {
        return Ok(&c.name);
    }
    let declared: Vec<&str> = config.categories.iter().map(|c| c.name.as_str()).collect();
    let mut d = Diagnostic::error(
        "site.toml",
        format!("category `{name}` is not declared in site.toml"),
    );
    d = if declared.is_empty() {
        d.hint("no categories are declared yet: add [[categories]] name = \"...\" to site.toml")
    } else {
        let list = declared.join(", ");
        match did_you_mean(name, declared.iter().copied()) {
            Some(best) => d.hint(format!(
                "did you mean `{best}`? declared categories: {list}"
            )),
            None => d.hint(format!("declared categories: {list}")),
        }
    };
    Err(d)
}

/// The file name (relative to `content/articles`) of an existing article that would get `slug`.
fn slug_in_use(articles: &Path, slug: &str) -> Option<String> {
    let entries = std::fs::read_dir(articles).ok()?;
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
        .into_iter()
        .find(|name| strip_date_prefix(name.strip_suffix(".md").unwrap_or(name)) == slug)
}

/// The new article's text: filled-in front matter, commented optional fields, a body to replace.
pub fn front_matter(
    title: &str,
    date: Date,
    category: Option<&str>,
    tags: &[&str],
    draft: bool,
) -> String {
    let list = |items: &[&str]| {
        let quoted: Vec<String> = items.iter().map(|s| yaml_quote(s)).collect();
        format!("[{}]", quoted.join(", "))
    };
    let categories: Vec<&str> = category.into_iter().collect();
    format!(
        "---\n\
title: {title}\n\
date: {date}\n\
# The standfirst: one or two sentences shown under the headline and on listing pages.\n\
summary: \"\"\n\
# author: \"Your name\"\n\
categories: {categories}\n\
tags: {tags}\n\
draft: {draft}\n\
# Optional fields (remove the # to use them):\n\
# image:\n\
#   src: picture.jpg          # beside this file, a site path, or a full address\n\
#   alt: \"What the picture shows\"\n\
# source:\n\
#   name: \"Outlet that reported it first\"\n\
#   url: \"https://...\"\n\
# faq:\n\
#   - question: \"A question readers ask?\"\n\
#     answer: \"The answer.\"\n\
---\n\
\n\
Write the first paragraph here.\n",
        title = yaml_quote(title),
        categories = list(&categories),
        tags = list(tags),
    )
}

/// `s` as a YAML double-quoted scalar: `"`, `\` and control characters escaped, so any headline
/// (colons, quotes, `#`, leading `-` or `*`) reads back exactly.
pub fn yaml_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() || c == '\u{feff}' || c == '\u{2028}' || c == '\u{2029}' => {
                out.push_str(&format!("\\u{:04X}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{DocKind, parse_doc};

    fn config() -> SiteConfig {
        SiteConfig::parse(
            Path::new("site.toml"),
            "title = \"T\"\nbase_url = \"https://x.org\"\n[[categories]]\nname = \"Human Trafficking\"\n[[categories]]\nname = \"News\"",
        )
        .unwrap()
    }

    fn round_trip(title: &str, tags: &[&str]) -> crate::content::SourceDoc {
        let date = Date::new(2026, 3, 14).unwrap();
        let text = front_matter(title, date, Some("News"), tags, true);
        parse_doc(
            Path::new("content/articles/x.md"),
            Path::new("articles/x.md"),
            DocKind::Article,
            &text,
            &config(),
        )
        .unwrap_or_else(|e| panic!("{text}\n{:?}", e.sorted()))
    }

    #[test]
    fn tricky_titles_read_back_exactly() {
        for title in [
            "Ecocide: what's next?",
            "\"Quoted\" and 'single' # not a comment",
            "- starts like a list",
            "* starts like an alias & anchor",
            "Back\\slash, tab\tand bell\u{7}",
            "yes",
            "2026-01-01",
            "Ünïcödé: 日本語",
        ] {
            let doc = round_trip(title, &[]);
            assert_eq!(doc.title, title);
        }
    }

    #[test]
    fn tags_category_and_draft_are_filled_in() {
        let doc = round_trip("Water", &["water", "health: public"]);
        assert_eq!(doc.tags, ["water", "health: public"]);
        assert_eq!(doc.categories, ["News"]);
        assert!(doc.draft);
        assert_eq!(doc.summary, None);
        assert!(doc.authors.is_empty(), "no empty byline");
    }

    #[test]
    fn category_matches_by_slug_and_lists_declared_ones() {
        let c = config();
        assert_eq!(
            declared_category(&c, "human trafficking").unwrap(),
            "Human Trafficking"
        );
        let e = declared_category(&c, "Newz").unwrap_err();
        assert_eq!(
            e.hint.as_deref(),
            Some("did you mean `News`? declared categories: Human Trafficking, News")
        );
        let e = declared_category(&c, "Sports").unwrap_err();
        assert_eq!(
            e.hint.as_deref(),
            Some("declared categories: Human Trafficking, News")
        );
    }

    #[test]
    fn slug_in_use_sees_dated_files_and_folders() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("2026-01-27-water.md"), "").unwrap();
        std::fs::create_dir(tmp.path().join("liberterra")).unwrap();
        assert_eq!(
            slug_in_use(tmp.path(), "water").as_deref(),
            Some("2026-01-27-water.md")
        );
        assert_eq!(
            slug_in_use(tmp.path(), "liberterra").as_deref(),
            Some("liberterra")
        );
        assert_eq!(slug_in_use(tmp.path(), "air"), None);
    }
}
