//! Takes a Markdown file's text and gives its parsed front matter and body, with YAML errors mapped to file lines.
//! Every `serde_yaml` call of the project lives here.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::config::unknown_field_hint;
use crate::error::{Diagnostic, Diagnostics};

/// Front matter exactly as written; `RawFrontMatter::validate` turns it into checked metadata.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawFrontMatter {
    /// Headline.
    pub title: String,
    /// Publication date text.
    #[serde(default, deserialize_with = "scalar_text")]
    pub date: Option<String>,
    /// Last-update date text.
    #[serde(default, deserialize_with = "scalar_text")]
    pub updated: Option<String>,
    /// URL slug override.
    #[serde(default)]
    pub slug: Option<String>,
    /// Standfirst.
    #[serde(default)]
    pub summary: Option<String>,
    /// One author or a list.
    #[serde(default)]
    pub author: Option<OneOrMany>,
    /// Category names, each declared in site.toml.
    #[serde(default)]
    pub categories: Vec<String>,
    /// Free tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Hero image.
    #[serde(default)]
    pub image: Option<RawImage>,
    /// Read-time override in minutes.
    #[serde(default)]
    pub read_time: Option<f64>,
    /// Source note.
    #[serde(default)]
    pub source: Option<RawSource>,
    /// FAQ entries.
    #[serde(default)]
    pub faq: Vec<RawFaq>,
    /// Left out of builds unless `--drafts`.
    #[serde(default)]
    pub draft: bool,
    /// Free map for the theme.
    #[serde(default)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// A string or a list of strings.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    /// `author: Jane Doe`
    One(String),
    /// `author: [Jane Doe, Ali Khan]`
    Many(Vec<String>),
}

/// `image: { src, alt }`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawImage {
    /// Path relative to the article, or a site path or URL.
    pub src: String,
    /// Text alternative; required.
    #[serde(default)]
    pub alt: Option<String>,
}

/// `source: { name, url, date, note }`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    /// Who reported it originally.
    #[serde(default)]
    pub name: Option<String>,
    /// Link to the original story.
    #[serde(default)]
    pub url: Option<String>,
    /// When the original was published.
    #[serde(default, deserialize_with = "scalar_text")]
    pub date: Option<String>,
    /// Free Markdown note.
    #[serde(default)]
    pub note: Option<String>,
}

/// One FAQ entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFaq {
    /// The question.
    pub question: String,
    /// The answer, Markdown.
    pub answer: String,
}

/// Accepts a date written as a YAML string or any scalar (an unquoted date is a plain scalar).
fn scalar_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Scalar {
        S(String),
        I(i64),
    }
    Ok(Option::<Scalar>::deserialize(d)?.map(|s| match s {
        Scalar::S(s) => s,
        Scalar::I(i) => i.to_string(),
    }))
}

/// A file split into its front matter and body.
#[derive(Debug, Clone)]
pub struct Split<'a> {
    /// The YAML text between the `---` lines.
    pub yaml: &'a str,
    /// 1-based file line of the YAML's first line.
    pub yaml_line: usize,
    /// The Markdown after the closing `---`.
    pub body: &'a str,
    /// 1-based file line of the body's first line.
    pub body_line: usize,
}

/// Splits `---` front matter from the body. Expects BOM and CRLF already normalised.
pub fn split<'a>(path: &Path, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let first_line_end = text.find('\n').unwrap_or(text.len());
    if text[..first_line_end].trim_end() != "---" {
        let d = if text.trim().is_empty() {
            Diagnostic::error(path, "file is empty")
        } else {
            Diagnostic::error(path, "file does not start with `---` front matter")
        };
        return Err(d.at(Some(1), Some(1)).hint(
            "start the file with a `---` line, then `title:` and `date:`, then a closing `---` line",
        ));
    }
    let yaml_start = (first_line_end + 1).min(text.len());
    let mut offset = yaml_start;
    for (line, l) in (2..).zip(text[yaml_start..].split_inclusive('\n')) {
        let trimmed = l.trim_end();
        if trimmed == "---" || trimmed == "..." {
            let body_start = offset + l.len();
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                yaml_line: 2,
                body: &text[body_start..],
                body_line: line + 1,
            });
        }
        offset += l.len();
    }
    Err(Diagnostic::error(path, "front matter is not closed")
        .at(Some(1), Some(1))
        .hint("add a line with only `---` after the last front matter key"))
}

/// Parses the YAML of a split file; errors carry the file line and column.
pub fn parse(path: &Path, split: &Split<'_>) -> Result<RawFrontMatter, Diagnostics> {
    if split.yaml.trim().is_empty() {
        return Err(Diagnostics::from_iter([Diagnostic::error(
            path,
            "front matter is empty",
        )
        .at(Some(split.yaml_line), Some(1))
        .hint("add at least `title:` and `date:` between the `---` lines")]));
    }
    serde_yaml::from_str::<RawFrontMatter>(split.yaml).map_err(|e| {
        let (line, column) = e
            .location()
            .map(|l| (l.line() + split.yaml_line - 1, l.column()))
            .unwrap_or((split.yaml_line, 1));
        let message = clean_yaml_message(&e.to_string());
        let mut d = Diagnostic::error(path, message.clone()).at(Some(line), Some(column));
        if let Some(hint) = unknown_field_hint(&message) {
            d = d.hint(hint);
        } else if message.contains("missing field `title`") {
            d = d.hint("add `title: Your headline` to the front matter");
        } else if message.contains("tab") {
            d = d.hint("YAML indentation must use spaces, not tabs");
        } else if message.contains("did not match any variant of untagged enum OneOrMany") {
            d = d.hint("write `author: Name` or `author: [Name One, Name Two]`");
        }
        Diagnostics::from_iter([d])
    })
}

/// Drops serde_yaml's trailing " at line X column Y" (we print our own file position).
fn clean_yaml_message(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
    .replace(
        "untagged enum OneOrMany",
        "author (a name or a list of names)",
    )
}

/// The 1-based file line of a top-level `key:` in the front matter, for checks made after parsing.
pub fn key_line(split: &Split<'_>, key: &str) -> Option<usize> {
    split
        .yaml
        .lines()
        .position(|l| {
            l.strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with(':'))
        })
        .map(|i| i + split.yaml_line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Result<RawFrontMatter, Vec<Diagnostic>> {
        let path = Path::new("a.md");
        let s = split(path, text).map_err(|d| vec![d])?;
        parse(path, &s).map_err(Diagnostics::sorted)
    }

    #[test]
    fn splits_and_parses() {
        let text = "---\ntitle: Water\ndate: 2026-01-27\n---\n\nBody\n";
        let s = split(Path::new("a.md"), text).unwrap();
        assert_eq!(s.body, "\nBody\n");
        assert_eq!(s.body_line, 5);
        let fm = p(text).unwrap();
        assert_eq!(fm.title, "Water");
        assert_eq!(fm.date.as_deref(), Some("2026-01-27"));
    }

    #[test]
    fn unknown_key_line_and_hint() {
        let e = p("---\ntitle: W\ndate: 2026-01-27\ncatagories: [News]\n---\n").unwrap_err();
        assert_eq!(e[0].line, Some(4));
        assert!(
            e[0].message.contains("unknown field `catagories`"),
            "{}",
            e[0].message
        );
        assert_eq!(e[0].hint.as_deref(), Some("did you mean `categories`?"));
    }

    #[test]
    fn unclosed_and_missing() {
        assert!(
            p("---\ntitle: x\n").unwrap_err()[0]
                .message
                .contains("not closed")
        );
        assert!(
            p("# hi\n").unwrap_err()[0]
                .message
                .contains("does not start")
        );
        assert!(p("").unwrap_err()[0].message.contains("empty"));
        assert!(p("---\n---\n").unwrap_err()[0].message.contains("empty"));
    }

    #[test]
    fn wrong_type_points_at_line() {
        let e = p("---\ntitle: W\ndate: 2026-01-27\ntags: 5\n---\n").unwrap_err();
        assert_eq!(e[0].line, Some(4), "{:?}", e[0]);
    }

    #[test]
    fn key_line_finds_top_level_keys() {
        let text = "---\ntitle: W\nimage:\n  src: a.jpg\n---\n";
        let s = split(Path::new("a.md"), text).unwrap();
        assert_eq!(key_line(&s, "image"), Some(3));
        assert_eq!(key_line(&s, "src"), None);
    }
}
