//! The default theme: the seed's page parts land where readers (and assistive tech) look for them,
//! the stylesheet gets a cache-busting name, and `[extra]` theme settings reach the page safely.

use crate::support::{BASIC_CONFIG, SiteFixture};

const SEED_ARTICLE: &str = r#"title: Operation protects 4,400 people
date: 2026-01-28
author: Newsroom
summary: A coordinated operation across 119 countries.
categories: [Human Trafficking, News]
tags: [interpol]
source:
  name: Associated Press
  url: https://apnews.com/article/x
  date: 2026-01-26
faq:
  - question: What was the operation?
    answer: A two-week police operation.
  - question: How many countries?
    answer: "119."
read_time: 4.3"#;

fn seed_site() -> crate::support::BuiltFixture {
    SiteFixture::new()
        .config(BASIC_CONFIG)
        .article(
            "op",
            SEED_ARTICLE,
            "Intro.\n\n## A coordinated response\n\nBody.",
        )
        .article(
            "older",
            "title: Older story\ndate: 2026-01-01\ncategories: [News]\nsummary: Earlier.",
            "Text.",
        )
        .article(
            "oldest",
            "title: Oldest story\ndate: 2025-12-01\ncategories: [Ecocide]",
            "Text.",
        )
        .build()
}

#[test]
fn article_page_has_every_part_of_the_seed() {
    let site = seed_site();
    let page = site.html("articles/op/index.html");
    assert_eq!(page.text("main h1"), "Operation protects 4,400 people");
    assert_eq!(page.count("h1"), 1);
    assert_eq!(
        page.attrs(".article-header .labels a", "href"),
        ["/category/human-trafficking/", "/category/news/"]
    );
    assert_eq!(page.text(".article-header .author"), "By Newsroom");
    assert_eq!(
        page.attrs(".article-header time", "datetime"),
        ["2026-01-28"]
    );
    assert_eq!(page.text(".article-header .read-time"), "4.3 min read");
    assert_eq!(
        page.text(".standfirst"),
        "A coordinated operation across 119 countries."
    );
    assert_eq!(page.texts(".body h2"), ["A coordinated response"]);
    assert_eq!(
        page.texts(".faq details > summary"),
        ["What was the operation?", "How many countries?"]
    );
    assert_eq!(
        page.attrs(".source-note a", "href"),
        ["https://apnews.com/article/x"]
    );
    assert!(page.text(".source-note p").contains("Associated Press"));
    // The newsletter signup: a real label for a required email field, posting to the configured action.
    assert_eq!(
        page.attrs(".newsletter form", "action"),
        ["https://lists.example.org/subscribe"]
    );
    assert_eq!(page.attrs(".newsletter form", "method"), ["post"]);
    assert_eq!(page.attrs(".newsletter label", "for"), ["newsletter-email"]);
    assert_eq!(page.attrs("#newsletter-email", "type"), ["email"]);
    assert_eq!(page.text(".newsletter button[type=submit]"), "Sign up");
    // Category sections with descriptions, and a way back up.
    assert_eq!(
        page.texts(".site-footer .sections-list h3"),
        ["Human Trafficking", "Social Innovation", "Ecocide", "News"]
    );
    assert_eq!(
        page.texts(".site-footer .sections-list p")[0],
        "Trafficking coverage."
    );
    assert_eq!(page.attrs("a.go-top", "href"), ["#top"]);
    assert_eq!(page.count("#top"), 1);
}

#[test]
fn every_page_has_landmarks_a_skip_link_and_one_h1() {
    let site = seed_site();
    for rel in [
        "index.html",
        "articles/op/index.html",
        "category/news/index.html",
        "tags/interpol/index.html",
        "404.html",
    ] {
        let page = site.html(rel);
        assert_eq!(page.count("h1"), 1, "{rel}");
        assert_eq!(page.attrs("body > a.skip-link", "href"), ["#main"], "{rel}");
        assert_eq!(page.count("main#main"), 1, "{rel}");
        assert_eq!(page.count("body > header"), 1, "{rel}");
        assert_eq!(page.count("body > footer"), 1, "{rel}");
        assert_eq!(
            page.attrs("nav[aria-label=Main]", "aria-label").len(),
            1,
            "{rel}"
        );
        assert_eq!(
            page.count("script:not([type=\"application/ld+json\"])"),
            0,
            "{rel}: the theme ships no JavaScript (structured data is not script)"
        );
    }
}

#[test]
fn home_leads_with_the_newest_story_and_headings_stay_in_order() {
    let site = seed_site();
    let home = site.html("index.html");
    assert_eq!(home.text("h1"), "Field Notes");
    assert_eq!(
        home.texts(".lead .card h3"),
        ["Operation protects 4,400 people"]
    );
    assert_eq!(home.texts(".top-stories h3"), ["Older story"]);
    assert!(home.text(".lead .read-time").ends_with("min read"));
    // paginate = 2: page 2 is a plain grid, linked both ways.
    assert_eq!(home.attrs(".pagination a[rel=next]", "href"), ["/page/2/"]);
    let two = site.html("page/2/index.html");
    assert_eq!(two.count(".lead"), 0);
    assert_eq!(two.texts(".latest h3"), ["Oldest story"]);
    assert_eq!(two.attrs(".pagination a[rel=prev]", "href"), ["/"]);
    // Category pages: h1, then a "Latest" h2, then the cards as h3.
    let cat = site.html("category/news/index.html");
    assert_eq!(cat.text("h1"), "News");
    assert_eq!(cat.text(".listing-header .description"), "The latest.");
    assert_eq!(
        cat.texts("main h2"),
        ["Latest", "Sign Up to our Newsletter"]
    );
    let tag = site.html("tags/interpol/index.html");
    assert_eq!(tag.text("h1"), "Tagged “interpol”");
    assert_eq!(
        cat.texts(".card h3"),
        ["Operation protects 4,400 people", "Older story"]
    );
}

#[test]
fn not_found_page_points_readers_somewhere_useful() {
    let site = seed_site();
    let page = site.html("404.html");
    assert_eq!(page.attrs("meta[name=robots]", "content"), ["noindex"]);
    let links = page.attrs(".next-steps a", "href");
    assert!(links.contains(&"/".to_string()), "{links:?}");
    assert!(
        links.contains(&"/category/ecocide/".to_string()),
        "{links:?}"
    );
    assert_eq!(page.count(".cards .card"), 3);
}

#[test]
fn stylesheet_has_a_content_hashed_name_that_every_page_links() {
    let site = seed_site();
    let hrefs = site
        .html("articles/op/index.html")
        .attrs("link[rel=stylesheet]", "href");
    assert_eq!(hrefs.len(), 1);
    let name = hrefs[0].strip_prefix('/').unwrap();
    let hash = name
        .strip_prefix("style.")
        .and_then(|r| r.strip_suffix(".css"))
        .unwrap();
    assert!(
        hash.len() == 10 && hash.bytes().all(|b| b.is_ascii_hexdigit()),
        "{name}"
    );
    assert!(site.exists(name));
    assert!(!site.exists("style.css"));
    assert!(site.exists("favicon.svg"));
    assert_eq!(
        site.html("index.html")
            .attrs("link[rel=stylesheet]", "href"),
        hrefs
    );
}

#[test]
fn extra_theme_values_become_escaped_custom_properties() {
    let config = format!(
        "{BASIC_CONFIG}\n[extra]\nstylesheet = \"/brand.css\"\n\n[extra.theme]\naccent = \"#0b6e4f\"\nfont-serif = '\"Iowan Old Style\", serif'\nrule = \"#ccc\"\n"
    );
    let site = SiteFixture::new()
        .config(&config)
        .article("a", "title: A\ndate: 2026-01-01", "Text.")
        .build();
    let page = site.html("articles/a/index.html");
    assert_eq!(
        page.attrs("html", "style"),
        ["--accent:#0b6e4f;--font-serif:\"Iowan Old Style\", serif;--rule:#ccc;"]
    );
    assert!(
        site.text("articles/a/index.html")
            .contains("&quot;Iowan Old Style&quot;")
    );
    let sheets = page.attrs("link[rel=stylesheet]", "href");
    assert_eq!(sheets.len(), 2);
    assert_eq!(sheets[1], "/brand.css");
}

#[test]
fn newsletter_hidden_fields_come_out_sorted_so_builds_are_byte_identical() {
    let config = BASIC_CONFIG.replace(
        "list = \"weekly-briefing\"\n",
        "zeta = \"3\"\nalpha = \"1\"\nmid = \"2\"\n",
    );
    let site = SiteFixture::new()
        .config(&config)
        .article("a", "title: A\ndate: 2026-01-01", "Text.")
        .build();
    let page = site.html("index.html");
    assert_eq!(
        page.attrs(".newsletter input[type=hidden]", "name"),
        ["alpha", "mid", "zeta"]
    );
    assert_eq!(
        page.attrs(".newsletter input[type=hidden]", "value"),
        ["1", "2", "3"]
    );
}

#[test]
fn a_sites_card_template_is_rendered_once_per_article_and_shown_on_every_listing() {
    let site = SiteFixture::new()
        .config(BASIC_CONFIG)
        .file(
            "templates/card.html",
            r#"<article class="my-card" data-site="{{ site.title }}"><a href="{{ card.path }}">{{ card.title }}</a></article>"#,
        )
        .article(
            "a",
            "title: First <story>\ndate: 2026-01-02\ncategories: [News]\ntags: [water]",
            "Text.",
        )
        .article(
            "b",
            "title: Second\ndate: 2026-01-01\ncategories: [News]\ntags: [water]",
            "Text.",
        )
        .build();
    for listing in [
        "index.html",
        "category/news/index.html",
        "tags/water/index.html",
    ] {
        let page = site.html(listing);
        assert_eq!(
            page.texts(".my-card a"),
            ["First <story>", "Second"],
            "{listing}"
        );
        assert_eq!(
            page.attrs(".my-card", "data-site"),
            ["Field Notes", "Field Notes"]
        );
    }
    // "More in News" under the first article shows the second one's card.
    let article = site.html("articles/a/index.html");
    assert_eq!(
        article.attrs(".more-in .my-card a", "href"),
        ["/articles/b/"]
    );
}

#[test]
fn a_card_template_that_uses_page_variables_fails_with_its_file_named() {
    let (_site, diags) = SiteFixture::new()
        .config(BASIC_CONFIG)
        .file(
            "templates/card.html",
            "<p>{{ card.title }} on {{ pagination.current }}</p>",
        )
        .article("a", "title: A\ndate: 2026-01-02", "Text.")
        .build_err();
    let errors: Vec<_> = diags.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 1, "one card, one error: {diags:?}");
    assert!(
        errors[0].path.ends_with("templates/card.html"),
        "{:?}",
        errors[0]
    );
}

#[test]
fn a_site_override_of_the_old_card_partial_still_draws_the_cards() {
    // Sites customised the card as `templates/partials/article-card.html` before `card.html`.
    let site = SiteFixture::new()
        .config(BASIC_CONFIG)
        .file(
            "templates/partials/article-card.html",
            r#"<div class="old-card"><a href="{{ card.path }}">{{ card.title }}</a></div>"#,
        )
        .article(
            "a",
            "title: First\ndate: 2026-01-02\ncategories: [News]",
            "Text.",
        )
        .article(
            "b",
            "title: Second\ndate: 2026-01-01\ncategories: [News]",
            "Text.",
        )
        .build();
    assert_eq!(
        site.html("category/news/index.html").texts(".old-card a"),
        ["First", "Second"]
    );
    assert_eq!(site.html("index.html").count("article.card"), 0);
}
