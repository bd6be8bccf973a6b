//! Escaping property tests: generated hostile strings (`</script>`, `<!--`, `]]>`, quotes, `&`, U+2028,
//! control characters) in every plain-text field land in the rendered pages as text, parsed back with
//! scraper, and never add an element or attribute. To cover a new field or output, extend `VALUES`/`CHECKS`.

use std::collections::BTreeMap;

use pamphlet::render::Contents;
use proptest::prelude::*;
use scraper::{Html, Selector};

use crate::support::SiteFixture;

/// How a value shows on a page: as text somewhere in it, or as an attribute of the elements matching a selector.
#[derive(Clone, Copy)]
enum Shown {
    Text,
    Attr(&'static str, &'static str),
}

/// Every generated value: a front-matter or site.toml field (`build` puts each in its place).
const VALUES: &[&str] = &[
    "title",
    "summary",
    "author",
    "question",
    "source name",
    "source url",
    "category description",
    "newsletter heading",
    "newsletter text",
    "newsletter button",
    "site description",
];

/// Value, the output page, how it shows there. Add a line to cover a new output (feeds, JSON-LD, ...).
const CHECKS: &[(&str, &str, Shown)] = &[
    ("title", "articles/x/index.html", Shown::Text),
    ("summary", "articles/x/index.html", Shown::Text),
    ("author", "articles/x/index.html", Shown::Text),
    ("question", "articles/x/index.html", Shown::Text),
    ("source name", "articles/x/index.html", Shown::Text),
    (
        "source url",
        "articles/x/index.html",
        Shown::Attr(".source-note a", "href"),
    ),
    (
        "category description",
        "category/news/index.html",
        Shown::Text,
    ),
    ("newsletter heading", "articles/x/index.html", Shown::Text),
    ("newsletter text", "articles/x/index.html", Shown::Text),
    ("newsletter button", "articles/x/index.html", Shown::Text),
    (
        "site description",
        "index.html",
        Shown::Attr("meta[name=description]", "content"),
    ),
    ("title", "category/news/index.html", Shown::Text),
    ("summary", "category/news/index.html", Shown::Text),
    ("title", "articles/x/index.html", Shown::Attr("title", "")),
];

/// Pieces hostile to HTML, XML, JSON, YAML, TOML and templates.
const PIECES: &[&str] = &[
    "</script>",
    "<script>alert(1)</script>",
    "<!--",
    "-->",
    "]]>",
    "<![CDATA[",
    "\"",
    "'",
    "&",
    "&amp;",
    "&#60;",
    "<b>",
    "<img src=x onerror=alert(1)>",
    "</p>",
    "{{ site.title }}",
    "{% raw %}",
    "\u{2028}",
    "\u{2029}",
    "\u{1}",
    "\u{8}",
    "\u{1b}[31m",
    "\u{7f}",
    "\u{85}",
    "\u{feff}",
    "\\",
    "\\u0041",
    "`",
    "*",
    "_",
    "[x](javascript:alert(1))",
    "# ",
    "---",
    "\t",
    " ",
    "é",
    "水",
    "🙂",
    "</title>",
    "<style>",
    "javascript:",
    "\u{0}",
];

fn hostile() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => proptest::sample::select(PIECES).prop_map(str::to_string),
        1 => any::<char>().prop_map(|c| c.to_string()),
    ];
    // A marker first: every value is non-empty and findable.
    proptest::collection::vec(piece, 0..8).prop_map(|v| format!("Mark {}", v.concat()))
}

/// A YAML double-quoted scalar: escapes what YAML would fold or reject (line breaks, controls, BOM).
fn yaml_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}') => {
                out.push_str(&format!("\\u{:04X}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn toml_quote(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// Builds a site with `values` (by field name; missing fields get a plain value) and returns its pages.
fn build(values: &BTreeMap<&str, String>, unsafe_html: bool) -> BTreeMap<String, Html> {
    let v = |name: &str| {
        values
            .get(name)
            .cloned()
            .unwrap_or_else(|| format!("Plain {name}"))
    };
    let config = format!(
        "title = \"Field Notes\"\nbase_url = \"https://example.org/\"\ndescription = {}\nunsafe_html = {unsafe_html}\n\n\
         [newsletter]\nheading = {}\ntext = {}\nbutton = {}\naction = \"https://lists.example.org/s\"\n\n\
         [[categories]]\nname = \"News\"\ndescription = {}\n",
        toml_quote(&v("site description")),
        toml_quote(&v("newsletter heading")),
        toml_quote(&v("newsletter text")),
        toml_quote(&v("newsletter button")),
        toml_quote(&v("category description")),
    );
    let front = format!(
        "title: {}\ndate: 2026-01-27\nsummary: {}\nauthor: {}\ncategories: [News]\n\
         faq:\n  - question: {}\n    answer: {}\nsource:\n  name: {}\n  url: {}",
        yaml_quote(&v("title")),
        yaml_quote(&v("summary")),
        yaml_quote(&v("author")),
        yaml_quote(&v("question")),
        yaml_quote(
            &values
                .get("answer")
                .cloned()
                .unwrap_or_else(|| "Plain answer".into())
        ),
        yaml_quote(&v("source name")),
        yaml_quote(&v("source url")),
    );
    let site = SiteFixture::new()
        .config(&config)
        .article("x", &front, "Body text.\n");
    let built = pamphlet::build_in_memory(&site.options())
        .unwrap_or_else(|f| panic!("build failed: {:#?}\n{config}\n{front}", f.0));
    built
        .files
        .iter()
        .filter(|f| f.rel_path.ends_with(".html"))
        .map(|f| match &f.contents {
            Contents::Bytes(b) => (
                f.rel_path.clone(),
                Html::parse_document(&String::from_utf8_lossy(b)),
            ),
            Contents::Copy(_) => unreachable!("pages are rendered"),
        })
        .collect()
}

/// Tag name -> count over the whole page, and every attribute name used.
fn shape(page: &Html) -> (BTreeMap<String, usize>, Vec<String>) {
    let mut tags = BTreeMap::new();
    let mut attrs = Vec::new();
    for el in page.select(&Selector::parse("*").unwrap()) {
        *tags.entry(el.value().name().to_string()).or_insert(0) += 1;
        attrs.extend(el.value().attrs().map(|(k, _)| k.to_string()));
    }
    attrs.sort();
    attrs.dedup();
    (tags, attrs)
}

/// What an HTML parser gives back for text the site wrote: NUL dropped, whitespace runs as one space.
fn normalise(s: &str) -> String {
    s.replace('\0', "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The same for attribute values, where the parser turns NUL into U+FFFD instead.
fn normalise_attr(s: &str) -> String {
    normalise(&s.replace('\0', "\u{fffd}"))
}

fn check_field(pages: &BTreeMap<String, Html>, check: &(&str, &str, Shown), value: &str) {
    let (name, page, shown) = check;
    let html = &pages[*page];
    match shown {
        Shown::Text => {
            let text = normalise(&html.root_element().text().collect::<String>());
            assert!(
                text.contains(&normalise(value)),
                "{name}: {value:?} not in the text of {page}"
            );
        }
        Shown::Attr(css, "") => {
            // The text of one element, e.g. <title> (RCDATA: NUL becomes U+FFFD there too).
            let sel = Selector::parse(css).unwrap();
            let got: Vec<String> = html
                .select(&sel)
                .map(|e| normalise_attr(&e.text().collect::<String>()))
                .collect();
            assert!(
                got.iter().any(|t| t.contains(&normalise_attr(value))),
                "{name}: {value:?} not in <{css}> of {page}: {got:?}"
            );
        }
        Shown::Attr(css, attr) => {
            let sel = Selector::parse(css).unwrap();
            let got: Vec<String> = html
                .select(&sel)
                .filter_map(|e| e.value().attr(attr))
                .map(normalise_attr)
                .collect();
            assert!(
                got.contains(&normalise_attr(value)),
                "{name}: {value:?} not in {css}[{attr}] of {page}: {got:?}"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn hostile_text_stays_text(values in proptest::collection::vec(hostile(), VALUES.len())) {
        let values: BTreeMap<&str, String> = VALUES.iter().copied().zip(values).collect();
        let plain = build(&BTreeMap::new(), true);
        let pages = build(&values, true);
        for check in CHECKS {
            check_field(&pages, check, &values[check.0]);
        }
        for (rel, page) in &pages {
            prop_assert_eq!(shape(page), shape(&plain[rel]), "{} gained or lost elements or attributes", rel);
        }
    }

    #[test]
    fn markdown_answers_without_raw_html(answer in hostile()) {
        // With unsafe_html = false, Markdown may add its own elements, never raw ones or event handlers.
        let mut values = BTreeMap::new();
        values.insert("answer", answer.clone());
        let pages = build(&values, false);
        let page = &pages["articles/x/index.html"];
        let sel = Selector::parse(".faq .answer *").unwrap();
        for el in page.select(&sel) {
            let tag = el.value().name();
            prop_assert!(
                ["p", "em", "strong", "a", "code", "del", "br", "sup", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "ul", "ol", "li", "blockquote", "pre", "span", "img", "input"].contains(&tag),
                "<{}> in the answer from {:?}", tag, answer
            );
            prop_assert!(el.value().attrs().all(|(k, _)| !k.starts_with("on")), "event handler from {:?}", answer);
        }
        let hrefs: Vec<&str> = page.select(&Selector::parse(".faq a").unwrap()).filter_map(|a| a.value().attr("href")).collect();
        prop_assert!(hrefs.iter().all(|h| !h.trim_start().to_ascii_lowercase().starts_with("javascript:")), "{:?}", hrefs);
    }
}

#[test]
fn unsafe_html_false_strips_raw_html_end_to_end() {
    let site = SiteFixture::new()
        .config(&crate::support::BASIC_CONFIG.replacen("paginate = 2\n", "paginate = 2\nunsafe_html = false\n", 1))
        .article(
            "x",
            "title: T\ndate: 2026-01-27",
            "<script>alert(1)</script>\n\nHi <b onclick=\"x()\">bold</b> and <em>kept text</em>.\n\n<div class=\"evil\">\n\n*markdown stays*\n\n</div>\n\n[link](javascript:alert(1))\n",
        )
        .build();
    let page = site.html("articles/x/index.html");
    assert_eq!(
        page.count(".body script, .body b, .body div.evil, [onclick]"),
        0
    );
    assert_eq!(page.texts(".body em"), ["markdown stays"]);
    assert!(
        page.text(".body").contains("bold"),
        "text of stripped tags stays"
    );
    assert!(
        page.attrs(".body a", "href")
            .iter()
            .all(|h| !h.starts_with("javascript:"))
    );

    let trusted = SiteFixture::new()
        .article("x", "title: T\ndate: 2026-01-27", "Hi <b>bold</b>.\n")
        .build();
    assert_eq!(
        trusted.html("articles/x/index.html").count(".body b"),
        1,
        "raw HTML is kept by default"
    );
}
