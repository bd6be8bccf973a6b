//! Takes a Markdown file's text and gives its parsed front matter and body, with YAML errors mapped to file lines.
//! Every `serde_yaml` call of the project lives here.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::config::unknown_field_hint;
use crate::error::{Diagnostic, Diagnostics};

mod fast;

/// Front matter exactly as written; `RawFrontMatter::validate` turns it into checked metadata.
#[derive(Debug, Clone, PartialEq, Deserialize, Default)]
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
    /// Stable feed id: a key (the original slug) or a full `tag:`/`urn:` URI; see docs/distribution.md.
    #[serde(default)]
    pub id: Option<String>,
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
#[derive(Debug, Clone, PartialEq)]
pub enum OneOrMany {
    /// `author: Jane Doe`
    One(String),
    /// `author: [Jane Doe, Ali Khan]`
    Many(Vec<String>),
}

// By hand rather than `#[serde(untagged)]`: untagged enums lose the YAML position and the key in errors.
impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = OneOrMany;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a name or a list of names")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<OneOrMany, E> {
                Ok(OneOrMany::One(v.to_string()))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<OneOrMany, A::Error> {
                let mut names = Vec::new();
                while let Some(n) = seq.next_element::<String>()? {
                    names.push(n);
                }
                Ok(OneOrMany::Many(names))
            }
        }
        d.deserialize_any(V)
    }
}

/// `image: { src, alt }`
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawImage {
    /// Path relative to the article, or a site path or URL.
    pub src: String,
    /// Text alternative; required.
    #[serde(default)]
    pub alt: Option<String>,
}

/// `source: { name, url, date, note }`
#[derive(Debug, Clone, PartialEq, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFaq {
    /// The question.
    pub question: String,
    /// The answer, Markdown.
    pub answer: String,
}

/// Accepts a date written as a YAML string or any scalar (an unquoted date is a plain scalar).
/// A visitor rather than an untagged enum, so a wrong type is reported at its key and line.
fn scalar_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    struct V;
    impl<'de> serde::de::Visitor<'de> for V {
        type Value = Option<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a date like 2026-01-27")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D2: serde::Deserializer<'de>>(self, d: D2) -> Result<Self::Value, D2::Error> {
            d.deserialize_any(V)
        }
    }
    d.deserialize_any(V)
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
    // Most front matter is simple; serde_yaml (about 20 µs a file) handles the rest and every error.
    if let Some(fm) = fast::parse(split.yaml) {
        return Ok(fm);
    }
    if split.yaml.trim().is_empty() {
        return Err(Diagnostics::from_iter([Diagnostic::error(
            path,
            "front matter is empty",
        )
        .at(Some(split.yaml_line), Some(1))
        .hint("add at least `title:` and `date:` between the `---` lines")]));
    }
    if let Some((line, column)) = too_deep(split.yaml) {
        return Err(Diagnostics::from_iter([Diagnostic::error(
            path,
            format!("front matter nests `[` or `{{` more than {MAX_FLOW_DEPTH} levels deep"),
        )
        .at(Some(line + split.yaml_line - 1), Some(column))
        .hint(
            "write nested values as indented YAML, or quote text that contains brackets",
        )]));
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
        } else if message.contains("tab")
            || split
                .yaml
                .lines()
                .nth(line.saturating_sub(split.yaml_line))
                .is_some_and(|l| l.trim_start_matches(' ').starts_with('\t'))
        {
            d = d.hint("YAML indentation must use spaces, not tabs");
        } else if message.contains("recursion limit exceeded") {
            d = d.hint("the front matter nests more than 128 levels deep: flatten it");
        } else if message.contains("repetition limit exceeded") {
            // "Billion laughs": aliases of aliases; serde_yaml stops expanding them early.
            d = d.hint(
                "YAML aliases (`*name`) here expand to too many values: write the values out",
            );
        } else if message.contains("a name or a list of names") {
            d = d.hint("write `author: Name` or `author: [Name One, Name Two]`");
        }
        Diagnostics::from_iter([d])
    })
}

/// The fast path alone: `Some` only for YAML it fully understands (for benchmarks and tests).
pub fn parse_fast(yaml: &str) -> Option<RawFrontMatter> {
    fast::parse(yaml)
}

/// serde_yaml alone, without the fast path or `parse`'s checks (for benchmarks and tests).
pub fn parse_serde(yaml: &str) -> Result<RawFrontMatter, String> {
    serde_yaml::from_str(yaml).map_err(|e| e.to_string())
}

/// Deepest `[`/`{` nesting the YAML parser is given; deeper flow collections cost it quadratic time
/// (100,000 levels took minutes), and serde_yaml refuses anything past 128 levels anyway.
const MAX_FLOW_DEPTH: usize = 128;

/// The 1-based (line, column) where flow nesting first passes `MAX_FLOW_DEPTH`, if it does.
/// Brackets inside quoted scalars and comments do not count; a quote only opens a scalar where a token starts.
fn too_deep(yaml: &str) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    for (i, line) in yaml.lines().enumerate() {
        let mut quote: Option<char> = None;
        let mut prev = ' ';
        let mut chars = line.chars().enumerate();
        while let Some((col, c)) = chars.next() {
            match quote {
                Some('"') if c == '\\' => {
                    chars.next();
                }
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None => match c {
                    '"' | '\'' if matches!(prev, ' ' | '\t' | '[' | '{' | ',' | ':' | '-') => {
                        quote = Some(c)
                    }
                    '#' if prev == ' ' || col == 0 => break,
                    '[' | '{' => {
                        depth += 1;
                        if depth > MAX_FLOW_DEPTH {
                            return Some((i + 1, col + 1));
                        }
                    }
                    ']' | '}' => depth = depth.saturating_sub(1),
                    _ => {}
                },
            }
            prev = c;
        }
    }
    None
}

/// Drops serde_yaml's trailing " at line X column Y" (we print our own file position).
fn clean_yaml_message(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
    .to_string()
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
    fn deep_flow_nesting_is_refused_before_parsing() {
        // 100,000 levels kept the YAML parser busy for minutes (quadratic); now refused at once.
        let deep = format!(
            "---\ntitle: W\nextra:\n  a: {}1{}\n---\n",
            "{a: ".repeat(100_000),
            "}".repeat(100_000)
        );
        let e = p(&deep).unwrap_err();
        assert!(e[0].message.contains("nests"), "{:?}", e[0]);
        assert_eq!(e[0].line, Some(4));
        // Brackets in quoted text and comments are not nesting.
        let quoted = format!(
            "---\ntitle: \"{}\" # {}\nsummary: '{}'\n---\n",
            "[".repeat(500),
            "{".repeat(500),
            "[".repeat(500)
        );
        assert!(p(&quoted).is_ok());
        assert!(too_deep("a: [[[]]]\nb: it's [x]").is_none());
    }

    #[test]
    fn alias_bomb_is_refused_with_a_hint() {
        let mut yaml = String::from(
            "---\ntitle: W\nextra:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
        );
        for i in 1..10 {
            let refs = vec![format!("*a{}", i - 1); 9].join(", ");
            yaml.push_str(&format!("  a{i}: &a{i} [{refs}]\n"));
        }
        yaml.push_str("---\n");
        let e = p(&yaml).unwrap_err();
        assert!(e[0].message.contains("repetition limit"), "{:?}", e[0]);
        assert!(e[0].hint.as_deref().unwrap().contains("aliases"));
    }

    #[test]
    fn wrong_types_of_dates_and_authors_are_located() {
        let e = p("---\ntitle: W\ndate: [2026, 1]\n---\n").unwrap_err();
        assert_eq!(e[0].line, Some(3), "{:?}", e[0]);
        assert!(
            e[0].message
                .starts_with("date: invalid type: sequence, expected a date like"),
            "{:?}",
            e[0]
        );
        let e = p("---\ntitle: W\ndate: 2026-01-27\nauthor: { name: J }\n---\n").unwrap_err();
        assert_eq!(e[0].line, Some(4), "{:?}", e[0]);
        assert!(
            e[0].message.contains("expected a name or a list of names"),
            "{:?}",
            e[0]
        );
        assert_eq!(
            e[0].hint.as_deref(),
            Some("write `author: Name` or `author: [Name One, Name Two]`")
        );
        let fm = p("---\ntitle: W\ndate: 20260127\nupdated: ~\nauthor: [A, B]\n---\n").unwrap();
        assert_eq!(fm.date.as_deref(), Some("20260127"));
        assert!(fm.updated.is_none());
    }

    #[test]
    fn tab_indentation_gets_the_tab_hint() {
        let e = p("---\ntitle: W\nimage:\n\tsrc: a.jpg\n---\n").unwrap_err();
        assert_eq!(e[0].line, Some(4), "{:?}", e[0]);
        assert_eq!(
            e[0].hint.as_deref(),
            Some("YAML indentation must use spaces, not tabs")
        );
    }

    #[test]
    fn key_line_finds_top_level_keys() {
        let text = "---\ntitle: W\nimage:\n  src: a.jpg\n---\n";
        let s = split(Path::new("a.md"), text).unwrap();
        assert_eq!(key_line(&s, "image"), Some(3));
        assert_eq!(key_line(&s, "src"), None);
    }
}
