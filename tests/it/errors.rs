//! Bad input: every problem is reported as `path:line:column: error: ...` with a hint, all of them
//! at once, sorted; never a panic.

use pamphlet::error::Diagnostic;

use crate::support::{BASIC_CONFIG, SiteFixture, render};

/// The errors (not warnings) of a build expected to fail.
fn errors(f: SiteFixture) -> Vec<Diagnostic> {
    let (_, d) = f.build_err();
    d.into_iter().filter(Diagnostic::is_error).collect()
}

/// The one error of a build with one broken article `content/articles/bad.md` (raw text).
fn only_error(f: SiteFixture) -> Diagnostic {
    let mut e = errors(f);
    assert_eq!(e.len(), 1, "expected one error, got:\n{}", render(&e));
    e.remove(0)
}

fn bad_article(text: &str) -> Diagnostic {
    only_error(SiteFixture::new().file("content/articles/bad.md", text))
}

#[track_caller]
fn assert_diag(d: &Diagnostic, location: &str, message: &str, hint: Option<&str>) {
    assert_eq!(d.location(), location, "{d}");
    assert!(d.message.contains(message), "message of {d}");
    if let Some(h) = hint {
        assert!(d.hint.as_deref().unwrap_or("").contains(h), "hint of {d}");
    }
}

#[test]
fn invalid_yaml() {
    let d = bad_article("---\ntitle: x\n date: 2026-01-01\n---\nBody");
    assert_diag(
        &d,
        "content/articles/bad.md:3:6",
        "mapping values are not allowed",
        None,
    );
    let d = bad_article("---\ntitle: x\ndate: 2026-01-01\n\tdraft: true\n---\nBody");
    assert_diag(
        &d,
        "content/articles/bad.md:4:1",
        "tab",
        Some("spaces, not tabs"),
    );
}

#[test]
fn missing_closing_dashes() {
    let d = bad_article("---\ntitle: x\ndate: 2026-01-01\n\nBody without a closing line\n");
    assert_diag(
        &d,
        "content/articles/bad.md:1:1",
        "front matter is not closed",
        Some("`---`"),
    );
    let d = bad_article("# Just Markdown\n");
    assert_diag(
        &d,
        "content/articles/bad.md:1:1",
        "does not start with `---`",
        Some("`---`"),
    );
}

#[test]
fn missing_or_mistyped_required_fields() {
    let d = bad_article("---\ndate: 2026-01-01\n---\nBody");
    assert_diag(
        &d,
        "content/articles/bad.md:2:1",
        "missing field `title`",
        Some("title:"),
    );
    let d = bad_article("---\ntitle: x\n---\nBody");
    assert_diag(
        &d,
        "content/articles/bad.md:2:1",
        "missing field `date`",
        Some("date: YYYY-MM-DD"),
    );
    let d = bad_article("---\ntitle: [a, b]\ndate: 2026-01-01\n---\nBody");
    assert_diag(
        &d,
        "content/articles/bad.md:2:8",
        "title: invalid type: sequence, expected a string",
        None,
    );
    let d = bad_article("---\ntitle: x\ndate: [2026]\n---\nBody");
    assert_diag(
        &d,
        "content/articles/bad.md:3:7",
        "date: invalid type: sequence, expected a date",
        None,
    );
    let d = bad_article("---\ntitle: x\ndate: 2026-01-01\nauthor: {name: Jane}\n---\nBody");
    assert_diag(
        &d,
        "content/articles/bad.md:4:9",
        "author: invalid type: map, expected a name or a list of names",
        Some("author: [Name One"),
    );
    let d = bad_article("---\ntitle: x\ndate: 2026-01-01\nread_time: fast\n---\nBody");
    assert_diag(
        &d,
        "content/articles/bad.md:4:12",
        "read_time: invalid type: string \"fast\"",
        None,
    );
    let d = bad_article("---\ntitle: x\ndate: 2026-01-01\nfaq:\n  - question: q\n---\nBody");
    assert_diag(
        &d,
        "content/articles/bad.md:5:5",
        "faq[0]: missing field `answer`",
        None,
    );
}

#[test]
fn bad_date() {
    let d = bad_article("---\ntitle: x\ndate: 2026-02-30\n---\nBody");
    assert_diag(
        &d,
        "content/articles/bad.md:3",
        "`2026-02-30` is not a valid date (that day does not exist in the calendar)",
        None,
    );
    assert!(d.message.contains("YYYY-MM-DD"), "says what to write: {d}");
    let d = bad_article("---\ntitle: x\ndate: 2026-01-01\nupdated: yesterday\n---\nBody");
    assert_diag(
        &d,
        "content/articles/bad.md:4",
        "`yesterday` is not a valid date",
        None,
    );
}

#[test]
fn unknown_front_matter_key_suggests_the_right_one() {
    let d = bad_article("---\ntitle: x\ndate: 2026-01-01\ncatagories: [News]\n---\nBody");
    assert_diag(
        &d,
        "content/articles/bad.md:4:1",
        "unknown field `catagories`",
        Some("did you mean `categories`?"),
    );
    let d = bad_article(
        "---\ntitle: x\ndate: 2026-01-01\nsource:\n  name: AP\n  dat: 2026-01-01\n---\nBody",
    );
    assert_diag(
        &d,
        "content/articles/bad.md:6:3",
        "source: unknown field `dat`",
        Some("did you mean `date`?"),
    );
    let d = bad_article("---\ntitle: x\ndate: 2026-01-01\nsponsor: ACME\n---\nBody");
    assert_diag(
        &d,
        "content/articles/bad.md:4:1",
        "unknown field `sponsor`",
        Some("under `extra`"),
    );
}

#[test]
fn undeclared_category() {
    let d = bad_article("---\ntitle: x\ndate: 2026-01-01\ncategories: [Newz]\n---\nBody");
    assert_diag(
        &d,
        "content/articles/bad.md:4",
        "category `Newz` is not declared in site.toml",
        Some("did you mean `News`?"),
    );
    let d = bad_article("---\ntitle: x\ndate: 2026-01-01\ncategories: [Sport]\n---\nBody");
    assert_diag(
        &d,
        "content/articles/bad.md:4",
        "category `Sport` is not declared",
        Some("[[categories]]"),
    );
}

#[test]
fn same_slug_twice_names_both_files() {
    let e = errors(
        SiteFixture::new()
            .article("a", "title: A\ndate: 2026-01-01\nslug: same", "Body.")
            .article("b", "title: B\ndate: 2026-01-01\nslug: same", "Body.")
            .article("nested/same", "title: C\ndate: 2026-01-01", "Body."),
    );
    let shown = render(&e);
    assert_eq!(e.len(), 2, "{shown}");
    assert_diag(
        &e[0],
        "content/articles/b.md:4",
        "slug `same` is already used by content/articles/a.md",
        Some("different `slug:`"),
    );
    assert_diag(
        &e[1],
        "content/articles/nested/same.md:2",
        "slug `same` is already used by content/articles/a.md",
        None,
    );
}

#[test]
fn image_without_alt() {
    let d = bad_article("---\ntitle: x\ndate: 2026-01-01\nimage: { src: hero.jpg }\n---\nBody");
    assert_diag(
        &d,
        "content/articles/bad.md:4",
        "image has no `alt` text",
        Some("alt: \"...\""),
    );
    let d = bad_article(
        "---\ntitle: x\ndate: 2026-01-01\nimage:\n  src: hero.jpg\n  alt: \"  \"\n---\nBody",
    );
    assert_diag(
        &d,
        "content/articles/bad.md:4",
        "image has no `alt` text",
        None,
    );
}

#[test]
fn file_that_is_not_utf8() {
    let d = only_error(SiteFixture::new().bytes(
        "content/articles/bad.md",
        b"---\ntitle: x\ndate: 2026-01-01\n---\nCaf\xe9 au lait\n",
    ));
    assert_diag(
        &d,
        "content/articles/bad.md:5:4",
        "file is not valid UTF-8",
        Some("UTF-8"),
    );
    let d = only_error(
        SiteFixture::new()
            .article("ok", "title: x\ndate: 2026-01-01", "Body.")
            .bytes("templates/article.html", b"<p>\n\xff</p>"),
    );
    assert_diag(
        &d,
        "templates/article.html:2:1",
        "file is not valid UTF-8",
        None,
    );
}

#[test]
fn template_syntax_error_names_the_template_and_line() {
    let d = only_error(
        SiteFixture::new()
            .article("ok", "title: x\ndate: 2026-01-01", "Body.")
            .file(
                "templates/article.html",
                "{% extends \"theme/article.html\" %}\n{% block title %}\n{% if %}yes{% endif %}{% endblock title %}",
            ),
    );
    assert_diag(&d, "templates/article.html:3:7", "expected one of", None);
}

#[test]
fn unknown_template_variable_names_the_template_and_line() {
    let d = only_error(
        SiteFixture::new()
            .file("content/pages/about.md", "---\ntitle: About\n---\nUs.")
            .file(
                "templates/page.html",
                "{% extends \"theme/page.html\" %}\n{% block title %}\n{{ page.title }} {{ nope }}{% endblock title %}",
            ),
    );
    assert_diag(
        &d,
        "templates/page.html:3:21",
        "`nope`",
        Some("{{ x?.y or \"\" }}"),
    );
}

#[test]
fn template_extending_a_missing_parent() {
    let d =
        only_error(SiteFixture::new().file("templates/tag.html", "{% extends \"nothere.html\" %}"));
    assert_eq!(d.path.to_str(), Some("templates/tag.html"), "{d}");
    assert!(d.message.contains("nothere.html"), "{d}");
}

#[test]
fn unknown_theme() {
    let config = BASIC_CONFIG.replace("paginate = 2", "paginate = 2\ntheme = \"nope\"");
    let d = only_error(
        SiteFixture::new()
            .config(&config)
            .file("themes/mine/templates/index.html", ""),
    );
    assert_diag(
        &d,
        "site.toml:5",
        "theme `nope` not found",
        Some("themes found: mine"),
    );
}

#[test]
fn site_toml_problems() {
    let d = only_error(SiteFixture::new().config(&format!("{BASIC_CONFIG}titel = \"x\"\n")));
    assert!(d.location().starts_with("site.toml:"), "{d}");
    let d = only_error(
        SiteFixture::new().config("title = \"T\"\nbase_url = \"https://x.org\"\npaginat = 3\n"),
    );
    assert_diag(
        &d,
        "site.toml:3:1",
        "unknown field `paginat`",
        Some("did you mean `paginate`?"),
    );
    let d = only_error(SiteFixture::new().config("title = \"T\nbase_url = \"https://x.org\"\n"));
    assert!(d.location().starts_with("site.toml:1:"), "{d}");
    let d = only_error(SiteFixture::new().config("title = \"T\"\n"));
    assert_diag(&d, "site.toml:1:1", "missing field `base_url`", None);
    let d = only_error(SiteFixture::new().config("title = \"T\"\nbase_url = \"example.org\"\n"));
    assert_diag(&d, "site.toml:2", "not an absolute http(s) URL", None);
}

#[test]
fn site_toml_that_is_not_utf8_says_so() {
    let d = SiteFixture::new()
        .bytes("site.toml", b"title = \"Caf\xe9\"\n")
        .build_err_as_is();
    assert_eq!(d.len(), 1);
    assert_diag(
        &d[0],
        "site.toml:1:13",
        "file is not valid UTF-8",
        Some("save the file as UTF-8"),
    );
}

#[test]
fn bad_base_url_option_names_the_option() {
    let site = SiteFixture::new().with_default_config();
    let mut opts = site.options();
    opts.base_url = Some("example.org".into());
    let d = site.build_fails_with(&opts);
    assert_eq!(d.len(), 1);
    assert_diag(
        &d[0],
        "--base-url",
        "is not an absolute http(s) URL",
        Some("https://"),
    );
}

#[test]
fn page_slug_clashing_with_a_section() {
    let d =
        only_error(SiteFixture::new().file("content/pages/tags.md", "---\ntitle: Tags\n---\nx"));
    assert_diag(
        &d,
        "content/pages/tags.md:2",
        "page slug `tags` clashes with a section of the site",
        Some("another `slug:`"),
    );
}

#[test]
fn missing_site_toml_says_where_to_run() {
    let d = SiteFixture::new()
        .article("a", "title: x\ndate: 2026-01-01", "Body.")
        .build_err_as_is();
    assert_eq!(d.len(), 1, "{}", render(&d));
    assert!(d[0].location().starts_with("site.toml"), "{}", d[0]);
    assert!(d[0].hint.as_deref().unwrap().contains("--root"));
}

/// A site with one broken file of every kind (and good files between them).
fn broken_site() -> SiteFixture {
    SiteFixture::new()
        .article("a-good", "title: Fine\ndate: 2026-01-01\ncategories: [News]", "Body.")
        .article("b-yaml", "title: x\n date: 2026-01-01", "Body.")
        .file("content/articles/c-unclosed.md", "---\ntitle: x\ndate: 2026-01-01\n\nBody\n")
        .article("d-no-title", "date: 2026-01-01", "Body.")
        .article("e-date", "title: x\ndate: 2026-02-30", "Body.")
        .article("f-typo", "title: x\ndate: 2026-01-01\ncatagories: [News]", "Body.")
        .article(
            "g-category",
            "title: x\ndate: 2026-01-01\ncategories: [Newz, Ecocide]",
            "Body.",
        )
        .article("h-slug", "title: x\ndate: 2026-01-01\nslug: fine", "Body.")
        .article("i-image", "title: x\ndate: 2026-01-01\nimage:\n  src: a.jpg", "Body.")
        .bytes(
            "content/articles/j-latin1.md",
            b"---\ntitle: x\ndate: 2026-01-01\n---\nCaf\xe9\n",
        )
        .article("k-good", "title: Also fine\ndate: 2026-01-02\nslug: fine", "Body.")
        .file("content/pages/about.md", "---\ntitle: About\ndate: 2026-13-01\n---\nUs.")
        .file(
            "templates/article.html",
            "{% extends \"theme/article.html\" %}\n{% block title %}\n{% if %}{% endif %}{% endblock title %}",
        )
}

#[test]
fn every_broken_file_is_reported_sorted() {
    let e = errors(broken_site());
    let locations: Vec<String> = e.iter().map(Diagnostic::location).collect();
    assert_eq!(
        locations,
        [
            "content/articles/b-yaml.md:3:6",
            "content/articles/c-unclosed.md:1:1",
            "content/articles/d-no-title.md:2:1",
            "content/articles/e-date.md:3",
            "content/articles/f-typo.md:4:1",
            "content/articles/g-category.md:4",
            "content/articles/i-image.md:4",
            "content/articles/j-latin1.md:5:4",
            "content/articles/k-good.md:4",
            "content/pages/about.md:3",
            "templates/article.html:3:7",
        ],
        "{}",
        render(&e)
    );
    let mut sorted = e.clone();
    sorted.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    assert_eq!(e, sorted);
}

#[test]
fn whole_error_report_snapshot() {
    let (_, d) = broken_site().build_err();
    insta::assert_snapshot!("broken_site_report", render(&d));
}

#[test]
fn unresolved_markdown_link_is_a_warning_with_its_line() {
    let site = SiteFixture::new()
        .article(
            "a",
            "title: x\ndate: 2026-01-01",
            "First line.\n\nSee [the other](missing.md).",
        )
        .build();
    let w = &site.report.warnings;
    assert_eq!(w.len(), 1, "{}", render(w));
    assert!(!w[0].is_error());
    assert_diag(
        &w[0],
        "content/articles/a.md:7",
        "link to `missing.md` matches no published article or page",
        Some("draft"),
    );
}

#[test]
fn odd_files_never_panic() {
    let odd: [(&str, &[u8]); 10] = [
        ("empty.md", b""),
        ("dashes.md", b"---\n---\n"),
        ("only-open.md", b"---"),
        ("nul.md", b"---\ntitle: \0\ndate: 2026-01-01\n---\n\0"),
        ("deep.md", b"---\ntitle: x\ndate: 2026-01-01\nextra: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n---\n"),
        ("anchor.md", b"---\na: &a [*a, *a]\ntitle: x\n---\n"),
        ("big-date.md", b"---\ntitle: x\ndate: 99999-01-01\n---\n"),
        ("negative.md", b"---\ntitle: x\ndate: 2026-01-01\nread_time: -1\n---\n"),
        ("slug.md", b"---\ntitle: x\ndate: 2026-01-01\nslug: ../../etc\n---\n"),
        ("binary.md", &[0xff, 0xfe, 0x00, 0x01, 0x80]),
    ];
    let mut f = SiteFixture::new();
    for (name, bytes) in odd {
        f = f.bytes(&format!("content/articles/{name}"), bytes);
    }
    let e = errors(f);
    let files: std::collections::BTreeSet<_> = e.iter().map(|d| d.path.clone()).collect();
    assert_eq!(
        files.len(),
        odd.len(),
        "each file reported:\n{}",
        render(&e)
    );
}
