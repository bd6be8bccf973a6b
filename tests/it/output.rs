//! The output folder: copied files, byte-identical rebuilds, failed builds that lose nothing, and
//! folders Pamphlet did not create left alone.

use crate::support::{SiteFixture, tree};

fn good_site() -> SiteFixture {
    SiteFixture::new()
        .file(
            "content/articles/story/index.md",
            "---\ntitle: Story\ndate: 2026-01-01\ncategories: [News]\ntags: [water]\nimage: { src: hero.jpg, alt: A river }\n---\nBody with [a report](docs/report.pdf).\n\n```rust\nfn main() {}\n```\n",
        )
        .bytes("content/articles/story/hero.jpg", b"\xff\xd8\xff\xe0 jpeg bytes")
        .bytes("content/articles/story/docs/report.pdf", b"%PDF-1.7 bytes")
        .article("other", "title: Other\ndate: 2026-01-02\ncategories: [News]", "Body.")
        .file("content/pages/about.md", "---\ntitle: About\n---\nUs.")
}

#[test]
fn files_beside_an_article_and_theme_static_files_are_copied() {
    let site = good_site().build();
    let files = site.tree();
    assert_eq!(
        files["articles/story/hero.jpg"],
        b"\xff\xd8\xff\xe0 jpeg bytes"
    );
    assert_eq!(files["articles/story/docs/report.pdf"], b"%PDF-1.7 bytes");
    assert!(
        !files.contains_key("articles/story/index.md"),
        "the Markdown source is not copied"
    );
    let named = |stem: &str| crate::support::fingerprinted_in(&site.out, stem, "css").unwrap();
    assert!(files[&named("style")].len() > 100, "theme static copied");
    assert!(
        String::from_utf8_lossy(&files[&named("syntax")]).contains(".hl-"),
        "highlighting stylesheet written once"
    );
    assert!(files.contains_key(pamphlet::output::MARKER));
    for page in [
        "index.html",
        "404.html",
        "about/index.html",
        "articles/story/index.html",
        "articles/other/index.html",
        "category/news/index.html",
        "category/ecocide/index.html",
        "tags/water/index.html",
    ] {
        assert!(files.contains_key(page), "{page}");
    }
}

#[test]
fn no_syntax_css_without_code() {
    let site = SiteFixture::new()
        .article("plain", "title: Plain\ndate: 2026-01-01", "No code.")
        .build();
    assert!(site.fingerprinted("syntax", "css").is_none());
    let style = site.fingerprinted("style", "css").unwrap();
    assert_eq!(
        site.html("articles/plain/index.html")
            .attrs("link[rel=stylesheet]", "href"),
        [format!("/{style}")]
    );
}

#[test]
fn output_is_byte_identical_across_builds() {
    let first = good_site().build();
    let before = first.tree();
    // Rebuild the same folder, then build a copy of the input somewhere else.
    let again = pamphlet::build(&first.fixture.options()).expect("rebuild");
    assert_eq!(again.files, first.report.files);
    assert_eq!(first.tree(), before, "rebuild in place");
    let copy = good_site().build();
    assert_eq!(copy.tree(), before, "same input in another folder");
}

#[test]
fn rebuild_removes_files_of_deleted_articles() {
    let site = good_site().build();
    assert!(site.exists("articles/other/index.html"));
    std::fs::remove_file(site.fixture.root().join("content/articles/other.md")).unwrap();
    pamphlet::build(&site.fixture.options()).expect("rebuild");
    assert!(!site.exists("articles/other/index.html"));
    assert!(site.exists("articles/story/index.html"));
}

#[test]
fn failed_build_leaves_previous_output_byte_identical() {
    let site = good_site().build();
    let before = site.tree();
    let parent_before: Vec<_> = std::fs::read_dir(site.fixture.root())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    let root = site.fixture.root().to_path_buf();
    let opts = site.fixture.options();
    // A content error (found while loading).
    std::fs::write(
        root.join("content/articles/other.md"),
        "---\ntitle: Other\ndate: 2026-02-30\n---\nBody.",
    )
    .unwrap();
    site.fixture.build_fails_with(&opts);
    assert_eq!(site.tree(), before);
    // A template error (found while rendering, after the content was fine).
    std::fs::write(
        root.join("content/articles/other.md"),
        "---\ntitle: Other\ndate: 2026-01-02\n---\nBody.",
    )
    .unwrap();
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(root.join("templates/page.html"), "{{ no_such_thing }}").unwrap();
    let d = site.fixture.build_fails_with(&opts);
    assert!(
        d[0].location().starts_with("templates/page.html:1"),
        "{}",
        d[0]
    );
    assert_eq!(site.tree(), before);
    // No staging or leftover folders beside the output.
    let mut parent_after: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    parent_after.retain(|n| n != "templates");
    assert_eq!(parent_after.len(), parent_before.len(), "{parent_after:?}");
}

#[test]
fn foreign_output_folder_is_refused_and_untouched() {
    let site = good_site().with_default_config();
    let outer = tempfile::tempdir().unwrap();
    let foreign = outer.path().join("mine");
    std::fs::create_dir_all(foreign.join("photos")).unwrap();
    std::fs::write(foreign.join("thesis.docx"), b"years of work").unwrap();
    std::fs::write(foreign.join("photos/a.jpg"), b"jpg").unwrap();
    let before = tree(&foreign);
    let mut opts = site.options();
    opts.output = Some(foreign.clone());
    let d = site.build_fails_with(&opts);
    assert_eq!(d.len(), 1);
    assert!(d[0].message.contains("not created by Pamphlet"), "{}", d[0]);
    assert!(d[0].hint.as_deref().unwrap().contains("--output"));
    assert_eq!(tree(&foreign), before);
    let siblings: Vec<_> = std::fs::read_dir(outer.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(siblings, ["mine"], "no staging folder made");
}

#[test]
fn output_into_the_site_or_its_content_is_refused() {
    let site = good_site().with_default_config();
    let before = tree(site.root());
    for out in [site.root().to_path_buf(), site.root().join("content")] {
        let mut opts = site.options();
        opts.output = Some(out.clone());
        let d = site.build_fails_with(&opts);
        assert!(
            d[0].message.contains("refusing"),
            "{}: {}",
            out.display(),
            d[0]
        );
    }
    assert_eq!(tree(site.root()), before);
}

#[test]
fn empty_or_own_output_folder_is_used() {
    let site = good_site().with_default_config();
    let out = tempfile::tempdir().unwrap();
    let mut opts = site.options();
    opts.output = Some(out.path().join("site"));
    std::fs::create_dir_all(out.path().join("site")).unwrap();
    pamphlet::build(&opts).expect("empty folder is fine");
    assert!(out.path().join("site/index.html").is_file());
    pamphlet::build(&opts).expect("a folder we made is fine");
    let files = tree(&out.path().join("site"));
    assert!(files.contains_key("articles/story/hero.jpg"));
}
