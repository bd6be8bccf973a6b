//! The core build: front matter fields land where a reader looks for them.

use crate::support::SiteFixture;

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
