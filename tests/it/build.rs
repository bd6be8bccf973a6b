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
    assert_eq!(site.text("style.css"), "body{color:red}");
    assert!(site.exists("img/logo.svg"));
}
