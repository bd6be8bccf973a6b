//! Takes a Markdown body and what links can point to, and gives HTML (heading ids, footnotes with
//! back-links, highlighted code, resolved `.md` links) plus the plain-text facts read time and summaries need.

pub mod highlight;

use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};

use pulldown_cmark::{
    CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html,
};

use crate::error::Diagnostic;
use crate::slugs::slugify;
pub use highlight::Highlighter;

/// What a document's links may point to: `content/`-relative Markdown paths to site paths.
pub type LinkMap = BTreeMap<PathBuf, String>;

/// Everything `render` needs besides the text itself.
#[derive(Debug, Clone, Copy)]
pub struct RenderEnv<'a> {
    /// Source path relative to `content/` (for relative `.md` links).
    pub content_path: &'a Path,
    /// Path shown in warnings.
    pub shown_path: &'a Path,
    /// 1-based file line of the text's first line.
    pub first_line: usize,
    /// Markdown targets.
    pub links: &'a LinkMap,
    /// The site's base path (`/` or `/sub/`), prefixed to root-relative links.
    pub base_path: &'a str,
    /// Keep raw HTML.
    pub unsafe_html: bool,
    /// Code highlighter.
    pub highlighter: &'a Highlighter,
}

/// One heading, for tables of contents and anchors.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// Unique id within the document.
    pub id: String,
    /// Plain text.
    pub text: String,
}

/// A rendered Markdown text.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The HTML.
    pub html: String,
    /// Plain text of the first paragraph.
    pub first_paragraph: String,
    /// Words of prose (code and markup excluded; CJK characters not included).
    pub words: usize,
    /// Chinese, Japanese and Korean characters of prose.
    pub cjk_chars: usize,
    /// Whether any fenced or indented code block was rendered.
    pub has_code: bool,
    /// Headings in order.
    pub headings: Vec<Heading>,
    /// Links to Markdown files that match no document.
    pub warnings: Vec<Diagnostic>,
}

/// Ids the page around a body already uses (skip link, "Go to top", the FAQ section and the default
/// theme's other landmarks): a body heading like "## FAQ" gets `faq-1`, so ids stay unique on the page.
const PAGE_IDS: [&str; 9] = [
    "top",
    "main",
    "faq",
    "source-note-heading",
    "more-in-heading",
    "newsletter-heading",
    "newsletter-email",
    "categories-heading",
    "latest-heading",
];

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders `text` to HTML with everything the site needs from it.
pub fn render(text: &str, env: &RenderEnv<'_>) -> Rendered {
    let mut out = Rendered::default();
    let mut events: Vec<Event<'_>> = Vec::new();
    // Heading ids taken so far; the theme's own ids count as taken (see `unique_id`). Most calls
    // (FAQ answers, notes) have no heading, so nothing is allocated up front.
    let mut ids: HashMap<String, usize> = HashMap::new();

    // Footnotes: numbered by first reference, definitions collected and emitted at the end.
    let mut footnote_numbers: BTreeMap<String, usize> = BTreeMap::new();
    let mut footnote_refs: BTreeMap<String, usize> = BTreeMap::new();
    let mut footnote_defs: Vec<(String, Vec<Event<'_>>)> = Vec::new();
    let mut in_footnote: Option<(String, Vec<Event<'_>>)> = None;

    let mut heading: HeadingState<'_> = None;
    let mut code: Option<(String, String)> = None;
    let mut paragraph_depth = 0usize;
    let mut first_paragraph: Option<String> = None;
    let mut first_done = false;
    let mut block_depth = 0usize;

    let parser = Parser::new_ext(text, options()).into_offset_iter();
    for (event, range) in parser {
        // Code blocks: gather text, highlight at the end.
        if let Some((_, buf)) = code.as_mut() {
            match event {
                Event::Text(t) => buf.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let (lang, buf) = code.take().unwrap_or_default();
                    let html = env.highlighter.highlight(&lang, &buf);
                    push(
                        &mut events,
                        &mut in_footnote,
                        &mut heading,
                        Event::Html(html.into()),
                    );
                }
                _ => {}
            }
            continue;
        }
        let event = match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                out.has_code = true;
                let lang = match kind {
                    CodeBlockKind::Fenced(l) => l.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
                continue;
            }
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                heading = Some((
                    level,
                    id.map(|s| s.to_string()),
                    classes.iter().map(|c| c.to_string()).collect(),
                    Vec::new(),
                    Vec::new(),
                ));
                let _ = attrs;
                continue;
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, id, classes, _, inner)) = heading.take() {
                    let text = plain_text(&inner);
                    let base = id.unwrap_or_else(|| {
                        let s = slugify(&text);
                        if s.is_empty() {
                            "section".to_string()
                        } else {
                            s
                        }
                    });
                    let id = unique_id(&mut ids, base);
                    let lvl = level as u8;
                    out.headings.push(Heading {
                        level: lvl,
                        id: id.clone(),
                        text,
                    });
                    let class = if classes.is_empty() {
                        String::new()
                    } else {
                        format!(" class=\"{}\"", highlight::escape_attr(&classes.join(" ")))
                    };
                    let open = format!("<h{lvl} id=\"{}\"{class}>", highlight::escape_attr(&id));
                    let target = match in_footnote.as_mut() {
                        Some((_, evs)) => evs,
                        None => &mut events,
                    };
                    target.push(Event::Html(open.into()));
                    target.extend(inner);
                    target.push(Event::Html(format!("</h{lvl}>\n").into()));
                }
                continue;
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                in_footnote = Some((label.to_string(), Vec::new()));
                continue;
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                if let Some(def) = in_footnote.take() {
                    footnote_defs.push(def);
                }
                continue;
            }
            Event::FootnoteReference(label) => {
                let next = footnote_numbers.len() + 1;
                let n = *footnote_numbers.entry(label.to_string()).or_insert(next);
                let count = footnote_refs.entry(label.to_string()).or_insert(0);
                *count += 1;
                let ref_id = if *count == 1 {
                    format!("fnref-{}", slugify(&label))
                } else {
                    format!("fnref-{}-{}", slugify(&label), count)
                };
                Event::Html(
                    format!(
                        "<sup class=\"footnote-ref\"><a href=\"#fn-{}\" id=\"{ref_id}\" role=\"doc-noteref\">{n}</a></sup>",
                        slugify(&label)
                    )
                    .into(),
                )
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                if !env.unsafe_html {
                    continue;
                }
                Event::Html(h)
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = resolve_link(dest_url, env, range.start, text, &mut out.warnings);
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = resolve_link(dest_url, env, range.start, text, &mut out.warnings);
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            e => e,
        };

        // Prose facts: word counts and the first paragraph.
        match &event {
            Event::Start(Tag::Paragraph) => {
                paragraph_depth += 1;
                if !first_done && block_depth == 0 && heading.is_none() && in_footnote.is_none() {
                    first_paragraph = Some(String::new());
                }
            }
            Event::End(TagEnd::Paragraph) => {
                paragraph_depth = paragraph_depth.saturating_sub(1);
                if first_paragraph.is_some() && !first_done {
                    first_done = true;
                }
            }
            Event::Start(Tag::BlockQuote(_) | Tag::List(_) | Tag::Table(_)) => block_depth += 1,
            Event::End(TagEnd::BlockQuote(_) | TagEnd::List(_) | TagEnd::Table) => {
                block_depth = block_depth.saturating_sub(1)
            }
            Event::Text(t) | Event::Code(t) => {
                count_words(t, &mut out.words, &mut out.cjk_chars);
                if !first_done && let Some(p) = first_paragraph.as_mut() {
                    p.push_str(t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if !first_done && let Some(p) = first_paragraph.as_mut() {
                    p.push(' ');
                }
            }
            _ => {}
        }
        push(&mut events, &mut in_footnote, &mut heading, event);
    }

    if !footnote_defs.is_empty() {
        // Referenced notes in reference order, then any never referenced.
        footnote_defs
            .sort_by_key(|(label, _)| footnote_numbers.get(label).copied().unwrap_or(usize::MAX));
        events.push(Event::Html(
            "<section class=\"footnotes\" role=\"doc-endnotes\" aria-label=\"Footnotes\">\n<ol>\n"
                .into(),
        ));
        for (label, body) in footnote_defs {
            let slug = slugify(&label);
            events.push(Event::Html(format!("<li id=\"fn-{slug}\">\n").into()));
            events.extend(body);
            let refs = footnote_refs.get(&label).copied().unwrap_or(0);
            let mut back = String::new();
            for i in 1..=refs {
                let target = if i == 1 {
                    format!("fnref-{slug}")
                } else {
                    format!("fnref-{slug}-{i}")
                };
                back.push_str(&format!(
                    " <a href=\"#{target}\" class=\"footnote-backref\" role=\"doc-backlink\" aria-label=\"Back to reference {i}\">↩</a>"
                ));
            }
            events.push(Event::Html(format!("{back}\n</li>\n").into()));
        }
        events.push(Event::Html("</ol>\n</section>\n".into()));
    }

    let mut html_out = String::with_capacity(text.len() * 3 / 2);
    html::push_html(&mut html_out, events.into_iter());
    // The site keeps every article's HTML until the feeds are written: do not keep the slack too.
    html_out.shrink_to_fit();
    out.html = html_out;
    out.first_paragraph = first_paragraph.unwrap_or_default().trim().to_string();
    out
}

type HeadingState<'a> = Option<(
    HeadingLevel,
    Option<String>,
    Vec<String>,
    Vec<(&'a str, Option<&'a str>)>,
    Vec<Event<'a>>,
)>;

fn push<'a>(
    events: &mut Vec<Event<'a>>,
    in_footnote: &mut Option<(String, Vec<Event<'a>>)>,
    heading: &mut HeadingState<'a>,
    event: Event<'a>,
) {
    if let Some((_, _, _, _, inner)) = heading.as_mut() {
        inner.push(event);
    } else if let Some((_, evs)) = in_footnote.as_mut() {
        evs.push(event);
    } else {
        events.push(event);
    }
}

fn plain_text(events: &[Event<'_>]) -> String {
    let mut s = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => s.push_str(t),
            Event::SoftBreak | Event::HardBreak => s.push(' '),
            _ => {}
        }
    }
    s.trim().to_string()
}

fn unique_id(ids: &mut HashMap<String, usize>, base: String) -> String {
    let theirs = usize::from(PAGE_IDS.contains(&base.as_str()));
    let n = ids.entry(base.clone()).or_insert(theirs);
    *n += 1;
    if *n == 1 {
        base
    } else {
        let candidate = format!("{base}-{}", *n - 1);
        // A later explicit id could equal a generated one; keep going until free.
        if ids.contains_key(&candidate) || PAGE_IDS.contains(&candidate.as_str()) {
            unique_id(ids, candidate)
        } else {
            ids.insert(candidate.clone(), 1);
            candidate
        }
    }
}

/// True for Chinese, Japanese and Korean characters (read per character, not per word).
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF |
        0xAC00..=0xD7AF | 0x1100..=0x11FF | 0x3130..=0x318F | 0x20000..=0x2FA1F)
}

/// What an ASCII byte does to word counting: 0 ends a word, 1 starts or continues one, 2 (`'`,
/// `-`) continues a word without starting one.
const ASCII_WORD_CLASS: [u8; 128] = {
    let mut t = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = if is_word_byte(c) {
            1
        } else if c == b'\'' || c == b'-' {
            2
        } else {
            0
        };
        b += 1;
    }
    t
};

fn count_words(text: &str, words: &mut usize, cjk: &mut usize) {
    if text.is_ascii() {
        *words += ascii_words(text.as_bytes());
    } else {
        count_words_any(text, words, cjk);
    }
}

/// Whether an ASCII byte is part of a word (letters and digits).
#[inline]
const fn is_word_byte(b: u8) -> bool {
    ((b | 0x20).wrapping_sub(b'a') < 26) | (b.wrapping_sub(b'0') < 10)
}

/// Words of ASCII text, as `count_words_any` counts them, in a form the compiler vectorises:
/// every word byte after a non-word byte starts a word, less the starts that only continue a
/// word across `'` or `-` ("don't", "well-known").
fn ascii_words(bytes: &[u8]) -> usize {
    let Some(&first) = bytes.first() else {
        return 0;
    };
    let mut starts = usize::from(is_word_byte(first));
    starts += bytes[1..]
        .iter()
        .zip(bytes)
        .map(|(&b, &prev)| u32::from(is_word_byte(b) & !is_word_byte(prev)))
        .sum::<u32>() as usize;
    let mut i = 0;
    while let Some(j) = memchr::memchr2(b'\'', b'-', &bytes[i..]) {
        let run_start = i + j;
        let mut run_end = run_start;
        while run_end < bytes.len() && matches!(bytes[run_end], b'\'' | b'-') {
            run_end += 1;
        }
        if run_start > 0
            && is_word_byte(bytes[run_start - 1])
            && bytes.get(run_end).is_some_and(|&b| is_word_byte(b))
        {
            starts -= 1;
        }
        i = run_end;
    }
    starts
}

/// Word and CJK counts for any text, a character at a time.
fn count_words_any(text: &str, words: &mut usize, cjk: &mut usize) {
    let (mut n_words, mut n_cjk) = (0usize, 0usize);
    let mut in_word = false;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        // One table lookup an ASCII byte and no branch on the class (word and space alternate
        // too irregularly to predict); other characters take the Unicode path.
        let class = if b < 0x80 {
            i += 1;
            ASCII_WORD_CLASS[usize::from(b)]
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            i += c.len_utf8();
            if is_cjk(c) {
                n_cjk += 1;
                0
            } else if c.is_alphanumeric() {
                1
            } else {
                2 * u8::from(c == '’')
            }
        };
        let word = class == 1;
        n_words += usize::from(word & !in_word);
        in_word = word | (in_word & (class == 2));
    }
    *words += n_words;
    *cjk += n_cjk;
}

/// Minutes to read: prose words at `wpm` plus CJK characters at `cjk_cpm`, one decimal, at least 0.1.
pub fn read_time(words: usize, cjk_chars: usize, wpm: u32, cjk_cpm: u32) -> f64 {
    let minutes =
        words as f64 / f64::from(wpm.max(1)) + cjk_chars as f64 / f64::from(cjk_cpm.max(1));
    ((minutes * 10.0).round() / 10.0).max(0.1)
}

fn resolve_link<'a>(
    dest: CowStr<'a>,
    env: &RenderEnv<'_>,
    offset: usize,
    text: &str,
    warnings: &mut Vec<Diagnostic>,
) -> CowStr<'a> {
    let url = dest.as_ref();
    if !env.unsafe_html && is_script_url(url) {
        // Sites that strip raw HTML take outside contributions: a `javascript:` link is raw script too.
        return "#".into();
    }
    if url.starts_with('/') && !url.starts_with("//") {
        return format!("{}{}", env.base_path, &url[1..]).into();
    }
    if url.contains("://")
        || url.starts_with('#')
        || url.starts_with("mailto:")
        || url.starts_with("tel:")
    {
        return dest;
    }
    let (path_part, fragment) = match url.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (url, None),
    };
    if !path_part.ends_with(".md") {
        return dest;
    }
    let base = env.content_path.parent().unwrap_or(Path::new(""));
    let target = normalise(&base.join(path_part));
    let target = match target {
        Some(t) if t.starts_with("articles") || t.starts_with("pages") => Some(t),
        Some(t) => {
            let under_articles = Path::new("articles").join(&t);
            Some(if env.links.contains_key(&under_articles) {
                under_articles
            } else {
                t
            })
        }
        None => None,
    };
    match target.as_ref().and_then(|t| env.links.get(t)) {
        Some(site_path) => match fragment {
            Some(f) => format!("{site_path}#{f}").into(),
            None => site_path.clone().into(),
        },
        None => {
            let line = env.first_line + text[..offset.min(text.len())].matches('\n').count();
            warnings.push(
                Diagnostic::warning(
                    env.shown_path,
                    format!("link to `{path_part}` matches no published article or page"),
                )
                .at(Some(line), None)
                .hint("check the file name, or whether the target is a draft"),
            );
            dest
        }
    }
}

/// True for URLs a browser would run as script (`javascript:`, `vbscript:`, `data:text/html`), however spelled.
fn is_script_url(url: &str) -> bool {
    // Browsers drop ASCII whitespace and controls inside the scheme and ignore case.
    let scheme: String = url
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
        .take(20)
        .collect::<String>()
        .to_ascii_lowercase();
    scheme.starts_with("javascript:")
        || scheme.starts_with("vbscript:")
        || scheme.starts_with("data:text/html")
}

/// Resolves `.` and `..` without touching the disk; `None` if it climbs above the start.
fn normalise(p: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::Normal(s) => out.push(s),
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            _ => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(links: &'a LinkMap, hl: &'a Highlighter) -> RenderEnv<'a> {
        RenderEnv {
            content_path: Path::new("articles/a.md"),
            shown_path: Path::new("content/articles/a.md"),
            first_line: 5,
            links,
            base_path: "/sub/",
            unsafe_html: true,
            highlighter: hl,
        }
    }

    fn r(text: &str) -> Rendered {
        let mut links = LinkMap::new();
        links.insert(PathBuf::from("articles/b.md"), "/sub/articles/b/".into());
        links.insert(
            PathBuf::from("articles/c/index.md"),
            "/sub/articles/c/".into(),
        );
        let hl = Highlighter::new();
        render(text, &env(&links, &hl))
    }

    #[test]
    fn heading_ids_are_unique() {
        let out = r("## Who was affected\n\n## Who was affected\n\n## Custom {#why}\n");
        let ids: Vec<_> = out.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["who-was-affected", "who-was-affected-1", "why"]);
        assert!(out.html.contains("<h2 id=\"who-was-affected-1\">"));
    }

    #[test]
    fn heading_ids_leave_the_page_landmark_ids_alone() {
        let out = r("## FAQ\n\n## Main\n\n## Top {#top}\n\n## Other\n");
        let ids: Vec<_> = out.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["faq-1", "main-1", "top-1", "other"]);
    }

    #[test]
    fn md_links_resolve_and_warn() {
        let out = r("[b](b.md) [c](c/index.md#faq) [x](missing.md) [abs](/about/)\n");
        assert!(
            out.html.contains("href=\"/sub/articles/b/\""),
            "{}",
            out.html
        );
        assert!(out.html.contains("href=\"/sub/articles/c/#faq\""));
        assert!(out.html.contains("href=\"/sub/about/\""));
        assert_eq!(out.warnings.len(), 1);
        assert_eq!(out.warnings[0].line, Some(5));
    }

    #[test]
    fn footnotes_collected_with_backlinks() {
        let out = r("Text[^n] more.\n\n[^n]: The note.\n\nAfter.\n");
        let notes = out.html.find("class=\"footnotes\"").unwrap();
        assert!(out.html.find("After.").unwrap() < notes, "notes go last");
        assert!(out.html.contains("href=\"#fnref-n\""));
        assert!(out.html.contains("id=\"fnref-n\""));
    }

    #[test]
    fn words_skip_code_and_count_cjk() {
        let out = r("One two three.\n\n```rust\nlet not_counted = 1;\n```\n\n日本語です\n");
        assert_eq!(out.words, 3);
        assert_eq!(out.cjk_chars, 5);
        assert!(out.has_code);
    }

    #[test]
    fn apostrophes_and_hyphens_join_words_in_any_script() {
        let (mut words, mut cjk) = (0, 0);
        count_words(
            "Don't stop: it’s well-known. Café naïve Straße — 42 x 7, Ωμέγα!",
            &mut words,
            &mut cjk,
        );
        // don't, stop, it's, well-known, café, naïve, straße, 42, x, 7, ωμέγα
        assert_eq!((words, cjk), (11, 0));
    }

    proptest::proptest! {
        #[test]
        fn ascii_fast_path_counts_like_the_general_one(text in "[a-zA-Z0-9 '\\-.,!?\n]{0,80}") {
            let (mut words, mut cjk) = (0, 0);
            count_words_any(&text, &mut words, &mut cjk);
            proptest::prop_assert_eq!(ascii_words(text.as_bytes()), words);
        }
    }

    #[test]
    fn first_paragraph_is_plain() {
        let out = r("# Title\n\nA *lead* with [link](b.md).\n\nSecond.\n");
        assert_eq!(out.first_paragraph, "A lead with link.");
    }

    #[test]
    fn read_time_one_decimal() {
        assert_eq!(read_time(860, 0, 200, 500), 4.3);
        assert_eq!(read_time(0, 2150, 200, 500), 4.3);
        assert_eq!(read_time(0, 0, 200, 500), 0.1);
    }

    #[test]
    fn raw_html_can_be_stripped() {
        let mut links = LinkMap::new();
        links.clear();
        let hl = Highlighter::new();
        let mut e = env(&links, &hl);
        e.unsafe_html = false;
        let out = render("<script>x()</script>\n\nHi <b>there</b>\n", &e);
        assert!(!out.html.contains("<script"), "{}", out.html);
        assert!(!out.html.contains("<b>"));
        let out = render(
            "[a](javascript:alert(1)) [b](JaVaScRiPt:x) [e](<java\tscript:x>) ![c](data:text/html,x) [d](/ok/)\n",
            &e,
        );
        assert!(!out.html.to_lowercase().contains("script:"), "{}", out.html);
        assert!(!out.html.contains("data:"), "{}", out.html);
        assert!(out.html.contains("href=\"/sub/ok/\""));
    }
}
