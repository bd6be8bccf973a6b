//! Listing work grows linearly: 20,000 tiny articles in one category (and one shared tag) are
//! rendered, and the cards built for listings are counted (never timed).

use std::path::Path;

use pamphlet::config::SiteConfig;
use pamphlet::content::{DocKind, parse_doc};
use pamphlet::markdown::Highlighter;
use pamphlet::render::{RenderStats, Templates, render_site_to};
use pamphlet::site::Site;

const CONFIG: &str = r#"title = "Scale"
base_url = "https://example.org/"
paginate = 10

[[categories]]
name = "News"
"#;

/// Tiny templates: the count of cards does not depend on them, and they keep a debug build quick.
const TEMPLATES: &[(&str, &str)] = &[
    (
        "article.html",
        "{{ article.title }}{% for c in more_in?.articles or [] %}{{ c.title }}{% endfor %}",
    ),
    ("page.html", "{{ page.title }}"),
    (
        "index.html",
        "{% for c in articles %}{{ c.title }}{% endfor %}{{ lead?.title or '' }}",
    ),
    (
        "category.html",
        "{{ category.name }}{% for c in articles %}{{ c.title }}{% endfor %}",
    ),
    (
        "tag.html",
        "{{ tag.name }}{% for c in articles %}{{ c.title }}{% endfor %}",
    ),
    (
        "404.html",
        "{% for c in articles %}{{ c.title }}{% endfor %}",
    ),
];

fn render_stats(n: usize, root: &Path) -> RenderStats {
    let config = SiteConfig::parse(Path::new("site.toml"), CONFIG).expect("config");
    let docs = (0..n)
        .map(|i| {
            let name = format!("a{i:05}.md");
            let text = format!(
                "---\ntitle: A{i}\ndate: 2020-01-01T00:00:{:02}Z\ncategories: [News]\ntags: [Everything]\n---\nBody {i}.\n",
                i % 60
            );
            let path = Path::new("content/articles").join(&name);
            parse_doc(&path, &Path::new("articles").join(&name), DocKind::Article, &text, &config)
                .expect("valid article")
        })
        .collect();
    let (site, warnings) = Site::assemble(config, docs, &Highlighter::new());
    assert!(warnings.is_empty(), "{warnings:?}");
    let templates = Templates::load(root, "default").expect("templates");
    render_site_to(&site, &templates, &|_| Ok(())).expect("render")
}

#[test]
fn listing_work_grows_linearly_with_articles() {
    let root = tempfile::tempdir().unwrap();
    for (name, text) in TEMPLATES {
        let path = root.path().join("templates").join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let quarter = render_stats(5_000, root.path());
    let full = render_stats(20_000, root.path());
    // Per article: one card on the home page, one on the category, one on the tag, three "More in".
    // Plus the home lead and the 404's five latest: a constant.
    assert_eq!(
        full.cards,
        6 * 20_000 + 1 + 5,
        "cards built for 20,000 articles"
    );
    let constant = 1 + 5;
    assert_eq!(
        full.cards - constant,
        4 * (quarter.cards - constant),
        "four times the articles, four times the listing work"
    );
    // 20,000 articles + 2,000 pages each for home, category and tag + the 404.
    assert_eq!(full.html_pages, 20_000 + 3 * 2_000 + 1);
    assert_eq!(quarter.html_pages, 5_000 + 3 * 500 + 1);
}
