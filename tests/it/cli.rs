//! The `pamphlet` binary as a user runs it: help text, one summary line, located errors on stderr,
//! exit codes, and never a panic.

use std::process::Output;

use crate::support::{SiteFixture, tree};

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[track_caller]
fn assert_no_panic(o: &Output) {
    let err = stderr(o);
    assert!(!err.contains("panicked"), "panic:\n{err}");
    assert!(!err.contains("RUST_BACKTRACE"), "panic:\n{err}");
}

/// A build that failed the way a user expects: exit code 1, no panic.
#[track_caller]
fn assert_failed(o: &Output) {
    assert_no_panic(o);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(o));
}

fn site() -> SiteFixture {
    SiteFixture::new()
        .article(
            "story",
            "title: Story\ndate: 2026-01-01\ncategories: [News]",
            "Body.",
        )
        .article(
            "draft",
            "title: Draft\ndate: 2026-01-02\ndraft: true",
            "Body.",
        )
        .article("later", "title: Later\ndate: 2999-01-01", "Body.")
        .file("content/pages/about.md", "---\ntitle: About\n---\nUs.")
        .with_default_config()
}

#[test]
fn help_mentions_every_option() {
    let f = SiteFixture::new();
    let top = f.run(&["--help"]);
    assert!(top.status.success());
    let text = stdout(&top);
    assert!(text.contains("build"), "{text}");
    assert!(
        text.contains("--help") && text.contains("--version"),
        "{text}"
    );
    let build = f.run(&["build", "--help"]);
    assert!(build.status.success());
    let text = stdout(&build);
    for option in [
        "--root",
        "--output",
        "--base-url",
        "--drafts",
        "--future",
        "--help",
    ] {
        assert!(
            text.contains(option),
            "build --help lacks {option}:\n{text}"
        );
    }
    // Each option is explained, not just listed.
    assert!(text.contains("site.toml"), "{text}");
    assert!(text.contains("draft"), "{text}");
}

#[test]
fn successful_build_prints_one_summary_line() {
    let f = site();
    let o = f.run(&["build"]);
    assert_no_panic(&o);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stderr(&o), "", "no warnings expected");
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 1, "{out}");
    let line = lines[0];
    for part in [
        "1 articles",
        "1 pages",
        "4 categories",
        " ms",
        "1 draft(s) held back",
        "1 scheduled article(s) held back (use --future)",
    ] {
        assert!(line.contains(part), "`{part}` missing from: {line}");
    }
    assert!(f.root().join("public/articles/story/index.html").is_file());
    assert!(!f.root().join("public/articles/later").exists());
}

#[test]
fn timings_name_each_stage_on_stderr_and_leave_the_summary_alone() {
    let f = site();
    let o = f.run(&["build", "--timings"]);
    assert_no_panic(&o);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    let stages: Vec<&str> = err
        .lines()
        .filter_map(|l| l.trim_start().split_once(" ms  ").map(|(_, stage)| stage))
        .collect();
    assert_eq!(
        stages,
        [
            "load (config, content, templates)",
            "model (Markdown, highlighting)",
            "render and write pages, feeds, sitemap",
            "swap in the new output",
        ],
        "{err}"
    );
    for line in err.lines().filter(|l| l.contains(" ms  ")) {
        let ms: f64 = line.split_whitespace().next().unwrap().parse().unwrap();
        assert!(ms >= 0.0, "{line}");
    }
    if cfg!(target_os = "linux") {
        assert!(err.contains("MB  peak memory (resident)"), "{err}");
    }
    assert_eq!(
        stdout(&o).lines().count(),
        1,
        "the summary line stays one line"
    );
}

#[test]
fn options_reach_the_build() {
    let f = site();
    let out = tempfile::tempdir().unwrap();
    let out_dir = out.path().join("preview");
    let root = f.root().to_str().unwrap().to_string();
    let o = f.run(&[
        "build",
        "--root",
        &root,
        "--output",
        out_dir.to_str().unwrap(),
        "--base-url",
        "https://preview.example.net/pr-1/",
        "--drafts",
        "--future",
    ]);
    assert_no_panic(&o);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("3 articles"), "{}", stdout(&o));
    assert!(!stdout(&o).contains("held back"));
    assert!(out_dir.join("articles/draft/index.html").is_file());
    assert!(out_dir.join("articles/later/index.html").is_file());
    assert!(!f.root().join("public").exists(), "--output was used");
    let html = std::fs::read_to_string(out_dir.join("index.html")).unwrap();
    let page = crate::support::Page(scraper::Html::parse_document(&html));
    assert_eq!(
        page.attrs("link[rel=canonical]", "href"),
        ["https://preview.example.net/pr-1/"]
    );
}

#[test]
fn failed_build_prints_located_errors_and_exits_non_zero() {
    let f = site()
        .article("bad-date", "title: x\ndate: 2026-02-30", "Body.")
        .article(
            "typo",
            "title: x\ndate: 2026-01-01\ncatagories: [News]",
            "Body.",
        );
    let o = f.run(&["build"]);
    assert_failed(&o);
    assert_eq!(stdout(&o), "", "nothing on stdout when the build fails");
    let err = stderr(&o);
    let errors: Vec<&str> = err.lines().filter(|l| l.contains(": error: ")).collect();
    assert_eq!(
        errors,
        [
            "content/articles/bad-date.md:3: error: `2026-02-30` is not a valid date (that day does not exist in the calendar); write YYYY-MM-DD or RFC 3339 like 2026-01-27T09:30:00Z",
            "content/articles/typo.md:4:1: error: unknown field `catagories`, expected one of `title`, `date`, `updated`, `slug`, `id`, `summary`, `author`, `categories`, `tags`, `image`, `read_time`, `source`, `faq`, `draft`, `extra`",
        ],
        "{err}"
    );
    assert!(err.contains("  hint: did you mean `categories`?"), "{err}");
    assert!(err.lines().last().unwrap().contains("2 error(s)"), "{err}");
    assert!(!f.root().join("public").exists());
}

#[test]
fn failed_cli_build_keeps_the_previous_output() {
    let f = site();
    assert!(f.run(&["build"]).status.success());
    let before = tree(&f.root().join("public"));
    let f = f.article(
        "bad",
        "title: x\ndate: 2026-01-01\nimage: { src: a.jpg }",
        "B.",
    );
    let o = f.run(&["build"]);
    assert_failed(&o);
    assert!(stderr(&o).contains("left untouched"), "{}", stderr(&o));
    assert_eq!(tree(&f.root().join("public")), before);
}

#[test]
fn refused_output_folder_is_an_error_not_a_panic() {
    let f = site();
    let o = f.run(&["build", "--output", "."]);
    assert_failed(&o);
    assert!(
        stderr(&o).contains("not created by Pamphlet"),
        "{}",
        stderr(&o)
    );
    assert!(!f.root().join("index.html").exists());
}

#[test]
fn bad_invocations_never_panic() {
    let f = site();
    let empty = tempfile::tempdir().unwrap();
    let cases: [&[&str]; 6] = [
        &["build", "--root", empty.path().to_str().unwrap()],
        &["build", "--root", "/no/such/folder"],
        &["build", "--base-url", "not a url"],
        &["build", "--output", "site.toml"],
        &["build", "--no-such-flag"],
        &["frobnicate"],
    ];
    for args in cases {
        let o = f.run(args);
        assert_no_panic(&o);
        assert!(!o.status.success(), "{args:?} should fail");
        assert!(!stderr(&o).is_empty(), "{args:?} says why");
    }
    let o = f.run(&["build", "--root", empty.path().to_str().unwrap()]);
    assert!(stderr(&o).contains("site.toml"), "{}", stderr(&o));
    assert!(stderr(&o).contains("--root"), "{}", stderr(&o));
}

/// Runs `pamphlet build` in `f` and closes the pipe named by `close` before pamphlet writes to it,
/// like `pamphlet build | head -0`; returns the exit code and whatever reached the other stream.
fn build_with_closed(f: &SiteFixture, close: &str) -> (Option<i32>, String) {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_pamphlet"))
        .arg("build")
        .current_dir(f.root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run pamphlet");
    let (closed, mut open): (Box<dyn Read>, Box<dyn Read>) = match close {
        "stdout" => (
            Box::new(child.stdout.take().unwrap()),
            Box::new(child.stderr.take().unwrap()),
        ),
        _ => (
            Box::new(child.stderr.take().unwrap()),
            Box::new(child.stdout.take().unwrap()),
        ),
    };
    drop(closed);
    let mut other = String::new();
    open.read_to_string(&mut other).unwrap();
    (child.wait().unwrap().code(), other)
}

#[test]
fn closed_output_pipes_do_not_panic() {
    let (code, err) = build_with_closed(&site(), "stdout");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(code, Some(0), "{err}");
    let bad = site().article("bad", "title: x\ndate: 2026-02-30", "B.");
    let (code, out) = build_with_closed(&bad, "stderr");
    assert_eq!(code, Some(1), "a failure, not a panic (101): {out}");
}
