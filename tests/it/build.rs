//! The core build: every front matter field lands where a reader looks for it, Markdown renders
//! with its extensions, listings hold the right articles in order, and overrides win.

use crate::support::{BASIC_CONFIG, SiteFixture};

#[test]
fn article_shows_title_read_time_and_categories() {
    let site = SiteFixture::new()
        .article(
            "water",
            "title: Water for all\ndate: 2026-01-27\ncategories: [News, Ecocide]\nread_time: 4.3",
            "First paragraph.\n\n## A section\n\nMore.",
        )
        .build();
    let page = site.html("articles/water/index.html");
    assert_eq!(page.text("h1"), "Water for all");
    assert_eq!(page.text(".article .read-time"), "4.3 min read");
    assert_eq!(page.texts(".article-header .label"), ["News", "Ecocide"]);
    assert_eq!(
        page.attrs(".article-header .label", "href"),
        ["/category/news/", "/category/ecocide/"]
    );
}

/// The seed's trafficking article, with every front matter field set.
const FULL_FRONT_MATTER: &str = r#"title: Global operation safeguards 4,400 people at risk of trafficking
date: 2026-01-27
updated: 2026-01-28T10:15:00Z
slug: liberterra-iii
summary: Police in 119 countries joined a coordinated push.
author: Jane Doe
categories: [Human Trafficking, News]
tags: [interpol, migrant smuggling]
image: { src: hero.jpg, alt: "Officers at a port at dawn" }
read_time: 4.3
source:
  name: Associated Press
  url: https://example.com/story
  date: 2026-01-26
  note: Figures are *not* independently verified.
faq:
  - question: What was the operation?
    answer: A **coordinated** action across [119 countries](https://example.com/map).
  - question: How many arrests?
    answer: "3,744."
draft: false
extra:
  kicker: Exclusive"#;

const FULL_BODY: &str = "More than 4,400 people were taken out of harm's way.

## Who was affected

Text.

## Who was affected

More text.
";

fn full_site() -> crate::support::BuiltFixture {
    SiteFixture::new()
        .file(
            "content/articles/liberterra/index.md",
            &format!("---\n{FULL_FRONT_MATTER}\n---\n{FULL_BODY}"),
        )
        .bytes(
            "content/articles/liberterra/hero.jpg",
            b"\xff\xd8not really a jpeg",
        )
        .build()
}

#[test]
fn every_front_matter_field_shows_on_the_article_page() {
    let site = full_site();
    let page = site.html("articles/liberterra-iii/index.html");
    // Categories: labels linking to their pages, in front matter order.
    assert_eq!(
        page.texts(".article-header .label"),
        ["Human Trafficking", "News"]
    );
    assert_eq!(
        page.attrs(".article-header .label", "href"),
        ["/category/human-trafficking/", "/category/news/"]
    );
    assert_eq!(
        page.text("h1"),
        "Global operation safeguards 4,400 people at risk of trafficking"
    );
    // Date and updated, machine-readable and human.
    assert_eq!(
        page.attrs(".article-header time", "datetime"),
        ["2026-01-27", "2026-01-28T10:15:00+00:00"]
    );
    assert_eq!(
        page.texts(".article-header time"),
        ["27 January 2026", "28 January 2026"]
    );
    assert_eq!(page.text(".article-header .author"), "By Jane Doe");
    assert_eq!(page.text(".article-header .read-time"), "4.3 min read");
    assert_eq!(
        page.text(".standfirst"),
        "Police in 119 countries joined a coordinated push."
    );
    assert_eq!(
        page.attrs("meta[name=description]", "content"),
        ["Police in 119 countries joined a coordinated push."]
    );
    // The image, resolved beside the article, with its alt text.
    assert_eq!(
        page.attrs(".hero img", "src"),
        ["/articles/liberterra-iii/hero.jpg"]
    );
    assert_eq!(
        page.attrs(".hero img", "alt"),
        ["Officers at a port at dawn"]
    );
    // Body with de-duplicated heading ids.
    assert_eq!(
        page.texts(".body p").first().map(String::as_str),
        Some("More than 4,400 people were taken out of harm’s way.")
    );
    assert_eq!(
        page.attrs(".body h2", "id"),
        ["who-was-affected", "who-was-affected-1"]
    );
    // Tags link to their pages.
    assert_eq!(
        page.texts(".tags a[rel=tag]"),
        ["interpol", "migrant smuggling"]
    );
    assert_eq!(
        page.attrs(".tags a[rel=tag]", "href"),
        ["/tags/interpol/", "/tags/migrant-smuggling/"]
    );
}

#[test]
fn faq_answers_are_rendered_markdown() {
    let site = full_site();
    let page = site.html("articles/liberterra-iii/index.html");
    assert_eq!(
        page.texts(".faq summary"),
        ["What was the operation?", "How many arrests?"]
    );
    assert_eq!(page.text(".faq .answer strong"), "coordinated");
    assert_eq!(
        page.attrs(".faq .answer a", "href"),
        ["https://example.com/map"]
    );
    assert_eq!(page.texts(".faq .answer")[1], "3,744.");
}

#[test]
fn source_note_has_name_link_date_and_markdown_note() {
    let site = full_site();
    let page = site.html("articles/liberterra-iii/index.html");
    assert!(
        page.text(".source-note")
            .contains("based on reporting by Associated Press"),
        "{}",
        page.text(".source-note")
    );
    assert_eq!(
        page.attrs(".source-note a", "href"),
        ["https://example.com/story"]
    );
    assert_eq!(page.attrs(".source-note time", "datetime"), ["2026-01-26"]);
    assert_eq!(page.text(".source-note time"), "26 January 2026");
    assert_eq!(page.text(".source-note .note em"), "not");
}

#[test]
fn newsletter_form_is_labelled_and_posts_to_the_action() {
    let site = full_site();
    let page = site.html("articles/liberterra-iii/index.html");
    assert_eq!(page.text(".newsletter h2"), "Sign Up to our Newsletter");
    assert_eq!(
        page.attrs(".newsletter form", "action"),
        ["https://lists.example.org/subscribe"]
    );
    assert_eq!(page.attrs(".newsletter form", "method"), ["post"]);
    let email_ids = page.attrs(".newsletter input[type=email]", "id");
    assert_eq!(email_ids.len(), 1);
    assert_eq!(page.attrs(".newsletter label", "for"), email_ids);
    assert_eq!(
        page.attrs(".newsletter input[type=hidden]", "name"),
        ["list"]
    );
    assert_eq!(
        page.attrs(".newsletter input[type=hidden]", "value"),
        ["weekly-briefing"]
    );
    assert_eq!(page.text(".newsletter button"), "Sign up");
}

#[test]
fn category_sections_and_go_to_top_are_on_every_article() {
    let site = full_site();
    let page = site.html("articles/liberterra-iii/index.html");
    assert_eq!(
        page.texts("section[aria-labelledby=categories-heading] h3"),
        ["Human Trafficking", "Social Innovation", "Ecocide", "News"]
    );
    assert_eq!(
        page.texts("section[aria-labelledby=categories-heading] li p"),
        [
            "Trafficking coverage.",
            "New ways of organising.",
            "Destruction of ecosystems.",
            "The latest."
        ]
    );
    assert_eq!(
        page.attrs("section[aria-labelledby=categories-heading] h3 a", "href")[0],
        "/category/human-trafficking/"
    );
    let top = page.attrs("a.go-top", "href");
    assert_eq!(top, ["#top"]);
    assert_eq!(page.count("#top"), 1, "the go-to-top target exists");
}

#[test]
fn author_list_and_default_summary_from_first_paragraph() {
    let site = SiteFixture::new()
        .article(
            "duo",
            "title: Two voices\ndate: 2026-02-01\nauthor: [Jane Doe, Ali Khan]",
            "# Heading first\n\nA *lead* with [a link](https://example.com) and `code`.\n\nSecond paragraph.\n",
        )
        .build();
    let page = site.html("articles/duo/index.html");
    assert_eq!(page.text(".author"), "By Jane Doe, Ali Khan");
    assert_eq!(page.text(".standfirst"), "A lead with a link and code.");
    assert_eq!(
        page.attrs("meta[name=description]", "content"),
        ["A lead with a link and code."]
    );
    // No image, FAQ, source or tags given: their blocks are absent, not empty.
    for absent in [".hero", ".faq", ".source-note", ".tags"] {
        assert_eq!(page.count(absent), 0, "{absent}");
    }
}

#[test]
fn read_time_is_computed_from_words_per_minute() {
    let config = format!("words_per_minute = 100\n{BASIC_CONFIG}");
    let words = vec!["word"; 430].join(" ");
    let code = "\n\n```rust\nlet these = words_are_not_counted; one two three four five;\n```\n";
    let site = SiteFixture::new()
        .config(&config)
        .article(
            "long",
            "title: Long\ndate: 2026-01-01",
            &format!("{words}{code}"),
        )
        .article(
            "short",
            "title: Short\ndate: 2026-01-02",
            "Just five words here, friends.",
        )
        .build();
    assert_eq!(
        site.html("articles/long/index.html")
            .text(".article-header .read-time"),
        "4.3 min read"
    );
    assert_eq!(
        site.html("articles/short/index.html")
            .text(".article-header .read-time"),
        "0.1 min read"
    );
}

#[test]
fn japanese_read_time_counts_characters() {
    // 2,150 characters at 500 a minute: 4.3 minutes, not 10.8 (characters taken as words).
    let body = "日本語の記事です。".repeat(240);
    let chars: usize = body.chars().filter(|c| *c != '。').count();
    assert_eq!(chars, 1920);
    let body = format!("{body}{}", "あ".repeat(2150 - chars));
    let site = SiteFixture::new()
        .article(
            "nihongo",
            "title: 日本語\ndate: 2026-01-01\nslug: nihongo",
            &body,
        )
        .build();
    assert_eq!(
        site.html("articles/nihongo/index.html")
            .text(".article-header .read-time"),
        "4.3 min read"
    );
}

#[test]
fn more_in_first_category_lists_newest_others() {
    let mut f = SiteFixture::new();
    for (slug, day, cat) in [
        ("a", 1, "Ecocide"),
        ("b", 2, "Ecocide"),
        ("c", 3, "Ecocide"),
        ("d", 4, "Ecocide"),
        ("e", 5, "Social Innovation"),
        ("f", 6, "Ecocide"),
    ] {
        f = f.article(
            slug,
            &format!("title: Story {slug}\ndate: 2026-03-0{day}\ncategories: [{cat}]"),
            "Body.",
        );
    }
    f = f.article(
        "main",
        "title: Main\ndate: 2026-03-04\ncategories: [Ecocide, News]",
        "Body.",
    );
    let site = f.build();
    let page = site.html("articles/main/index.html");
    assert_eq!(page.text(".more-in h2"), "More in Ecocide");
    // Newest first; the article itself is never listed; ties (d and main share a date) by slug.
    assert_eq!(
        page.texts(".more-in .card h3"),
        ["Story f", "Story d", "Story c"]
    );
    assert_eq!(
        page.attrs(".more-in .card h3 a", "href"),
        ["/articles/f/", "/articles/d/", "/articles/c/"]
    );
    // An article alone in its category has no "More in" block.
    let lonely = site.html("articles/e/index.html");
    assert_eq!(lonely.count(".more-in"), 0);
}

#[test]
fn code_is_highlighted_with_classes_and_unknown_languages_fall_back() {
    let site = SiteFixture::new()
        .article(
            "code",
            "title: Code\ndate: 2026-01-01",
            "```rust\nfn main() { let x = 1; }\n```\n\n```nosuchlang\n<b>kept & escaped</b>\n```\n\n    indented\n",
        )
        .article("plain", "title: Plain\ndate: 2026-01-02", "No code.")
        .build();
    let page = site.html("articles/code/index.html");
    assert_eq!(page.count("pre"), 3);
    assert!(
        page.count("pre code.language-rust span[class^=hl-]") > 0,
        "rust tokens carry hl- classes"
    );
    assert_eq!(page.count("pre [style]"), 0, "classes, never inline styles");
    assert_eq!(
        page.texts("pre code.language-nosuchlang"),
        ["<b>kept & escaped</b>"]
    );
    assert_eq!(page.count("pre code.language-nosuchlang b"), 0);
    // The highlighting stylesheet is generated once (light and dark) for themes that link `site.syntax_css`;
    // the default theme styles code with its own few AA-contrast rules instead.
    let syntax = site
        .fingerprinted("syntax", "css")
        .expect("syntax stylesheet written");
    let css = site.text(&syntax);
    assert!(css.contains(".hl-"), "stylesheet uses the class prefix");
    assert!(css.contains("prefers-color-scheme: dark"));
    let style = site.fingerprinted("style", "css").unwrap();
    assert_eq!(
        page.attrs("link[rel=stylesheet]", "href"),
        [format!("/{style}")]
    );
}

#[test]
fn markdown_extensions_render() {
    let body = "\
| Country | Arrests |
|---------|--------:|
| A       | 10      |

A claim[^src] and ~~old~~ text, \"quoted\" -- dashed... and another[^two] and again[^src].

- [x] done
- [ ] to do

[^src]: The source.
[^two]: Second note.

Last paragraph.
";
    let site = SiteFixture::new()
        .article("md", "title: Markdown\ndate: 2026-01-01", body)
        .build();
    let page = site.html("articles/md/index.html");
    assert_eq!(page.texts(".body table th"), ["Country", "Arrests"]);
    assert_eq!(page.texts(".body table td"), ["A", "10"]);
    assert_eq!(page.text(".body del"), "old");
    assert_eq!(page.count(".body input[type=checkbox]"), 2);
    assert_eq!(page.count(".body input[type=checkbox][checked]"), 1);
    let claim = page.texts(".body p")[0].clone();
    assert!(
        claim.contains("“quoted” – dashed…"),
        "smart punctuation: {claim}"
    );
    // Footnotes: numbered by first reference, collected at the very bottom, with back-links.
    assert_eq!(page.texts(".body sup.footnote-ref a"), ["1", "2", "1"]);
    let refs = page.attrs(".body sup.footnote-ref a", "href");
    assert_eq!(refs, ["#fn-src", "#fn-two", "#fn-src"]);
    assert_eq!(
        page.attrs(".body .footnotes li", "id"),
        ["fn-src", "fn-two"]
    );
    assert_eq!(
        page.attrs(".body .footnotes a.footnote-backref", "href"),
        ["#fnref-src", "#fnref-src-2", "#fnref-two"]
    );
    for target in ["fnref-src", "fnref-src-2", "fnref-two"] {
        assert_eq!(page.count(&format!("#{target}")), 1, "{target}");
    }
    let last = page.inner_html(".body");
    assert!(
        last.find("Last paragraph").unwrap() < last.find("footnotes").unwrap(),
        "footnotes come after the last paragraph"
    );
}

#[test]
fn links_between_markdown_files_resolve_to_urls() {
    let site = SiteFixture::new()
        .article(
            "news/one",
            "title: One\ndate: 2026-01-01",
            "[two](../two.md) [three faq](../three/index.md#faq) [about](../../pages/about.md) [web](https://example.com) [root](/about/)",
        )
        .article("two", "title: Two\ndate: 2026-01-02\nslug: second", "Body.")
        .file(
            "content/articles/three/index.md",
            "---\ntitle: Three\ndate: 2026-01-03\n---\n## FAQ\n",
        )
        .file("content/pages/about.md", "---\ntitle: About us\n---\nWho we are.")
        .build();
    let page = site.html("articles/one/index.html");
    assert_eq!(
        page.attrs(".body a", "href"),
        [
            "/articles/second/",
            "/articles/three/#faq",
            "/about/",
            "https://example.com",
            "/about/"
        ]
    );
}

/// Seven articles, dated 1 to 7 March, with a tie on the 5th (slugs `e-tie` and `e-alpha`).
fn listing_site() -> crate::support::BuiltFixture {
    let mut f = SiteFixture::new();
    for (slug, day, cats, tags) in [
        ("a", 1, "[News]", "[water]"),
        ("b", 2, "[News, Ecocide]", "[water]"),
        ("c", 3, "[Ecocide]", "[water, Rivers]"),
        ("d", 4, "[News]", "[]"),
        ("e-tie", 5, "[News]", "[water]"),
        ("e-alpha", 5, "[News]", "[water]"),
        ("g", 7, "[Ecocide]", "[]"),
    ] {
        f = f.article(
            slug,
            &format!("title: Story {slug}\ndate: 2026-03-0{day}\ncategories: {cats}\ntags: {tags}"),
            "Body.",
        );
    }
    f.build()
}

#[test]
fn home_page_lists_newest_first_and_paginates() {
    let site = listing_site();
    // paginate = 2 in BASIC_CONFIG: 7 articles -> 4 pages.
    let titles = |rel: &str| site.html(rel).texts("main .card h3");
    assert_eq!(titles("index.html"), ["Story g", "Story e-alpha"]);
    assert_eq!(titles("page/2/index.html"), ["Story e-tie", "Story d"]);
    assert_eq!(titles("page/3/index.html"), ["Story c", "Story b"]);
    assert_eq!(titles("page/4/index.html"), ["Story a"]);
    assert!(!site.exists("page/5/index.html"));
    assert!(!site.exists("page/1/index.html"), "page 1 is the home page");
    let p2 = site.html("page/2/index.html");
    assert_eq!(p2.attrs(".pagination a[rel=prev]", "href"), ["/"]);
    assert_eq!(p2.attrs(".pagination a[rel=next]", "href"), ["/page/3/"]);
    assert_eq!(p2.text(".pagination span"), "Page 2 of 4");
    let p1 = site.html("index.html");
    assert_eq!(p1.count(".pagination a[rel=prev]"), 0);
    assert_eq!(p1.text(".lead .card h3"), "Story g", "the newest leads");
}

#[test]
fn category_pages_hold_their_articles_in_order() {
    let site = listing_site();
    let news = site.html("category/news/index.html");
    assert_eq!(news.text("h1"), "News");
    assert_eq!(news.text(".listing-header .description"), "The latest.");
    assert_eq!(news.texts(".card h3"), ["Story e-alpha", "Story e-tie"]);
    assert_eq!(
        site.html("category/news/page/2/index.html")
            .texts(".card h3"),
        ["Story d", "Story b"]
    );
    assert_eq!(
        site.html("category/news/page/3/index.html")
            .texts(".card h3"),
        ["Story a"]
    );
    assert!(!site.exists("category/news/page/4/index.html"));
    assert_eq!(
        site.html("category/ecocide/index.html").texts(".card h3"),
        ["Story g", "Story c"]
    );
    // A declared category without articles still has its page.
    let empty = site.html("category/human-trafficking/index.html");
    assert_eq!(empty.text("h1"), "Human Trafficking");
    assert_eq!(empty.count(".card"), 0);
    assert_eq!(
        empty.text(".listing p:not(.description)"),
        "No articles yet."
    );
    assert!(site.exists("category/social-innovation/index.html"));
}

#[test]
fn tag_pages_hold_their_articles_in_order() {
    let site = listing_site();
    let water = site.html("tags/water/index.html");
    assert_eq!(water.text("h1"), "Tagged “water”");
    assert_eq!(water.texts(".card h3"), ["Story e-alpha", "Story e-tie"]);
    assert_eq!(
        site.html("tags/water/page/2/index.html").texts(".card h3"),
        ["Story c", "Story b"]
    );
    assert_eq!(
        site.html("tags/water/page/3/index.html").texts(".card h3"),
        ["Story a"]
    );
    assert_eq!(
        site.html("tags/rivers/index.html").texts(".card h3"),
        ["Story c"]
    );
    assert_eq!(site.report.tags, 2);
}

#[test]
fn standalone_pages_and_404() {
    let site = SiteFixture::new()
        .article("story", "title: Story\ndate: 2026-01-01", "Body.")
        .file(
            "content/pages/about.md",
            "---\ntitle: About us\n---\nWe are **independent**.",
        )
        .file(
            "content/pages/donate.md",
            "---\ntitle: Donate\nslug: give\n---\nHelp.",
        )
        .build();
    let about = site.html("about/index.html");
    assert_eq!(about.text("h1"), "About us");
    assert_eq!(about.text(".page .body strong"), "independent");
    assert_eq!(site.html("give/index.html").text("h1"), "Donate");
    // Pages are not articles: no listing shows them.
    assert_eq!(site.html("index.html").texts(".card h3"), ["Story"]);
    assert_eq!(
        site.html("index.html").attrs("footer nav a", "href"),
        ["/about/", "/give/"]
    );
    let missing = site.html("404.html");
    assert_eq!(missing.text("h1"), "Page not found");
    assert_eq!(missing.texts(".card h3"), ["Story"]);
    assert_eq!(site.report.pages, 2);
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let fixture = || {
        SiteFixture::new()
            .article(
                "public",
                "title: Public\ndate: 2026-01-01\ncategories: [News]",
                "Body.",
            )
            .article(
                "secret",
                "title: Secret\ndate: 2026-01-02\ndraft: true\ncategories: [News]",
                "Body.",
            )
    };
    let site = fixture().build();
    assert!(!site.exists("articles/secret/index.html"));
    assert_eq!(site.html("index.html").texts(".card h3"), ["Public"]);
    assert_eq!(
        site.html("category/news/index.html").texts(".card h3"),
        ["Public"]
    );
    assert_eq!(site.report.drafts_held, 1);
    assert_eq!(site.report.articles, 1);

    let with = fixture().build_with(|o| o.drafts = true);
    assert!(with.exists("articles/secret/index.html"));
    assert_eq!(
        with.html("index.html").texts(".card h3"),
        ["Secret", "Public"]
    );
    assert_eq!(with.report.drafts_held, 0);
}

#[test]
fn future_articles_are_held_back_unless_asked_for() {
    // The fixture's "now" is 2026-06-01T00:00:00Z.
    let fixture = || {
        SiteFixture::new()
            .article("past", "title: Past\ndate: 2026-05-30T12:00:00Z", "Body.")
            .article(
                "soon",
                "title: Soon\ndate: 2026-06-01 01:00:00 +02:00",
                "Body.",
            )
            .article("later", "title: Later\ndate: 2027-01-01", "Body.")
    };
    let site = fixture().build();
    assert_eq!(
        site.report.future_held, 1,
        "01:00 +02:00 is 23:00 UTC the day before"
    );
    assert!(!site.exists("articles/later/index.html"));
    assert_eq!(site.html("index.html").texts(".card h3"), ["Soon", "Past"]);
    let with = fixture().build_with(|o| o.future = true);
    assert_eq!(with.report.future_held, 0);
    assert_eq!(with.html("index.html").texts(".card h3"), ["Later", "Soon"]);
}

/// Every internal URL of every HTML file under the output starts with `prefix`.
fn assert_internal_links_under(site: &crate::support::BuiltFixture, prefix: &str, origin: &str) {
    let mut checked = 0;
    for rel in site.html_files() {
        for url in site.html(&rel).urls() {
            if url.starts_with('#') || url.starts_with("mailto:") {
                continue;
            }
            if let Some(rest) = url.strip_prefix(origin) {
                assert!(rest.starts_with(prefix), "{rel}: {url}");
            } else if url.starts_with('/') {
                assert!(url.starts_with(prefix), "{rel}: {url}");
                checked += 1;
            }
        }
    }
    assert!(checked > 50, "only {checked} internal links checked");
}

fn linked_site(config: &str) -> SiteFixture {
    SiteFixture::new()
        .config(config)
        .file(
            "content/articles/with-image/index.md",
            "---\ntitle: Pictured\ndate: 2026-01-02\ncategories: [News]\ntags: [water]\nimage: { src: hero.jpg, alt: A river }\n---\n[other](../plain.md), [about](/about/), [abs page](../../pages/about.md)\n\n![inline](hero.jpg)\n\n```rust\nfn x() {}\n```\n",
        )
        .bytes("content/articles/with-image/hero.jpg", b"jpg")
        .article(
            "plain",
            "title: Plain\ndate: 2026-01-01\ncategories: [News, Ecocide]\nimage: { src: /img/site.png, alt: Logo }",
            "Body.",
        )
        .file("content/pages/about.md", "---\ntitle: About\n---\nUs.")
}

#[test]
fn sub_path_base_url_prefixes_every_internal_link() {
    let config = BASIC_CONFIG.replace(
        "base_url = \"https://example.org/\"",
        "base_url = \"https://org.github.io/site/\"",
    ) + "\n[[menu]]\nname = \"About\"\nurl = \"/about/\"\n";
    let site = linked_site(&config).build();
    assert_internal_links_under(&site, "/site/", "https://org.github.io");
    let page = site.html("articles/with-image/index.html");
    assert_eq!(
        page.attrs("link[rel=canonical]", "href"),
        ["https://org.github.io/site/articles/with-image/"]
    );
    assert_eq!(
        page.attrs(".hero img", "src"),
        ["/site/articles/with-image/hero.jpg"]
    );
    assert_eq!(
        page.attrs(".body a", "href"),
        ["/site/articles/plain/", "/site/about/", "/site/about/"]
    );
    // Output paths do not include the sub-path: the host serves the folder at /site/.
    assert!(site.exists("articles/with-image/index.html"));
}

#[test]
fn base_url_option_overrides_site_toml() {
    let site = linked_site(BASIC_CONFIG)
        .build_with(|o| o.base_url = Some("https://preview.example.net/pr-7".into()));
    assert_internal_links_under(&site, "/pr-7/", "https://preview.example.net");
    assert_eq!(
        site.html("index.html").attrs("link[rel=canonical]", "href"),
        ["https://preview.example.net/pr-7/"]
    );
}

#[test]
fn site_template_replaces_the_theme_template() {
    let site = SiteFixture::new()
        .article("story", "title: Story\ndate: 2026-01-01", "Body.")
        .file(
            "templates/article.html",
            "<!doctype html><html><body><h1 class=\"custom\">{{ article.title | upper }}</h1></body></html>",
        )
        .build();
    let page = site.html("articles/story/index.html");
    assert_eq!(page.text("h1.custom"), "STORY");
    assert_eq!(
        page.count(".newsletter"),
        0,
        "the theme's article is not used"
    );
    // Other templates still come from the theme.
    assert_eq!(site.html("index.html").count(".card"), 1);
}

#[test]
fn site_template_can_extend_the_theme_and_override_one_block() {
    let site = full_site_with(&[(
        "templates/article.html",
        "{% extends \"theme/article.html\" %}\n{% block title %}{{ article.extra.kicker }}: {{ article.title }}{% endblock title %}\n",
    )]);
    let page = site.html("articles/liberterra-iii/index.html");
    assert_eq!(
        page.text("title"),
        "Exclusive: Global operation safeguards 4,400 people at risk of trafficking"
    );
    // Everything else of the theme's article is kept.
    assert_eq!(page.count(".faq details"), 2);
    assert_eq!(page.count(".newsletter form"), 1);
}

#[test]
fn site_partial_overrides_the_theme_partial() {
    let site = full_site_with(&[(
        "templates/partials/newsletter.html",
        "<section class=\"my-newsletter\"><h2>Join {{ site.title }}</h2></section>",
    )]);
    let page = site.html("articles/liberterra-iii/index.html");
    assert_eq!(page.text(".my-newsletter h2"), "Join Field Notes");
    assert_eq!(page.count(".newsletter"), 0);
}

#[test]
fn a_theme_folder_in_the_site_is_used() {
    let config = format!("theme = \"plain\"\n{BASIC_CONFIG}");
    let mut f = SiteFixture::new()
        .config(&config)
        .article("story", "title: Story\ndate: 2026-01-01", "Body.")
        .file("themes/plain/static/css/plain.css", "body{}");
    for t in ["article", "category", "tag", "index", "page", "404"] {
        f = f.file(
            &format!("themes/plain/templates/{t}.html"),
            &format!("<p class=\"tpl\">{t}</p>"),
        );
    }
    let site = f.build();
    assert_eq!(
        site.html("articles/story/index.html").text(".tpl"),
        "article"
    );
    assert_eq!(site.text("css/plain.css"), "body{}");
    assert!(
        !site.exists("style.css"),
        "the default theme is not mixed in"
    );
}

fn full_site_with(files: &[(&str, &str)]) -> crate::support::BuiltFixture {
    let mut f = SiteFixture::new().file(
        "content/articles/liberterra/index.md",
        &format!("---\n{FULL_FRONT_MATTER}\n---\n{FULL_BODY}"),
    );
    for (rel, text) in files {
        f = f.file(rel, text);
    }
    f.build()
}

#[test]
fn extra_maps_reach_templates() {
    let config = format!("{BASIC_CONFIG}\n[extra]\ntagline = \"Reporting that matters\"\n");
    let site = SiteFixture::new()
        .config(&config)
        .article(
            "story",
            "title: Story\ndate: 2026-01-01\nextra:\n  kicker: Exclusive\n  sponsors: [A, B]",
            "Body.",
        )
        .file(
            "templates/article.html",
            "{% extends \"theme/article.html\" %}{% block head %}<meta name=\"kicker\" content=\"{{ article.extra.kicker }}\"><meta name=\"sponsors\" content=\"{{ article.extra.sponsors | join(sep='+') }}\"><meta name=\"tagline\" content=\"{{ site.extra.tagline }}\">{% endblock head %}",
        )
        .build();
    let page = site.html("articles/story/index.html");
    assert_eq!(page.attrs("meta[name=kicker]", "content"), ["Exclusive"]);
    assert_eq!(page.attrs("meta[name=sponsors]", "content"), ["A+B"]);
    assert_eq!(
        page.attrs("meta[name=tagline]", "content"),
        ["Reporting that matters"]
    );
}

#[test]
fn front_matter_text_is_escaped_in_html() {
    let site = SiteFixture::new()
        .article(
            "xss",
            "title: \"<script>alert(1)</script> & co\"\ndate: 2026-01-01\nsummary: '\"><img src=x onerror=alert(1)>'\nimage: { src: a.jpg, alt: '\" onload=\"alert(1)' }",
            "Body.",
        )
        .build();
    let page = site.html("articles/xss/index.html");
    assert_eq!(page.text("h1"), "<script>alert(1)</script> & co");
    assert_eq!(page.count("main script"), 0);
    assert_eq!(page.count("img[onerror], img[onload]"), 0);
    assert_eq!(page.attrs(".hero img", "alt"), ["\" onload=\"alert(1)"]);
}

#[test]
fn a_thousand_article_site_builds() {
    let config = BASIC_CONFIG.replace("paginate = 2", "paginate = 20");
    let mut f = SiteFixture::new().config(&config);
    let cats = ["Human Trafficking", "Social Innovation", "Ecocide", "News"];
    for i in 0..1000 {
        let code = if i % 100 == 0 {
            "\n\n```python\nprint('hello')\n```\n"
        } else {
            ""
        };
        f = f.article(
            &format!("gen/{:04}", i),
            &format!(
                "title: Generated story {i}\ndate: 2025-{:02}-{:02}\ncategories: [{}]\ntags: [tag{}, common]",
                i % 12 + 1,
                i % 28 + 1,
                cats[i % 4],
                i % 50
            ),
            &format!(
                "Paragraph {i} about [another](../gen/{:04}.md).\n\n## Section\n\nMore words here.{code}",
                (i + 1) % 1000
            ),
        );
    }
    let site = f.build();
    assert_eq!(site.report.articles, 1000);
    assert_eq!(site.report.categories, 4);
    assert_eq!(site.report.tags, 51);
    assert!(
        site.report.warnings.is_empty(),
        "{:?}",
        site.report.warnings
    );
    assert!(site.exists("articles/0999/index.html"));
    assert!(site.exists("page/50/index.html"));
    assert!(!site.exists("page/51/index.html"));
    assert!(site.exists("tags/common/page/50/index.html"));
    assert!(site.exists("category/news/page/13/index.html"));
    assert_eq!(
        site.html("articles/0000/index.html")
            .attrs(".body a", "href"),
        ["/articles/0001/"]
    );
}

#[test]
fn ids_on_an_article_page_are_unique() {
    // Body headings named like the page's own landmarks must not steal their ids.
    let site = SiteFixture::new()
        .article(
            "ids",
            "title: Ids\ndate: 2026-01-01\nfaq:\n  - question: Q?\n    answer: A.\nsource:\n  name: AP",
            "## Main\n\n## Top\n\n## FAQ\n\n## Source note\n\n## More in heading\n\nText[^1].\n\n[^1]: Note.\n",
        )
        .build();
    let page = site.html("articles/ids/index.html");
    let ids = page.attrs("[id]", "id");
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(ids.len(), unique.len(), "duplicate ids: {ids:?}");
    // The landmarks keep theirs: the skip link, "Go to top" and `#faq` links still land right.
    assert_eq!(page.attrs("main", "id"), ["main"]);
    assert_eq!(page.attrs("section.faq h2", "id"), ["faq"]);
    assert_eq!(page.attrs(".site-header", "id"), ["top"]);
}

#[test]
fn cards_in_listings_show_date_read_time_summary_and_labels() {
    let site = SiteFixture::new()
        .article(
            "story",
            "title: Story\ndate: 2026-01-27\ncategories: [Ecocide, News]\nread_time: 2\nsummary: The standfirst.",
            "Body.",
        )
        .build();
    let home = site.html("index.html");
    assert_eq!(home.text(".card h3"), "Story");
    assert_eq!(home.attrs(".card h3 a", "href"), ["/articles/story/"]);
    assert_eq!(home.attrs(".card time", "datetime"), ["2026-01-27"]);
    assert_eq!(home.text(".card .read-time"), "2.0 min read");
    assert_eq!(home.text(".card .summary"), "The standfirst.");
    assert_eq!(home.texts(".card .label"), ["Ecocide", "News"]);
}

#[test]
fn category_slug_from_site_toml_and_tag_spellings_share_a_page() {
    let config = BASIC_CONFIG.replace(
        "name = \"Human Trafficking\"",
        "name = \"Human Trafficking\"\nslug = \"trafficking\"",
    );
    let site = SiteFixture::new()
        .config(&config)
        .article(
            "a",
            "title: A\ndate: 2026-01-01\ncategories: [Human Trafficking]\ntags: [Migrant Smuggling]",
            "Body.",
        )
        .article(
            "b",
            "title: B\ndate: 2026-01-02\ntags: [migrant smuggling]",
            "Body.",
        )
        .build();
    let a = site.html("articles/a/index.html");
    assert_eq!(
        a.attrs(".article-header .label", "href"),
        ["/category/trafficking/"]
    );
    assert_eq!(
        site.html("category/trafficking/index.html")
            .texts(".card h3"),
        ["A"]
    );
    assert!(!site.exists("category/human-trafficking/index.html"));
    assert_eq!(site.report.tags, 1);
    assert_eq!(
        site.html("tags/migrant-smuggling/index.html")
            .texts(".card h3"),
        ["B", "A"]
    );
}

#[test]
fn header_navigation_marks_the_current_page() {
    let config = format!(
        "{BASIC_CONFIG}\n[[menu]]\nname = \"About\"\nurl = \"/about/\"\n\n[[menu]]\nname = \"Shop\"\nurl = \"https://shop.example.org/\"\n"
    );
    let site = SiteFixture::new()
        .config(&config)
        .file("content/pages/about.md", "---\ntitle: About\n---\nUs.")
        .build();
    let nav = site.html("about/index.html");
    assert_eq!(
        nav.texts(".site-header nav a"),
        [
            "Human Trafficking",
            "Social Innovation",
            "Ecocide",
            "News",
            "About",
            "Shop"
        ]
    );
    assert_eq!(
        nav.attrs(".site-header nav a", "href")[4..],
        ["/about/", "https://shop.example.org/"]
    );
    assert_eq!(nav.text(".site-header a[aria-current=page]"), "About");
    let news = site.html("category/news/index.html");
    assert_eq!(news.text(".site-header a[aria-current=page]"), "News");
}

#[test]
fn every_yaml_timestamp_form_is_accepted() {
    let forms = [
        ("a", "2026-01-27", "2026-01-27"),
        ("b", "2026-01-27T09:30:00Z", "2026-01-27T09:30:00+00:00"),
        ("c", "2026-01-27t09:30:00z", "2026-01-27T09:30:00+00:00"),
        (
            "d",
            "2026-01-27 09:30:00 +01:00",
            "2026-01-27T09:30:00+01:00",
        ),
        (
            "e",
            "2026-01-27T09:30:00.5-05:00",
            "2026-01-27T09:30:00-05:00",
        ),
        ("f", "2026-1-7", "2026-01-07"),
        ("g", "\"2026-01-27\"", "2026-01-27"),
    ];
    let mut f = SiteFixture::new();
    for (slug, date, _) in forms {
        f = f.article(slug, &format!("title: {slug}\ndate: {date}"), "Body.");
    }
    let site = f.build();
    for (slug, _, machine) in forms {
        assert_eq!(
            site.html(&format!("articles/{slug}/index.html"))
                .attrs(".article-header time", "datetime"),
            [machine],
            "{slug}"
        );
    }
}

#[test]
fn bom_and_windows_line_endings_build() {
    let site = SiteFixture::new()
        .file(
            "content/articles/win.md",
            "\u{feff}---\r\ntitle: Windows\r\ndate: 2026-01-01\r\n---\r\nFirst line\r\nsame paragraph.\r\n\r\n## Next\r\n",
        )
        .build();
    let page = site.html("articles/win/index.html");
    assert_eq!(page.text("h1"), "Windows");
    assert_eq!(page.text(".standfirst"), "First line same paragraph.");
    assert_eq!(page.attrs(".body h2", "id"), ["next"]);
}

#[test]
fn raw_html_is_stripped_when_unsafe_html_is_off() {
    let config = format!("unsafe_html = false\n{BASIC_CONFIG}");
    let site = SiteFixture::new()
        .config(&config)
        .article(
            "raw",
            "title: Raw\ndate: 2026-01-01",
            "<script>alert(1)</script>\n\nHello <b onclick=\"x()\">there</b>.\n",
        )
        .build();
    let page = site.html("articles/raw/index.html");
    assert_eq!(page.count(".body script, .body b"), 0);
    assert_eq!(page.text(".body p"), "Hello there.");
}

#[test]
fn the_example_site_builds_cleanly() {
    let out = tempfile::tempdir().unwrap();
    let mut opts = pamphlet::BuildOptions::new(env!("CARGO_MANIFEST_DIR"));
    opts.output = Some(out.path().join("public"));
    opts.now = Some("2100-01-01T00:00:00Z".parse().unwrap());
    let report = pamphlet::build(&opts)
        .unwrap_or_else(|f| panic!("example site failed:\n{}", crate::support::render(&f.0)));
    assert!(
        report.warnings.is_empty(),
        "{}",
        crate::support::render(&report.warnings)
    );
    assert!(report.articles >= 8, "{report:?}");
    assert!(report.drafts_held >= 1, "{report:?}");
    assert_eq!(report.categories, 4);
    let public = out.path().join("public");
    assert!(public.join("about/index.html").is_file());
    assert!(
        crate::support::fingerprinted_in(&public, "syntax", "css").is_some(),
        "an article has code"
    );
    let html = std::fs::read_to_string(public.join("articles/liberterra-iii/index.html")).unwrap();
    let page = crate::support::Page(scraper::Html::parse_document(&html));
    assert!(page.count(".faq details") >= 3);
    assert_eq!(page.count(".source-note"), 1);
    assert_eq!(page.count(".hero img[alt]"), 1);
}

#[cfg(unix)]
#[test]
fn symlinks_in_content_are_not_followed() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.md"),
        "---\ntitle: Secret\ndate: 2026-01-01\n---\nFrom outside the site.",
    )
    .unwrap();
    let f = SiteFixture::new().article("real", "title: Real\ndate: 2026-01-01", "Body.");
    std::fs::create_dir_all(f.root().join("content/articles")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.md"),
        f.root().join("content/articles/linked.md"),
    )
    .unwrap();
    let site = f.build();
    assert!(!site.exists("articles/linked/index.html"));
    assert_eq!(site.report.articles, 1);
    let w = &site.report.warnings;
    assert_eq!(w.len(), 1, "{}", crate::support::render(w));
    assert_eq!(w[0].path.to_str(), Some("content/articles/linked.md"));
    assert!(w[0].message.contains("symbolic link"));
}

#[test]
fn site_static_files_are_copied_and_win_over_the_theme() {
    let site = SiteFixture::new()
        .article("a", "title: A\ndate: 2026-01-27", "Body")
        .file("static/style.css", "body{color:red}")
        .file(
            "static/img/logo.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        )
        .build();
    let style = site.fingerprinted("style", "css").unwrap();
    assert_eq!(site.text(&style), "body{color:red}");
    assert!(!site.exists("style.css"));
    assert!(site.exists("img/logo.svg"));
}
