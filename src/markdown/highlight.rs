//! Takes fenced code and its language and gives syntect-highlighted HTML with CSS classes,
//! plus the one stylesheet (light and dark) those classes need.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use std::sync::LazyLock;

use syntect::easy::ScopeRegionIterator;
use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

/// Highlights code blocks. Built once per build and shared by `&` across threads; the syntax set
/// is loaded on first use, so sites without code never pay for it. Results are cached per
/// (language, code): the same snippet repeated across articles is highlighted once.
#[derive(Default)]
pub struct Highlighter {
    syntaxes: OnceLock<SyntaxSet>,
    cache: Mutex<HashMap<(String, String), Arc<str>>>,
}

impl std::fmt::Debug for Highlighter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Highlighter").finish_non_exhaustive()
    }
}

impl Highlighter {
    /// A highlighter with nothing loaded yet.
    pub fn new() -> Self {
        Self::default()
    }

    fn syntaxes(&self) -> &SyntaxSet {
        self.syntaxes.get_or_init(SyntaxSet::load_defaults_newlines)
    }

    /// `<pre><code>` HTML for `code`; unknown or missing languages give escaped plain text.
    pub fn highlight(&self, lang: &str, code: &str) -> String {
        let key = (lang.to_string(), code.to_string());
        let cached: Option<Arc<str>> = self.cache().get(&key).cloned();
        if let Some(html) = cached {
            return html.to_string();
        }
        let html = self.highlight_uncached(lang, code);
        self.cache().insert(key, html.as_str().into());
        html
    }

    /// The cache; a panic elsewhere cannot leave it half-written (entries are inserted whole).
    fn cache(&self) -> std::sync::MutexGuard<'_, HashMap<(String, String), Arc<str>>> {
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn highlight_uncached(&self, lang: &str, code: &str) -> String {
        let lang = lang.split([',', ' ']).next().unwrap_or("").trim();
        let class_lang = if lang.is_empty() {
            String::new()
        } else {
            format!(" class=\"language-{}\"", escape_attr(lang))
        };
        let body = (!lang.is_empty())
            .then(|| {
                let ss = self.syntaxes();
                ss.find_syntax_by_token(lang)
                    .and_then(|syntax| classed(code, syntax, ss))
            })
            .flatten()
            .unwrap_or_else(|| escape_text(code));
        format!("<pre class=\"hl-code\" tabindex=\"0\"><code{class_lang}>{body}</code></pre>\n")
    }
}

/// What a token is, as one short class: a handful of kinds a reader tells apart, not the grammar's
/// whole scope stack (that made highlighted pages several times heavier than the code they show).
const KINDS: &[(&str, Option<&str>)] = &[
    ("comment", Some("comment")),
    ("string", Some("string")),
    ("constant.numeric", Some("constant")),
    ("constant.language", Some("constant")),
    ("constant.character", Some("constant")),
    ("keyword.operator", None),
    ("keyword", Some("keyword")),
    ("storage", Some("keyword")),
    ("entity.name.function", Some("function")),
    ("support.function", Some("function")),
    ("entity.name.type", Some("type")),
    ("entity.name.class", Some("type")),
    ("support.type", Some("type")),
    ("support.class", Some("type")),
    ("entity.name.tag", Some("tag")),
    ("entity.other.attribute-name", Some("attr")),
];

/// `KINDS` as syntect scopes, parsed once (immutable).
static KIND_SCOPES: LazyLock<Vec<(Scope, Option<&'static str>)>> = LazyLock::new(|| {
    KINDS
        .iter()
        .filter_map(|&(name, class)| Scope::new(name).ok().map(|s| (s, class)))
        .collect()
});

/// The class of text under `stack`: the innermost scope that names a kind decides.
fn kind_of(stack: &ScopeStack) -> Option<&'static str> {
    for scope in stack.as_slice().iter().rev() {
        if let Some((_, class)) = KIND_SCOPES
            .iter()
            .find(|(prefix, _)| prefix.is_prefix_of(*scope))
        {
            return *class;
        }
    }
    None
}

/// Highlighted HTML with one `hl-<kind>` span per run of same-kind text; `None` if the grammar fails.
fn classed(code: &str, syntax: &SyntaxReference, ss: &SyntaxSet) -> Option<String> {
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut out = String::with_capacity(code.len() * 3 / 2);
    let mut open: Option<&'static str> = None;
    // White space between two tokens of one kind stays inside their span; elsewhere it is plain.
    let mut pending_space = String::new();
    for line in LinesWithEndings::from(code) {
        let ops = state.parse_line(line, ss).ok()?;
        for (text, op) in ScopeRegionIterator::new(&ops, line) {
            stack.apply(op).ok()?;
            if text.is_empty() {
                continue;
            }
            if text.trim().is_empty() {
                pending_space.push_str(text);
                continue;
            }
            let kind = kind_of(&stack);
            if kind != open {
                if open.is_some() {
                    out.push_str("</span>");
                }
                out.push_str(&pending_space);
                if let Some(k) = kind {
                    out.push_str("<span class=\"hl-");
                    out.push_str(k);
                    out.push_str("\">");
                }
                open = kind;
            } else {
                out.push_str(&pending_space);
            }
            pending_space.clear();
            out.push_str(&escape_text(text));
        }
    }
    if open.is_some() {
        out.push_str("</span>");
    }
    out.push_str(&pending_space);
    Some(out)
}

/// The stylesheet for highlighted code: one colour per kind, AA contrast on light and dark
/// backgrounds, the dark colours under `prefers-color-scheme: dark`.
pub fn stylesheet() -> String {
    concat!(
        "/* Code highlighting, generated by Pamphlet. */\n",
        ".hl-comment{color:#5b6068;font-style:italic}.hl-string{color:#1d6b34}",
        ".hl-constant,.hl-attr{color:#8a4b00}.hl-keyword,.hl-tag{color:#a3223b}",
        ".hl-function{color:#4b3aa6}.hl-type{color:#00607a}\n",
        "@media (prefers-color-scheme: dark){.hl-comment{color:#a9adb4}.hl-string{color:#9fdc9f}",
        ".hl-constant,.hl-attr{color:#f3b673}.hl-keyword,.hl-tag{color:#ff9db0}",
        ".hl-function{color:#c3b5ff}.hl-type{color:#7fd4e6}}\n"
    )
    .to_string()
}

fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes a value for a double-quoted HTML attribute.
pub fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_language_gets_classes() {
        let h = Highlighter::new();
        let html = h.highlight("rust", "fn main() {}\n");
        assert!(
            html.contains("<span class=\"hl-keyword\">fn</span>"),
            "{html}"
        );
        assert!(
            html.contains("<span class=\"hl-function\">main</span>"),
            "{html}"
        );
        assert!(html.contains("language-rust"));
    }

    #[test]
    fn unknown_language_is_plain_escaped() {
        let h = Highlighter::new();
        let html = h.highlight("nosuchlang", "<b>&</b>\n");
        assert!(html.contains("&lt;b&gt;&amp;&lt;/b&gt;"), "{html}");
    }

    #[test]
    fn repeated_snippet_is_cached_and_identical() {
        let h = Highlighter::new();
        let a = h.highlight("rust", "let x = 1;\n");
        let b = h.highlight("rust", "let x = 1;\n");
        assert_eq!(a, b);
        assert_eq!(h.cache.lock().unwrap().len(), 1);
    }

    #[test]
    fn runs_of_one_kind_share_a_span_and_text_is_escaped() {
        let h = Highlighter::new();
        let html = h.highlight("python", "# a < b & c\nx = \"<tag>\"\n");
        assert!(
            html.contains("<span class=\"hl-comment\"># a &lt; b &amp; c\n</span>"),
            "{html}"
        );
        assert!(
            html.contains("<span class=\"hl-string\">&quot;")
                || html.contains("<span class=\"hl-string\">\"&lt;tag&gt;\"</span>"),
            "{html}"
        );
    }

    #[test]
    fn stylesheet_has_a_colour_for_every_kind() {
        let css = stylesheet();
        for (_, kind) in KINDS {
            if let Some(k) = kind {
                assert!(css.contains(&format!(".hl-{k}")), "{k}");
            }
        }
    }

    #[test]
    fn stylesheet_has_dark_mode() {
        assert!(stylesheet().contains("prefers-color-scheme: dark"));
    }
}
