//! Distribution: feeds (parsed by feed-rs), sitemap, robots.txt, JSON-LD and social head tags,
//! including hostile front matter in every output context.

use std::collections::BTreeSet;
use std::path::Path;

use quick_xml::events::Event;
use serde_json::Value;

use crate::support::{BASIC_CONFIG, BuiltFixture, Page, SiteFixture};

/// Front matter text that tries to break out of HTML, attributes, XML, CDATA and `<script>`.
const NASTY: &str = "</script><script>alert(1)</script> <!-- & \"q\" 'q' ]]> \u{2028}end";
/// The same, as a YAML double-quoted string.
const NASTY_YAML: &str = r#""</script><script>alert(1)</script> <!-- & \"q\" 'q' ]]> \u2028end""#;

fn parse_feed(site: &BuiltFixture, rel: &str) -> feed_rs::model::Feed {
    let bytes = std::fs::read(site.out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    feed_rs::parser::parse(bytes.as_slice()).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Every element text named `tag` in an XML document; panics if the XML is not well-formed.
fn xml_texts(xml: &str, tag: &str) -> Vec<String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                current = (e.local_name().as_ref() == tag.as_bytes()).then(String::new)
            }
            Ok(Event::Text(t)) => {
                if let Some(c) = current.as_mut() {
                    c.push_str(&t.decode().unwrap());
                }
            }
            Ok(Event::GeneralRef(r)) => {
                if let Some(c) = current.as_mut() {
                    let name = r.decode().unwrap();
                    c.push_str(match name.as_ref() {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        "apos" => "'",
                        other => panic!("unexpected entity {other}"),
                    });
                }
            }
            Ok(Event::End(_)) => out.extend(current.take()),
            Ok(Event::Eof) => return out,
            Err(e) => panic!("XML error at {}: {e}", reader.error_position()),
            _ => {}
        }
    }
}

/// Every output file (relative, `/`-separated) whose name ends with `suffix`.
fn outputs(site: &BuiltFixture, suffix: &str) -> Vec<String> {
    fn walk(dir: &Path, root: &Path, suffix: &str, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, root, suffix, out);
            } else if p.to_string_lossy().ends_with(suffix) {
                let rel = p.strip_prefix(root).unwrap().to_string_lossy();
                out.push(rel.replace('\\', "/"));
            }
        }
    }
    let mut out = Vec::new();
    walk(&site.out, &site.out, suffix, &mut out);
    out.sort();
    out
}

/// Every JSON-LD block of a page, parsed.
fn json_ld(page: &Page) -> Vec<Value> {
    let sel = scraper::Selector::parse("script[type='application/ld+json']").unwrap();
    page.0
        .select(&sel)
        .map(|e| {
            let t: String = e.text().collect();
            serde_json::from_str(&t).unwrap_or_else(|e| panic!("JSON-LD {e}: {t}"))
        })
        .collect()
}

fn of_type<'a>(blocks: &'a [Value], kind: &str) -> &'a Value {
    blocks
        .iter()
        .find(|b| b["@type"] == kind)
        .unwrap_or_else(|| panic!("no {kind} in {blocks:?}"))
}

fn three_articles() -> SiteFixture {
    SiteFixture::new()
        .article(
            "old",
            "title: Old story\ndate: 2026-01-01\nauthor: [Ana Diaz, Ben Okafor]\ncategories: [News]\ntags: [Water]",
            "Old body.",
        )
        .article(
            "middle",
            "title: Middle story\ndate: 2026-02-01\nupdated: 2026-02-10T09:30:00+01:00\ncategories: [Ecocide]",
            "Middle body with [a link](/about/) and ![hero](hero.png).",
        )
        .article(
            "new",
            "title: New story\ndate: 2026-03-01\nsummary: The standfirst.\ncategories: [News, Ecocide]\ntags: [Water, Rivers]",
            "New body.\n\nSecond paragraph.",
        )
}

#[test]
fn site_feed_is_newest_first_with_full_entries_and_a_limit() {
    let site = three_articles()
        .config(&format!("{BASIC_CONFIG}\n[feeds]\nlimit = 2\n"))
        .build();
    let feed = parse_feed(&site, "atom.xml");
    assert_eq!(feed.title.unwrap().content, "Field Notes");
    let titles: Vec<_> = feed
        .entries
        .iter()
        .map(|e| e.title.as_ref().unwrap().content.clone())
        .collect();
    assert_eq!(titles, ["New story", "Middle story"]);
    let new = &feed.entries[0];
    assert_eq!(new.summary.as_ref().unwrap().content, "The standfirst.");
    let body = new.content.as_ref().unwrap().body.as_deref().unwrap();
    assert!(body.contains("Second paragraph."), "{body}");
    let cats: Vec<_> = new.categories.iter().map(|c| c.term.as_str()).collect();
    assert_eq!(cats, ["news", "ecocide", "water", "rivers"]);
    assert_eq!(new.links[0].href, "https://example.org/articles/new/");
    assert_eq!(new.id, "tag:example.org,2026-03-01:new");
    // `updated` is the later of `updated` and `date`; the feed's is its newest entry's.
    let middle = &feed.entries[1];
    assert_eq!(
        middle.updated.unwrap().to_rfc3339(),
        "2026-02-10T08:30:00+00:00"
    );
    assert_eq!(
        feed.updated.unwrap().to_rfc3339(),
        "2026-03-01T00:00:00+00:00"
    );
    // Feed-level author stands in for entries without a byline.
    assert_eq!(feed.authors[0].name.as_deref(), Some("Field Notes"));
}

#[test]
fn authors_and_relative_links_in_entries() {
    let site = three_articles().build();
    let feed = parse_feed(&site, "atom.xml");
    let old = feed
        .entries
        .iter()
        .find(|e| e.id.ends_with(":old"))
        .unwrap();
    let names: Vec<_> = old
        .authors
        .iter()
        .filter_map(|p| p.name.as_deref())
        .collect();
    assert_eq!(names, ["Ana Diaz", "Ben Okafor"]);
    let middle = feed
        .entries
        .iter()
        .find(|e| e.id.ends_with(":middle"))
        .unwrap();
    let html =
        scraper::Html::parse_fragment(middle.content.as_ref().unwrap().body.as_deref().unwrap());
    let page = Page(html);
    assert_eq!(page.attrs("a", "href"), ["https://example.org/about/"]);
    assert_eq!(
        page.attrs("img", "src"),
        ["https://example.org/articles/middle/hero.png"]
    );
}

#[test]
fn every_feed_parses_and_category_and_tag_feeds_hold_their_articles() {
    let site = three_articles()
        .config(&format!("{BASIC_CONFIG}\n[feeds]\nrss = true\n"))
        .build();
    let atom = outputs(&site, "atom.xml");
    let rss = outputs(&site, "rss.xml");
    assert!(
        atom.contains(&"category/news/atom.xml".to_string()),
        "{atom:?}"
    );
    assert!(
        atom.contains(&"tags/water/atom.xml".to_string()),
        "{atom:?}"
    );
    // One per category (4, even empty ones), per tag (2), and the site's.
    assert_eq!(atom.len(), 7, "{atom:?}");
    assert_eq!(rss.len(), 7, "{rss:?}");
    for rel in atom.iter().chain(&rss) {
        parse_feed(&site, rel);
    }
    let news = parse_feed(&site, "category/news/atom.xml");
    let ids: Vec<_> = news.entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "tag:example.org,2026-03-01:new",
            "tag:example.org,2026-01-01:old"
        ]
    );
    // RSS carries the same stable ids as guids.
    let rss_news = parse_feed(&site, "category/news/rss.xml");
    let rss_ids: Vec<_> = rss_news.entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(rss_ids, ids);
    let water = parse_feed(&site, "tags/water/atom.xml");
    assert_eq!(water.entries.len(), 2);
}

#[test]
fn feeds_are_linked_from_every_page_head() {
    let site = three_articles().build();
    let feed_links = |rel: &str| {
        site.html(rel).attrs(
            "head link[rel=alternate][type='application/atom+xml']",
            "href",
        )
    };
    for rel in [
        "index.html",
        "articles/new/index.html",
        "404.html",
        "page/2/index.html",
    ] {
        assert_eq!(feed_links(rel), ["/atom.xml"], "{rel}");
    }
    assert_eq!(
        feed_links("category/news/index.html"),
        ["/atom.xml", "/category/news/atom.xml"]
    );
    assert_eq!(
        feed_links("tags/water/index.html"),
        ["/atom.xml", "/tags/water/atom.xml"]
    );
    // No RSS links unless RSS is asked for.
    assert_eq!(
        site.html("index.html")
            .count("link[type='application/rss+xml']"),
        0
    );
}

#[test]
fn entry_id_survives_edits_and_slug_renames() {
    let first = SiteFixture::new()
        .article("water", "title: Water\ndate: 2026-01-27", "Body.")
        .build();
    let original = parse_feed(&first, "atom.xml").entries[0].id.clone();
    assert_eq!(original, "tag:example.org,2026-01-27:water");
    // Renamed file and slug, new title, body and update date: `id:` keeps the entry the same.
    let renamed = SiteFixture::new()
        .article(
            "water-for-all",
            "title: Water for all\ndate: 2026-01-27T10:00:00+02:00\nupdated: 2026-02-01\nid: water",
            "A rewritten body.",
        )
        .build();
    let entry = &parse_feed(&renamed, "atom.xml").entries[0];
    assert_eq!(entry.id, original);
    assert_eq!(
        entry.links[0].href,
        "https://example.org/articles/water-for-all/"
    );
    // A full URI is taken as it is (for ids minted elsewhere, e.g. after a date correction).
    let uri = SiteFixture::new()
        .article(
            "water",
            "title: W\ndate: 2026-03-01\nid: \"tag:old.example,2020-01-01:water\"",
            "B",
        )
        .build();
    assert_eq!(
        parse_feed(&uri, "atom.xml").entries[0].id,
        "tag:old.example,2020-01-01:water"
    );
}

#[test]
fn preview_base_url_keeps_entry_ids() {
    let fixture = SiteFixture::new().article("water", "title: W\ndate: 2026-01-27", "B");
    let fixture = fixture.config(BASIC_CONFIG);
    let mut opts = fixture.options();
    opts.base_url = Some("https://preview.example.net/pr-7/".into());
    let built = pamphlet::build_in_memory(&opts).unwrap();
    let atom = built
        .files
        .iter()
        .find(|f| f.rel_path == "atom.xml")
        .unwrap();
    let pamphlet::render::Contents::Bytes(bytes) = &atom.contents else {
        panic!("atom.xml is not generated bytes")
    };
    let xml = String::from_utf8(bytes.clone()).unwrap();
    assert_eq!(xml_texts(&xml, "id")[1], "tag:example.org,2026-01-27:water");
    assert_eq!(
        xml_texts(&xml, "id")[0],
        "https://preview.example.net/pr-7/atom.xml"
    );
}

#[test]
fn duplicate_entry_ids_fail_the_build() {
    let (_site, diags) = SiteFixture::new()
        .article("water", "title: W\ndate: 2026-01-27", "B")
        .article("river", "title: R\ndate: 2026-01-27\nid: water", "B")
        .build_err();
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert!(
        diags[0]
            .message
            .contains("feed id `tag:example.org,2026-01-27:water`"),
        "{}",
        diags[0].message
    );
    assert!(diags[0].message.contains("river.md") || diags[0].message.contains("water.md"));
}

#[test]
fn sub_path_deploy_gets_absolute_urls_from_base_url() {
    let config = BASIC_CONFIG.replace("https://example.org/", "https://org.github.io/site/");
    let site = three_articles().config(&config).build();
    let feed = parse_feed(&site, "atom.xml");
    let self_link = feed
        .links
        .iter()
        .find(|l| l.rel.as_deref() == Some("self"))
        .unwrap();
    assert_eq!(self_link.href, "https://org.github.io/site/atom.xml");
    assert_eq!(
        feed.entries[0].links[0].href,
        "https://org.github.io/site/articles/new/"
    );
    assert_eq!(feed.entries[0].id, "tag:org.github.io,2026-03-01:new");
    let sitemap = site.text("sitemap.xml");
    let locs = xml_texts(&sitemap, "loc");
    assert!(
        locs.iter()
            .all(|l| l.starts_with("https://org.github.io/site/")),
        "{locs:?}"
    );
    assert!(locs.contains(&"https://org.github.io/site/articles/new/".to_string()));
    assert!(
        site.text("robots.txt")
            .contains("Sitemap: https://org.github.io/site/sitemap.xml\n")
    );
    let page = site.html("articles/new/index.html");
    assert_eq!(
        page.attrs("meta[property='og:url']", "content"),
        ["https://org.github.io/site/articles/new/"]
    );
    assert_eq!(
        page.attrs("link[type='application/atom+xml']", "href"),
        ["/site/atom.xml"]
    );
    let blocks = json_ld(&page);
    assert_eq!(
        of_type(&blocks, "NewsArticle")["url"],
        "https://org.github.io/site/articles/new/"
    );
    let middle = parse_feed(&site, "atom.xml")
        .entries
        .into_iter()
        .find(|e| e.id.ends_with(":middle"))
        .unwrap();
    let body = middle.content.unwrap().body.unwrap();
    let links = Page(scraper::Html::parse_fragment(&body));
    assert_eq!(
        links.attrs("a", "href"),
        ["https://org.github.io/site/about/"]
    );
}

#[test]
fn sitemap_lists_every_public_page_with_lastmod() {
    let site = three_articles()
        .file("content/pages/about.md", "---\ntitle: About\n---\nUs.")
        .build();
    let sitemap = site.text("sitemap.xml");
    let locs = xml_texts(&sitemap, "loc");
    let in_sitemap: BTreeSet<String> = locs
        .iter()
        .map(|l| {
            let path = l.strip_prefix("https://example.org/").unwrap();
            format!("{path}index.html")
        })
        .collect();
    let html: BTreeSet<String> = outputs(&site, ".html")
        .into_iter()
        .filter(|p| p != "404.html")
        .collect();
    assert_eq!(in_sitemap, html);
    assert_eq!(locs.len(), in_sitemap.len(), "no duplicates");
    // lastmod: `updated` when newer, else `date`; listings take their newest article's.
    let lastmods: Vec<(String, Option<String>)> = sitemap
        .split("<url>")
        .skip(1)
        .map(|block| {
            let block = format!("<url>{}</url>", block.split("</url>").next().unwrap());
            (
                xml_texts(&block, "loc").remove(0),
                xml_texts(&block, "lastmod").into_iter().next(),
            )
        })
        .collect();
    let get = |loc: &str| {
        lastmods
            .iter()
            .find(|(l, _)| l == loc)
            .unwrap_or_else(|| panic!("{loc} missing"))
            .1
            .clone()
    };
    assert_eq!(
        get("https://example.org/articles/middle/").as_deref(),
        Some("2026-02-10T09:30:00+01:00")
    );
    assert_eq!(
        get("https://example.org/articles/old/").as_deref(),
        Some("2026-01-01")
    );
    assert_eq!(get("https://example.org/").as_deref(), Some("2026-03-01"));
    assert_eq!(get("https://example.org/about/"), None);
    assert_eq!(
        site.text("robots.txt"),
        "User-agent: *\nDisallow:\n\nSitemap: https://example.org/sitemap.xml\n"
    );
}

#[test]
fn sitemap_splits_into_an_index_past_the_limit() {
    let fixture = three_articles().config(BASIC_CONFIG);
    let built = pamphlet::build_in_memory(&fixture.options()).unwrap();
    let all = pamphlet::sitemap::entries(&built.site);
    let files = pamphlet::sitemap::render(&built.site, false, 3).unwrap();
    let text = |name: &str| {
        let f = files.iter().find(|f| f.rel_path == name).unwrap();
        let pamphlet::render::Contents::Bytes(b) = &f.contents else {
            panic!()
        };
        String::from_utf8(b.clone()).unwrap()
    };
    let index = text("sitemap.xml");
    assert!(index.contains("<sitemapindex "), "{index}");
    let parts = xml_texts(&index, "loc");
    assert_eq!(parts.len(), all.len().div_ceil(3));
    let mut seen = Vec::new();
    for (i, loc) in parts.iter().enumerate() {
        let name = format!("sitemap-{}.xml", i + 1);
        assert_eq!(loc, &format!("https://example.org/{name}"));
        let locs = xml_texts(&text(&name), "loc");
        assert!(locs.len() <= 3);
        seen.extend(locs);
    }
    let expected: Vec<String> = all.into_iter().map(|e| e.loc).collect();
    assert_eq!(seen, expected);
    // At the real limit the same site is one plain sitemap.
    let single =
        pamphlet::sitemap::render(&built.site, false, pamphlet::sitemap::MAX_URLS).unwrap();
    assert!(!single.iter().any(|f| f.rel_path.starts_with("sitemap-")));
}

#[test]
fn article_json_ld_and_social_tags() {
    let site = SiteFixture::new()
        .config(&format!(
            "{BASIC_CONFIG}\n[seo]\ntwitter_site = \"@fieldnotes\"\n[publisher]\nname = \"Field Notes Collective\"\ntype = \"NewsMediaOrganization\"\nlogo = \"/logo.png\"\n"
        ))
        .article(
            "water",
            "title: Water for all\ndate: 2026-01-27\nupdated: 2026-01-29\nauthor: Ana Diaz\nsummary: Standfirst.\ncategories: [News, Ecocide]\ntags: [Rivers]\nimage: { src: hero.jpg, alt: A river }\nsource: { name: Associated Press, url: \"https://apnews.com/x\", date: 2026-01-26 }\nfaq:\n  - question: Who?\n    answer: Us.\n  - question: Why?\n    answer: \"Because *rivers* matter.\"",
            "Body text here.",
        )
        .build();
    let page = site.html("articles/water/index.html");
    let meta = |prop: &str| page.attrs(&format!("meta[property='{prop}']"), "content");
    assert_eq!(meta("og:type"), ["article"]);
    assert_eq!(meta("og:title"), ["Water for all"]);
    assert_eq!(meta("og:description"), ["Standfirst."]);
    assert_eq!(meta("og:url"), ["https://example.org/articles/water/"]);
    assert_eq!(
        meta("og:image"),
        ["https://example.org/articles/water/hero.jpg"]
    );
    assert_eq!(
        meta("article:published_time"),
        ["2026-01-27T00:00:00+00:00"]
    );
    assert_eq!(meta("article:section"), ["News", "Ecocide"]);
    assert_eq!(meta("article:tag"), ["Rivers"]);
    let name = |n: &str| page.attrs(&format!("meta[name='{n}']"), "content");
    assert_eq!(name("twitter:card"), ["summary_large_image"]);
    assert_eq!(name("twitter:site"), ["@fieldnotes"]);
    assert_eq!(
        page.attrs("link[rel=canonical]", "href"),
        ["https://example.org/articles/water/"]
    );

    let blocks = json_ld(&page);
    assert_eq!(blocks.len(), 3);
    let article = of_type(&blocks, "NewsArticle");
    // Google's Article properties, and ours.
    assert_eq!(article["headline"], "Water for all");
    assert_eq!(article["datePublished"], "2026-01-27T00:00:00+00:00");
    assert_eq!(article["dateModified"], "2026-01-29T00:00:00+00:00");
    assert_eq!(article["author"][0]["name"], "Ana Diaz");
    assert_eq!(
        article["image"][0],
        "https://example.org/articles/water/hero.jpg"
    );
    assert_eq!(article["publisher"]["name"], "Field Notes Collective");
    assert_eq!(article["publisher"]["@type"], "NewsMediaOrganization");
    assert_eq!(
        article["publisher"]["logo"]["url"],
        "https://example.org/logo.png"
    );
    assert_eq!(
        article["articleSection"],
        serde_json::json!(["News", "Ecocide"])
    );
    assert_eq!(article["isBasedOn"]["url"], "https://apnews.com/x");
    assert_eq!(
        article["isBasedOn"]["publisher"]["name"],
        "Associated Press"
    );
    assert_eq!(article["isBasedOn"]["datePublished"], "2026-01-26");

    let faq = of_type(&blocks, "FAQPage");
    let questions: Vec<_> = faq["mainEntity"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["name"].as_str().unwrap())
        .collect();
    assert_eq!(questions, ["Who?", "Why?"]);
    assert_eq!(faq["mainEntity"][0]["@type"], "Question");
    assert_eq!(faq["mainEntity"][1]["acceptedAnswer"]["@type"], "Answer");
    assert_eq!(
        faq["mainEntity"][1]["acceptedAnswer"]["text"],
        "<p>Because <em>rivers</em> matter.</p>"
    );

    let crumbs = of_type(&blocks, "BreadcrumbList");
    let trail: Vec<_> = crumbs["itemListElement"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["position"].as_u64().unwrap(), c["item"].as_str().unwrap()))
        .collect();
    assert_eq!(
        trail,
        [
            (1, "https://example.org/"),
            (2, "https://example.org/category/news/"),
            (3, "https://example.org/articles/water/")
        ]
    );
}

#[test]
fn svg_images_stay_out_of_social_cards() {
    let site = SiteFixture::new()
        .config(&format!(
            "{BASIC_CONFIG}\n[seo]\nimage = \"/share.png\"\nimage_alt = \"Logo\"\n"
        ))
        .article(
            "water",
            "title: W\ndate: 2026-01-27\nimage: { src: hero.svg, alt: A map }",
            "B",
        )
        .build();
    let page = site.html("articles/water/index.html");
    assert_eq!(
        page.attrs("meta[property='og:image']", "content"),
        ["https://example.org/share.png"]
    );
    assert_eq!(
        of_type(&json_ld(&page), "NewsArticle")["image"][0],
        "https://example.org/articles/water/hero.svg"
    );
}

#[test]
fn faq_schema_can_be_switched_off() {
    let site = SiteFixture::new()
        .config(&format!("{BASIC_CONFIG}\n[seo]\nfaq_schema = false\n"))
        .article(
            "water",
            "title: W\ndate: 2026-01-27\nfaq:\n  - question: Q?\n    answer: A.",
            "B",
        )
        .build();
    let blocks = json_ld(&site.html("articles/water/index.html"));
    assert!(blocks.iter().all(|b| b["@type"] != "FAQPage"), "{blocks:?}");
}

#[test]
fn home_and_category_pages_carry_site_and_breadcrumb_data() {
    let site = three_articles()
        .config(&format!(
            "{BASIC_CONFIG}\n[publisher]\ncorrections_policy = \"/corrections/\"\nethics_policy = \"https://example.org/ethics/\"\nownership_funding_info = \"/about/#funding\"\nsame_as = [\"https://social.example/@fn\"]\n"
        ))
        .build();
    let home = json_ld(&site.html("index.html"));
    let website = of_type(&home, "WebSite");
    assert_eq!(website["name"], "Field Notes");
    assert_eq!(website["url"], "https://example.org/");
    assert_eq!(
        website["publisher"]["@id"],
        "https://example.org/#publisher"
    );
    let org = of_type(&home, "Organization");
    assert_eq!(org["@id"], "https://example.org/#publisher");
    assert_eq!(org["name"], "Field Notes");
    assert_eq!(org["correctionsPolicy"], "https://example.org/corrections/");
    assert_eq!(org["ethicsPolicy"], "https://example.org/ethics/");
    assert_eq!(
        org["ownershipFundingInfo"],
        "https://example.org/about/#funding"
    );
    assert_eq!(org["sameAs"][0], "https://social.example/@fn");
    assert_eq!(
        site.html("index.html")
            .attrs("meta[property='og:type']", "content"),
        ["website"]
    );
    // Later home pages are not the home page.
    assert!(json_ld(&site.html("page/2/index.html")).is_empty());

    let news = json_ld(&site.html("category/news/index.html"));
    let crumbs = of_type(&news, "BreadcrumbList");
    assert_eq!(crumbs["itemListElement"][1]["name"], "News");
    assert_eq!(
        crumbs["itemListElement"][1]["item"],
        "https://example.org/category/news/"
    );
}

#[test]
fn hostile_front_matter_is_inert_in_html_attributes_xml_and_json_ld() {
    // Raw HTML stays allowed in bodies (the default); front matter never gets it.
    let config = format!("{BASIC_CONFIG}\n[feeds]\nrss = true\n");
    let site = SiteFixture::new()
        .config(&config)
        .article(
            "nasty",
            &format!(
                "title: {NASTY_YAML}\ndate: 2026-01-27\nauthor: {NASTY_YAML}\nsummary: {NASTY_YAML}\ncategories: [News]\ntags: [{NASTY_YAML}]\nsource: {{ name: {NASTY_YAML}, url: \"https://apnews.com/x?a=1&b=2\" }}\nfaq:\n  - question: {NASTY_YAML}\n    answer: {NASTY_YAML}"
            ),
            "Body.",
        )
        .build();

    // HTML: the page has exactly the JSON-LD scripts; text and attributes read back unchanged.
    let page = site.html("articles/nasty/index.html");
    assert_eq!(page.count("script"), 3);
    // The FAQ answer is Markdown from front matter: its raw HTML is dropped, its text kept.
    assert!(page.text(".faq .answer").contains("alert(1)"));
    assert_eq!(page.count("script[type='application/ld+json']"), 3);
    assert_eq!(
        page.text("h1"),
        NASTY.split_whitespace().collect::<Vec<_>>().join(" ")
    );
    assert_eq!(page.attrs("meta[property='og:title']", "content"), [NASTY]);
    assert_eq!(
        page.attrs("meta[property='og:description']", "content"),
        [NASTY]
    );
    assert_eq!(
        page.attrs("meta[property='article:tag']", "content"),
        [NASTY]
    );
    let raw = site.text("articles/nasty/index.html");
    assert!(!raw.contains("<script>alert"), "a script tag got through");

    // JSON-LD: parses, and holds the exact strings.
    let blocks = json_ld(&page);
    let article = of_type(&blocks, "NewsArticle");
    assert_eq!(article["headline"], NASTY);
    assert_eq!(article["author"][0]["name"], NASTY);
    assert_eq!(article["isBasedOn"]["publisher"]["name"], NASTY);
    assert_eq!(article["isBasedOn"]["url"], "https://apnews.com/x?a=1&b=2");
    let faq = of_type(&blocks, "FAQPage");
    assert_eq!(faq["mainEntity"][0]["name"], NASTY);
    let answer = faq["mainEntity"][0]["acceptedAnswer"]["text"]
        .as_str()
        .unwrap();
    assert!(!answer.contains("<script"), "{answer}");

    // XML: well-formed, and the exact strings come back out of both feed formats.
    for rel in ["atom.xml", "rss.xml", "category/news/atom.xml"] {
        let xml = site.text(rel);
        assert_eq!(xml_texts(&xml, "title")[1], NASTY, "{rel}");
        let feed = parse_feed(&site, rel);
        assert_eq!(
            feed.entries[0].title.as_ref().unwrap().content,
            NASTY,
            "{rel}"
        );
    }
    let atom = parse_feed(&site, "atom.xml");
    assert_eq!(atom.entries[0].summary.as_ref().unwrap().content, NASTY);
    assert_eq!(atom.entries[0].authors[0].name.as_deref(), Some(NASTY));
    // The tag's own feed exists under its slug and parses.
    let tag_feeds = outputs(&site, "atom.xml");
    assert!(
        tag_feeds.iter().any(|p| p.starts_with("tags/")),
        "{tag_feeds:?}"
    );
    for rel in tag_feeds {
        parse_feed(&site, &rel);
    }
    xml_texts(&site.text("sitemap.xml"), "loc");
}

#[test]
fn characters_xml_cannot_carry_are_dropped_from_feeds() {
    let site = SiteFixture::new()
        .article("w", "title: \"A\\x01B\\uFFFEC\"\ndate: 2026-01-27", "B")
        .build();
    assert_eq!(
        parse_feed(&site, "atom.xml").entries[0]
            .title
            .as_ref()
            .unwrap()
            .content,
        "ABC"
    );
}

#[test]
fn distribution_settings_are_checked() {
    let bad = |extra: &str| {
        SiteFixture::new()
            .config(&format!("{BASIC_CONFIG}{extra}"))
            .build_err()
            .1
    };
    let d = bad("\n[feeds]\nlimit = 0\n");
    assert!(d[0].message.contains("feeds.limit"), "{d:?}");
    let d = bad("\n[publisher]\nname = \"X\"\ncorection_policy = \"/c/\"\n");
    assert_eq!(
        d[0].hint.as_deref(),
        Some("did you mean `corrections_policy`?"),
        "{d:?}"
    );
    let d = bad("\n[feeds]\nid_authority = \"not a host\"\n");
    assert!(d[0].message.contains("id_authority"), "{d:?}");
    let d = SiteFixture::new()
        .config(&BASIC_CONFIG.replace("paginate = 2", "paginate = 2\nlanguage = \"en_GB\""))
        .build_err()
        .1;
    assert!(d[0].message.contains("BCP 47"), "{d:?}");
}

#[test]
fn og_locale_comes_from_a_regional_language() {
    let site = SiteFixture::new()
        .config(&BASIC_CONFIG.replace("paginate = 2", "paginate = 2\nlanguage = \"pt-BR\""))
        .article("w", "title: W\ndate: 2026-01-27", "B")
        .build();
    let page = site.html("articles/w/index.html");
    assert_eq!(
        page.attrs("meta[property='og:locale']", "content"),
        ["pt_BR"]
    );
    assert_eq!(
        parse_feed(&site, "atom.xml").language.as_deref(),
        Some("pt-BR")
    );
}
