//! Authoring tools: `init` makes a site that builds at once, `new` starts articles safely, `check`
//! finds broken links and loose ends at the right lines, and the CLI offers completions and help.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use pamphlet::authoring::check::{CheckOptions, CheckReport, check};
use pamphlet::authoring::external::ExternalOptions;
use pamphlet::authoring::init::{InitOptions, init};
use pamphlet::error::Severity;

use crate::support::{Page, SiteFixture};

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn page(path: &Path) -> Page {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Page(scraper::Html::parse_document(&text))
}

fn check_site(site: &SiteFixture) -> CheckReport {
    check(&CheckOptions {
        build: site.options(),
        external: None,
    })
}

/// `(path:line, severity)` of diagnostics whose message contains `needle`.
fn found(report: &CheckReport, needle: &str) -> Vec<(String, Severity)> {
    report
        .diagnostics
        .iter()
        .filter(|d| d.message.contains(needle))
        .map(|d| (d.location(), d.severity))
        .collect()
}

#[test]
fn init_makes_a_site_that_builds_and_checks_clean() {
    let tmp = SiteFixture::new();
    let out = tmp.run(&["init", "paper"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("created  site.toml"));
    let root = tmp.root().join("paper");
    let toml = std::fs::read_to_string(root.join("site.toml")).unwrap();
    for section in [
        "[newsletter]",
        "[[categories]]",
        "[[menu]]",
        "[extra]",
        "theme = \"default\"",
    ] {
        assert!(toml.contains(section), "site.toml lacks {section}");
    }

    let built = tmp.run(&["build", "--root", "paper"]);
    assert!(built.status.success(), "{}", stderr(&built));
    let article = page(&root.join("public/articles/welcome/index.html"));
    assert_eq!(
        article.text("h1"),
        "Welcome to your new publication: how an article is put together"
    );
    assert_eq!(
        article.attrs(".hero img", "src"),
        ["/articles/welcome/cover.svg"]
    );
    assert!(root.join("public/articles/welcome/cover.svg").is_file());
    assert_eq!(article.count(".faq details"), 2);
    assert_eq!(
        article.attrs(".source-note a", "href"),
        ["https://news.example.com/original-story"]
    );
    // The second example uses the dated layout `pamphlet new` writes, and links to the first.
    let listing = page(&root.join("public/index.html"));
    assert_eq!(listing.count("article.card"), 2);
    assert!(root.join("public/about/index.html").is_file());

    let report = check(&CheckOptions {
        build: pamphlet::BuildOptions::new(&root),
        external: None,
    });
    assert!(report.built);
    assert_eq!(report.diagnostics, [], "a new site checks clean");
    assert!(report.links > 20, "links were checked: {}", report.links);
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let site = SiteFixture::new().file("notes.txt", "mine");
    let out = site.run(&["init", "."]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("not empty"), "{}", stderr(&out));
    assert!(!site.root().join("site.toml").exists());
    let file = site.run(&["init", "notes.txt"]);
    assert!(!file.status.success());
    assert!(stderr(&file).contains("not a folder"), "{}", stderr(&file));
}

#[test]
fn init_force_adds_missing_files_and_keeps_existing_ones() {
    let site = SiteFixture::new()
        .file(
            "site.toml",
            "title = \"Mine\"\nbase_url = \"https://mine.org/\"\n",
        )
        .file(
            "content/pages/about.md",
            "---\ntitle: Our own about\n---\nKeep me.\n",
        );
    let out = site.run(&["init", ".", "--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("kept     site.toml"), "{text}");
    assert!(text.contains("kept     content/pages/about.md"), "{text}");
    assert_eq!(
        std::fs::read_to_string(site.root().join("site.toml")).unwrap(),
        "title = \"Mine\"\nbase_url = \"https://mine.org/\"\n"
    );
    assert!(
        site.root()
            .join("content/articles/welcome/index.md")
            .is_file()
    );

    // Through the library, a second run reports every file as kept.
    let again = init(&InitOptions {
        dir: site.root().to_path_buf(),
        force: true,
        eject_theme: None,
        today: jiff::civil::Date::new(2026, 3, 14).unwrap(),
    })
    .unwrap();
    assert!(again.skipped.contains(&PathBuf::from("site.toml")));
    assert!(
        again
            .skipped
            .contains(&PathBuf::from("content/pages/about.md"))
    );
}

#[test]
fn ejected_theme_is_used_and_editable() {
    let tmp = SiteFixture::new();
    let out = tmp.run(&["init", "paper", "--eject-theme", "ours"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let root = tmp.root().join("paper");
    let footer = root.join("themes/ours/templates/partials/footer.html");
    let text = std::fs::read_to_string(&footer).unwrap();
    std::fs::write(&footer, format!("<p class=\"ours\">Our footer</p>{text}")).unwrap();
    assert!(tmp.run(&["build", "--root", "paper"]).status.success());
    let home = page(&root.join("public/index.html"));
    assert_eq!(home.text(".ours"), "Our footer");
    assert!(crate::support::fingerprinted_in(&root.join("public"), "style", "css").is_some());
}

#[test]
fn a_template_override_can_extend_the_built_in_theme() {
    let tmp = SiteFixture::new();
    assert!(tmp.run(&["init", "paper"]).status.success());
    let root = tmp.root().join("paper");
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(
        root.join("templates/article.html"),
        "{% extends \"theme/article.html\" %}\n{% block content %}<p class=\"banner\">Appeal</p>{{ super() }}{% endblock content %}\n",
    )
    .unwrap();
    let out = tmp.run(&["build", "--root", "paper"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let article = page(&root.join("public/articles/welcome/index.html"));
    assert_eq!(article.text(".banner"), "Appeal");
    assert_eq!(article.count("h1"), 1);
}

#[test]
fn new_writes_a_dated_article_whose_title_survives_yaml() {
    let site = SiteFixture::new().config(crate::support::BASIC_CONFIG);
    let title = "Ecocide: \"what\" comes next? #law";
    let out = site.run(&[
        "new",
        title,
        "--category",
        "ecocide",
        "--tags",
        "law, oceans",
        "--draft",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let printed = stdout(&out).trim().to_string();
    let rel = printed.strip_prefix("./").unwrap_or(&printed);
    assert!(rel.starts_with("content/articles/20"), "{rel}");
    assert!(rel.ends_with("-ecocide-what-comes-next-law.md"), "{rel}");
    assert!(site.root().join(rel).is_file());

    // A draft: left out of a normal build, shown with --drafts, headline exactly as typed.
    let mut opts = site.options();
    opts.now = None;
    let built = pamphlet::build_in_memory(&opts).unwrap();
    assert_eq!(built.report.drafts_held, 1);
    opts.drafts = true;
    let built = pamphlet::build_in_memory(&opts).unwrap();
    let a = &built.site.articles[0];
    assert_eq!(a.title, title);
    assert_eq!(a.slug, "ecocide-what-comes-next-law");
    assert_eq!(a.categories[0].name, "Ecocide");
    let tags: Vec<&str> = a.tags.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(tags, ["law", "oceans"]);
}

#[test]
fn new_refuses_to_overwrite_and_unknown_categories() {
    let site = SiteFixture::new().config(crate::support::BASIC_CONFIG);
    assert!(site.run(&["new", "Water for all"]).status.success());
    let again = site.run(&["new", "Water for all"]);
    assert!(!again.status.success());
    assert!(
        stderr(&again).contains("already exists"),
        "{}",
        stderr(&again)
    );

    let unknown = site.run(&["new", "Goals", "--category", "Sports"]);
    assert!(!unknown.status.success());
    let err = stderr(&unknown);
    assert!(err.contains("category `Sports` is not declared"), "{err}");
    assert!(
        err.contains("declared categories: Human Trafficking, Social Innovation, Ecocide, News"),
        "{err}"
    );
    let typo = site.run(&["new", "Goals", "--category", "Newz"]);
    assert!(stderr(&typo).contains("did you mean `News`?"));

    let nowhere = SiteFixture::new().run(&["new", "Lost"]);
    assert!(!nowhere.status.success());
    assert!(
        stderr(&nowhere).contains("site.toml"),
        "{}",
        stderr(&nowhere)
    );
}

#[test]
fn check_finds_broken_links_anchors_and_images_at_their_lines() {
    let site = SiteFixture::new()
        .article(
            "a",
            "title: A\ndate: 2026-01-01\nsummary: s\ncategories: [News]\ntags: [t]",
            // Body starts on line 8.
            "Intro.\n\
             [bad anchor](/articles/b/#nope)\n\
             [no page](/articles/missing/)\n\
             [md ok](b.md#who) and [md bad anchor](b.md#whom)\n\
             [md missing](gone.md)\n\
             ![](pic.png)\n\
             [here](#intro-section) [fine](#section)\n\
             \n## Section\n",
        )
        .article(
            "b",
            "title: B\ndate: 2026-01-02\nsummary: s\ncategories: [News]\ntags: [t]",
            "## Who\n\nText.\n",
        )
        .config(crate::support::BASIC_CONFIG);
    let report = check_site(&site);
    let a = "content/articles/a.md";
    assert_eq!(
        found(&report, "/articles/b/#nope"),
        [(format!("{a}:9"), Severity::Error)]
    );
    assert_eq!(
        found(&report, "/articles/missing/"),
        [(format!("{a}:10"), Severity::Error)]
    );
    assert_eq!(
        found(&report, "#whom"),
        [(format!("{a}:11"), Severity::Error)]
    );
    assert_eq!(
        found(&report, "gone.md"),
        [(format!("{a}:12"), Severity::Error)]
    );
    assert_eq!(
        found(&report, "pic.png` does not exist"),
        [(format!("{a}:13"), Severity::Error)]
    );
    assert_eq!(
        found(&report, "has no alt text"),
        [(format!("{a}:13"), Severity::Error)]
    );
    assert_eq!(
        found(&report, "#intro-section"),
        [(format!("{a}:14"), Severity::Error)]
    );
    let hint = report
        .diagnostics
        .iter()
        .find(|d| d.message.contains("#whom"))
        .and_then(|d| d.hint.clone());
    assert_eq!(hint.as_deref(), Some("did you mean `#who`?"));
    assert_eq!(report.error_count(), 7, "{:#?}", report.diagnostics);
}

#[test]
fn check_reports_loose_ends_in_front_matter() {
    let site = SiteFixture::new()
        .article(
            "a",
            "title: A\ndate: 2026-01-01\ncategories: [News]\ntags: [water, watr]\nsource:\n  name: AP\nfaq:\n  - question: Why?\n    answer: Because.\n  - question: How?\n    answer: \"\"",
            "Body.\n",
        )
        .article(
            "b",
            "title: B\ndate: 2026-01-02\nsummary: s\ncategories: [News, Ecocide]\ntags: [water]",
            "Body.\n",
        )
        .config(crate::support::BASIC_CONFIG);
    let report = check_site(&site);
    let a = "content/articles/a.md";
    assert_eq!(
        found(&report, "no summary"),
        [(format!("{a}:2"), Severity::Warning)]
    );
    assert_eq!(
        found(&report, "source note has no URL"),
        [(format!("{a}:6"), Severity::Warning)]
    );
    assert_eq!(
        found(&report, "empty answer"),
        [(format!("{a}:12"), Severity::Error)]
    );
    assert_eq!(
        found(&report, "tag `watr` is used by this article only"),
        [(format!("{a}:5"), Severity::Warning)]
    );
    let typo = report
        .diagnostics
        .iter()
        .find(|d| d.message.contains("`watr`"))
        .unwrap();
    assert_eq!(typo.hint.as_deref(), Some("did you mean `water`?"));
    assert_eq!(
        found(&report, "category `Ecocide` is used by this article only"),
        [("content/articles/b.md:5".to_string(), Severity::Warning)]
    );
    assert!(found(&report, "`water` is used").is_empty());
    assert!(found(&report, "`News` is used").is_empty());
}

#[test]
fn check_places_template_and_menu_problems() {
    let config = format!(
        "{}\n[[menu]]\nname = \"Donate\"\nurl = \"/donate/\"\n",
        crate::support::BASIC_CONFIG
    );
    let site = SiteFixture::new().config(&config).article(
        "a",
        "title: A\ndate: 2026-01-01\nsummary: s\nimage: { src: hero.png, alt: A hero }",
        "Body.\n",
    );
    let report = check_site(&site);
    // The menu link is reported once, in site.toml, not once per built page.
    let line = config
        .lines()
        .position(|l| l == "url = \"/donate/\"")
        .unwrap()
        + 1;
    assert_eq!(
        found(&report, "`/donate/`"),
        [(format!("site.toml:{line}"), Severity::Error)]
    );
    assert_eq!(
        found(&report, "hero.png` does not exist"),
        [("content/articles/a.md:5".to_string(), Severity::Error)]
    );
}

#[test]
fn check_respects_a_sub_path_base_url() {
    let site = SiteFixture::new()
        .config("title = \"T\"\nbase_url = \"https://x.org/sub/\"\n")
        .article(
            "a",
            "title: A\ndate: 2026-01-01\nsummary: s",
            "[ok](/articles/a/)\n\n<a href=\"/donate/\">raw</a>\n",
        );
    let report = check_site(&site);
    assert_eq!(
        found(&report, "leads outside the site"),
        [("content/articles/a.md:8".to_string(), Severity::Error)]
    );
}

#[test]
fn check_cli_sets_exit_code_and_speaks_json() {
    let broken = SiteFixture::new()
        .config(crate::support::BASIC_CONFIG)
        .article(
            "a",
            "title: A\ndate: 2026-01-01\nsummary: s",
            "[x](/nowhere/)\n",
        );
    let out = broken.run(&["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(json["ok"], false);
    assert_eq!(json["errors"], 1);
    assert_eq!(json["diagnostics"][0]["path"], "content/articles/a.md");
    assert_eq!(json["diagnostics"][0]["line"], 6);
    assert_eq!(json["diagnostics"][0]["severity"], "error");

    let text = broken.run(&["check"]);
    assert!(
        stderr(&text)
            .contains("content/articles/a.md:6: error: link to `/nowhere/` points to no page")
    );

    let clean = SiteFixture::new()
        .config(crate::support::BASIC_CONFIG)
        .article("a", "title: A\ndate: 2026-01-01\nsummary: s", "Fine.\n");
    let ok = clean.run(&["check"]);
    assert!(ok.status.success(), "{}", stderr(&ok));

    let unbuildable = SiteFixture::new()
        .config(crate::support::BASIC_CONFIG)
        .article("a", "title: A", "No date.\n");
    let fails = unbuildable.run(&["check", "--format", "json"]);
    assert_eq!(fails.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&fails.stdout).unwrap();
    assert_eq!(json["built"], false);
    assert_eq!(json["diagnostics"][0]["message"], "missing field `date`");
}

/// A tiny HTTP server on 127.0.0.1: `/ok` 200, `/gone` 404, `/nohead` refuses HEAD but answers GET.
fn local_server() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            counter.fetch_add(1, Ordering::SeqCst);
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request_line = String::new();
            let _ = reader.read_line(&mut request_line);
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let mut parts = request_line.split_whitespace();
            let (method, path) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
            let status = match (method, path) {
                (_, "/ok") => "200 OK",
                ("HEAD", "/nohead") => "405 Method Not Allowed",
                ("GET", "/nohead") => "200 OK",
                _ => "404 Not Found",
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
        }
    });
    (base, hits)
}

#[test]
fn external_links_are_checked_against_a_local_server_with_a_cache() {
    let (base, hits) = local_server();
    let config = format!(
        "{}\n[[menu]]\nname = \"Partner\"\nurl = \"{base}/moved\"\n",
        crate::support::BASIC_CONFIG
    );
    let site = SiteFixture::new().config(&config).article(
        "a",
        "title: A\ndate: 2026-01-01\nsummary: s",
        &format!(
            "[ok]({base}/ok)\n[gone]({base}/gone)\n[picky]({base}/nohead)\n[again]({base}/ok)\n"
        ),
    );
    let cache = site.root().join(".pamphlet-cache/external-links.json");
    let opts = |now: u64| CheckOptions {
        build: site.options(),
        external: Some(ExternalOptions {
            concurrency: 2,
            ..ExternalOptions::new(Some(cache.clone()), now)
        }),
    };
    let first = check(&opts(1_000_000));
    assert_eq!(first.external, 4, "duplicates are checked once");
    assert_eq!(first.external_cached, 0);
    let gone = format!("{base}/gone");
    assert_eq!(
        found(&first, &gone),
        [("content/articles/a.md:7".to_string(), Severity::Error)]
    );
    assert!(
        found(&first, "/nohead").is_empty(),
        "GET fallback after a refused HEAD"
    );
    // The menu link is on every page but reported once, at its line in site.toml.
    let line = config.lines().position(|l| l.contains("/moved")).unwrap() + 1;
    assert_eq!(
        found(&first, "/moved"),
        [(format!("site.toml:{line}"), Severity::Error)]
    );
    assert_eq!(first.error_count(), 2, "{:#?}", first.diagnostics);
    let after_first = hits.load(Ordering::SeqCst);

    // Within a day the working links come from the cache; the broken ones are asked again.
    let second = check(&opts(1_000_000 + 3600));
    assert_eq!(second.external_cached, 2);
    assert_eq!(second.error_count(), 2);
    assert_eq!(
        hits.load(Ordering::SeqCst) - after_first,
        2,
        "one HEAD each for the broken links only"
    );

    // A day later everything is checked afresh.
    let later = check(&opts(1_000_000 + 2 * 86_400));
    assert_eq!(later.external_cached, 0);
}

#[test]
fn completions_man_page_and_help_cover_every_command() {
    let site = SiteFixture::new();
    for shell in ["bash", "zsh", "fish"] {
        let out = site.run(&["completions", shell]);
        assert!(out.status.success(), "{shell}");
        let script = stdout(&out);
        assert!(
            script.contains("check") && script.contains("eject-theme"),
            "{shell}"
        );
    }
    let man = site.run(&["man"]);
    assert!(
        stdout(&man).starts_with(".ie") || stdout(&man).contains(".TH"),
        "roff output"
    );
    let help = stdout(&site.run(&["--help"]));
    for cmd in ["build", "init", "new", "check", "completions", "man"] {
        assert!(help.contains(cmd), "--help lists {cmd}");
    }
    let new_help = stdout(&site.run(&["new", "--help"]));
    assert!(new_help.contains("--category") && new_help.contains("--draft"));
}
