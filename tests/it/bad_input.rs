//! The broken-input corpus: takes every case of `tests/fixtures/bad/cases.toml` (a folder overlaid on
//! `_base/`, or a generated site) and checks, through the real binary and through the library, the exit
//! status, the located message with its hint, the absence of panic text, and that the previous output
//! folder is byte-identical after a failed build.

use std::collections::BTreeMap;
use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use pamphlet::BuildOptions;
use pamphlet::error::{Diagnostic, Severity};
use scraper::{Html, Selector};
use serde::Deserialize;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/bad");
/// Text that only a panic, an abort or a stack overflow prints.
const PANIC_TEXT: [&str; 5] = [
    "panicked",
    "stack backtrace",
    "RUST_BACKTRACE",
    "overflowed its stack",
    "SIGSEGV",
];
/// A file outside the site that symlinks point to; it must never be published.
const SECRET: &str = "SECRET-OUTSIDE-THE-SITE";

#[derive(Debug, Deserialize)]
struct Manifest {
    case: Vec<Case>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Expect {
    Error,
    Warning,
    Ok,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    expect: Expect,
    /// Substring of the diagnostic's message.
    message: Option<String>,
    /// The diagnostic's path, relative to the site root (`{out}`: the output folder).
    file: Option<String>,
    /// The diagnostic's line.
    line: Option<usize>,
    /// Substring of the diagnostic's hint.
    hint: Option<String>,
    /// A generated site (see `generate`), for inputs too big or too odd to commit.
    generate: Option<String>,
    /// Files of `_base/` to delete.
    #[serde(default)]
    remove: Vec<String>,
    /// Substring of the binary's standard output (successful builds).
    stdout: Option<String>,
    /// Output file that must not exist.
    absent: Option<String>,
    /// Output file that must exist (pages too deep to parse back in reasonable time: html5ever is
    /// quadratic in nesting depth, which is why browsers cap it).
    exists: Option<String>,
    /// Output page to parse, with its expected `<h1>` and a selector that must match nothing.
    page: Option<String>,
    page_h1: Option<String>,
    page_absent: Option<String>,
    /// Also check that nothing was written outside the site and output folders.
    #[serde(default)]
    only_under_output: bool,
    /// Run through the library too (off where the mechanism is per-process, like RLIMIT_FSIZE).
    #[serde(default = "yes")]
    library: bool,
}

fn yes() -> bool {
    true
}

fn manifest() -> Manifest {
    let text = fs::read_to_string(Path::new(FIXTURES).join("cases.toml")).unwrap();
    toml::from_str(&text).unwrap()
}

fn copy_tree(from: &Path, to: &Path) {
    if !from.is_dir() {
        return;
    }
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let dest = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&dest).unwrap();
        } else {
            fs::create_dir_all(dest.parent().unwrap()).unwrap();
            fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// Every file under `p` (or `p` itself if it is a file) with its bytes; symlinks as their target.
fn snapshot(p: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    if p.is_file() {
        out.insert(PathBuf::new(), fs::read(p).unwrap());
    } else if p.is_dir() {
        for e in walkdir::WalkDir::new(p).sort_by_file_name() {
            let e = e.unwrap();
            let rel = e.path().strip_prefix(p).unwrap().to_path_buf();
            if e.file_type().is_file() {
                out.insert(rel, fs::read(e.path()).unwrap());
            } else {
                out.insert(rel, b"<dir>".to_vec());
            }
        }
    }
    out
}

fn options(site: &Path, out: &Path) -> BuildOptions {
    let mut o = BuildOptions::new(site);
    o.output = Some(out.to_path_buf());
    o
}

fn article(title: &str, body: &str) -> String {
    format!("---\ntitle: {title}\ndate: 2026-01-01\n---\n{body}")
}

/// Where a case builds to, and what must stay byte-identical when it fails.
struct Target {
    cli_out: PathBuf,
    lib_out: PathBuf,
    /// Top-level names in the temp folder that the case legitimately has.
    expected_entries: Vec<String>,
    /// Run the binary under a shell that caps the size of files it may write.
    file_size_limit: bool,
}

fn generate(name: &str, tmp: &Path, site: &Path) -> Target {
    let articles = site.join("content/articles");
    let mut t = Target {
        cli_out: tmp.join("out-cli"),
        lib_out: tmp.join("out-lib"),
        expected_entries: vec!["site".into(), "out-cli".into(), "out-lib".into()],
        file_size_limit: false,
    };
    let outside = tmp.join("outside");
    let secret = article("Secret", &format!("{SECRET}\n"));
    match name {
        "deep-yaml" => {
            let n = 100_000;
            let fm = format!(
                "---\ntitle: T\ndate: 2026-01-01\nextra:\n  a: {}1{}\n---\nBody\n",
                "{a: ".repeat(n),
                "}".repeat(n)
            );
            fs::write(articles.join("x.md"), fm).unwrap();
        }
        "deep-blockquote" => {
            let body = format!(
                "{} deep\n\n{}deeper\n",
                ">".repeat(100_000),
                "> ".repeat(100_000)
            );
            fs::write(articles.join("deep.md"), article("Deep", &body)).unwrap();
        }
        "deep-list" => {
            let indented: String = (0..2_000)
                .map(|i| format!("{}- x\n", "  ".repeat(i)))
                .collect();
            let body = format!(
                "{}x\n\n{}x\n\n{indented}",
                "- ".repeat(100_000),
                "1. ".repeat(100_000)
            );
            fs::write(articles.join("deep.md"), article("Deep", &body)).unwrap();
        }
        "deep-inline" => {
            let n = 50_000;
            let body = format!(
                "{}x{}\n\n{}x{}\n\n{}\n",
                "*".repeat(n),
                "*".repeat(n),
                "[".repeat(n),
                "](u)".repeat(n),
                "[^a]: ".repeat(n)
            );
            fs::write(articles.join("deep.md"), article("Deep", &body)).unwrap();
        }
        "big-article" => {
            let para = "The operation, known as Operation Liberterra III, brought together police forces from [119 countries](https://example.org/) in a *coordinated* crackdown.\n\n";
            let size = 50 * 1024 * 1024;
            let mut body = para.repeat(size / para.len());
            body.push_str(&"x".repeat(size - body.len()));
            fs::write(articles.join("big.md"), article("Big", &body)).unwrap();
        }
        "symlink-file" | "symlink-dir" | "symlink-root" => {
            fs::create_dir_all(outside.join("articles")).unwrap();
            fs::write(outside.join("articles/secret.md"), &secret).unwrap();
            t.expected_entries.push("outside".into());
            let (link, target) = match name {
                "symlink-file" => (articles.join("leak.md"), outside.join("articles/secret.md")),
                "symlink-dir" => (articles.join("elsewhere"), outside.join("articles")),
                _ => {
                    fs::remove_dir_all(&articles).unwrap();
                    (articles.clone(), outside.join("articles"))
                }
            };
            std::os::unix::fs::symlink(target, link).unwrap();
        }
        "output-under-file" => {
            fs::write(tmp.join("blocker"), "a file, not a folder").unwrap();
            t.cli_out = tmp.join("blocker/out");
            t.lib_out = t.cli_out.clone();
            t.expected_entries.push("blocker".into());
        }
        "output-is-file" => {
            fs::write(tmp.join("blocker"), "a file, not a folder").unwrap();
            t.cli_out = tmp.join("blocker");
            t.lib_out = t.cli_out.clone();
            t.expected_entries.push("blocker".into());
        }
        "output-foreign" => {
            fs::create_dir_all(tmp.join("foreign/sub")).unwrap();
            fs::write(tmp.join("foreign/precious.txt"), "keep me").unwrap();
            fs::write(tmp.join("foreign/sub/notes.md"), "keep me too").unwrap();
            t.cli_out = tmp.join("foreign");
            t.lib_out = t.cli_out.clone();
            t.expected_entries.push("foreign".into());
        }
        // Names a case-insensitive or Windows checkout could not hold, so made here rather than committed.
        "aux-file" => fs::write(articles.join("aux.md"), article("T", "Body\n")).unwrap(),
        "case-twins" => {
            fs::write(articles.join("Water.md"), article("T", "A\n")).unwrap();
            fs::write(articles.join("water.md"), article("T", "B\n")).unwrap();
        }
        "asset-case-twins" => {
            let story = articles.join("story");
            fs::create_dir_all(&story).unwrap();
            fs::write(story.join("index.md"), article("T", "![a](photo.jpg)\n")).unwrap();
            fs::write(story.join("photo.jpg"), "a").unwrap();
            fs::write(story.join("Photo.JPG"), "b").unwrap();
        }
        "disk-full" => {
            // New bytes to write: files equal to the previous output are linked, not written.
            let body = "A new story that must be written out in full. ".repeat(100);
            fs::write(articles.join("fresh.md"), article("Fresh", &body)).unwrap();
            t.file_size_limit = true;
        }
        other => panic!("unknown generator `{other}`"),
    }
    t
}

fn run_cli(site: &Path, out: &Path, limit_file_size: bool) -> Output {
    let bin = env!("CARGO_BIN_EXE_pamphlet");
    let mut cmd = if limit_file_size {
        // RLIMIT_FSIZE (1 KiB) with SIGXFSZ ignored: writes past the limit fail with EFBIG, as on a full
        // disk; root ignores permission bits, but not this. Both settings are inherited through exec.
        let mut c = Command::new("sh");
        c.args(["-c", "ulimit -f 2; trap '' XFSZ; exec \"$0\" \"$@\"", bin]);
        c
    } else {
        Command::new(bin)
    };
    cmd.arg("build")
        .arg("--root")
        .arg(site)
        .arg("--output")
        .arg(out)
        .env("RUST_BACKTRACE", "1")
        .output()
        .expect("run pamphlet")
}

fn expected_severity(case: &Case) -> Severity {
    if case.expect == Expect::Warning {
        Severity::Warning
    } else {
        Severity::Error
    }
}

/// Checks the binary's stderr has the diagnostic as `path:line[:col]: error: message` + `  hint: ...`.
fn check_printed(case: &Case, file: Option<&str>, stderr: &str) -> Result<(), String> {
    let Some(message) = &case.message else {
        return Ok(());
    };
    let label = match expected_severity(case) {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let lines: Vec<&str> = stderr.lines().collect();
    let found = lines.iter().enumerate().find(|(_, l)| {
        let located = match (file, case.line) {
            (Some(f), Some(n)) => {
                l.starts_with(&format!("{f}:{n}:")) || l.starts_with(&format!("{f}:{n}: "))
            }
            (Some(f), None) => l.starts_with(&format!("{f}:")),
            (None, _) => true,
        };
        located && l.contains(&format!("{label}: ")) && l.contains(message.as_str())
    });
    let Some((i, _)) = found else {
        return Err(format!(
            "stderr lacks the {label} `{message}` at {file:?}:{:?}",
            case.line
        ));
    };
    if let Some(hint) = &case.hint {
        let block: String = lines[i + 1..]
            .iter()
            .take_while(|l| l.starts_with("  "))
            .copied()
            .collect::<Vec<_>>()
            .join("\n");
        if !block.starts_with("  hint: ") || !block.contains(hint.as_str()) {
            return Err(format!("stderr lacks the hint `{hint}` under the message"));
        }
    }
    Ok(())
}

/// Checks the library returned the same diagnostic, as data.
fn check_returned(case: &Case, file: Option<&str>, diags: &[Diagnostic]) -> Result<(), String> {
    let Some(message) = &case.message else {
        return Ok(());
    };
    let hit = diags.iter().any(|d| {
        d.severity == expected_severity(case)
            && d.message.contains(message.as_str())
            && file.is_none_or(|f| d.path == Path::new(f))
            && (case.line.is_none() || d.line == case.line)
            && case
                .hint
                .as_ref()
                .is_none_or(|h| d.hint.as_deref().is_some_and(|dh| dh.contains(h.as_str())))
    });
    if hit {
        Ok(())
    } else {
        Err(format!(
            "library diagnostics lack `{message}` at {file:?}:{:?}: {diags:#?}",
            case.line
        ))
    }
}

fn check_output_pages(case: &Case, out: &Path) -> Result<(), String> {
    if let Some(page) = &case.page {
        let text = fs::read_to_string(out.join(page)).map_err(|e| format!("{page}: {e}"))?;
        let html = Html::parse_document(&text);
        if let Some(h1) = &case.page_h1 {
            let sel = Selector::parse("h1").unwrap();
            let got: Vec<String> = html.select(&sel).map(|e| e.text().collect()).collect();
            if got != [h1.clone()] {
                return Err(format!("{page}: h1 {got:?}, expected {h1:?}"));
            }
        }
        if let Some(css) = &case.page_absent {
            let sel = Selector::parse(css).unwrap();
            if html.select(&sel).next().is_some() {
                return Err(format!("{page}: `{css}` should match nothing"));
            }
        }
    }
    if let Some(rel) = &case.exists
        && !out.join(rel).is_file()
    {
        return Err(format!("{rel} was not written"));
    }
    if let Some(absent) = &case.absent
        && out.join(absent).exists()
    {
        return Err(format!("{absent} should not have been written"));
    }
    for (rel, bytes) in snapshot(out) {
        if bytes.windows(SECRET.len()).any(|w| w == SECRET.as_bytes()) {
            return Err(format!(
                "{} publishes a file from outside the site",
                rel.display()
            ));
        }
    }
    Ok(())
}

fn run_case(case: &Case) -> Result<(), String> {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_tree(&Path::new(FIXTURES).join("_base"), &site);
    let mut target = Target {
        cli_out: tmp.path().join("out-cli"),
        lib_out: tmp.path().join("out-lib"),
        expected_entries: vec!["site".into(), "out-cli".into(), "out-lib".into()],
        file_size_limit: false,
    };
    // The previous outputs, from the good base site.
    for out in [&target.cli_out, &target.lib_out] {
        pamphlet::build(&options(&site, out)).map_err(|f| format!("base site fails: {:?}", f.0))?;
    }
    copy_tree(&Path::new(FIXTURES).join(&case.name), &site);
    for r in &case.remove {
        fs::remove_file(site.join(r)).unwrap();
    }
    if let Some(g) = &case.generate {
        target = generate(g, tmp.path(), &site);
    }
    let before_cli = snapshot(&target.cli_out);
    let before_lib = snapshot(&target.lib_out);
    let file = |out: &Path| {
        case.file
            .as_ref()
            .map(|f| f.replace("{out}", &out.display().to_string()))
    };

    // Through the real binary.
    let output = run_cli(&site, &target.cli_out, target.file_size_limit);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let said = format!(
        "status {:?}\nstdout:\n{stdout}\nstderr:\n{stderr}",
        output.status
    );
    if let Some(p) = PANIC_TEXT.iter().find(|p| said.contains(**p)) {
        return Err(format!("panic text `{p}`:\n{said}"));
    }
    if let Some(c) = said
        .chars()
        .find(|c| c.is_control() && !matches!(c, '\n' | '\t'))
    {
        return Err(format!("raw control character {c:?} printed:\n{said:?}"));
    }
    let ok = output.status.success();
    if ok != (case.expect != Expect::Error) {
        return Err(format!("wrong exit status:\n{said}"));
    }
    check_printed(case, file(&target.cli_out).as_deref(), &stderr)
        .map_err(|e| format!("{e}\n{said}"))?;
    if let Some(s) = &case.stdout
        && !stdout.contains(s.as_str())
    {
        return Err(format!("stdout lacks `{s}`:\n{said}"));
    }
    if case.expect == Expect::Error {
        if snapshot(&target.cli_out) != before_cli {
            return Err("the binary changed the previous output".into());
        }
    } else {
        check_output_pages(case, &target.cli_out)?;
    }

    // Through the library.
    if case.library {
        let opts = options(&site, &target.lib_out);
        let result = catch_unwind(AssertUnwindSafe(|| pamphlet::build(&opts)))
            .map_err(|_| "the library panicked".to_string())?;
        match (result, case.expect) {
            (Err(f), Expect::Error) => {
                check_returned(case, file(&target.lib_out).as_deref(), &f.0)?
            }
            (Ok(report), Expect::Warning | Expect::Ok) => {
                check_returned(case, file(&target.lib_out).as_deref(), &report.warnings)?;
                check_output_pages(case, &target.lib_out)?;
            }
            (Ok(_), Expect::Error) => return Err("the library build succeeded".into()),
            (Err(f), _) => return Err(format!("the library build failed: {:#?}", f.0)),
        }
        if case.expect == Expect::Error && snapshot(&target.lib_out) != before_lib {
            return Err("the library changed the previous output".into());
        }
    }

    // Nothing else appeared beside the site and its outputs: no staging leftovers, nothing escaped.
    let mut entries: Vec<String> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    entries.sort();
    let mut allowed = target.expected_entries.clone();
    allowed.sort();
    if entries.iter().any(|e| !allowed.contains(e)) {
        return Err(format!("unexpected entries beside the site: {entries:?}"));
    }
    if case.only_under_output {
        let site_now = snapshot(&site);
        if site_now.keys().any(|k| k.starts_with("public")) {
            return Err("wrote into the site folder".into());
        }
    }
    Ok(())
}

#[test]
fn every_broken_input_fails_cleanly_or_works_as_documented() {
    let manifest = manifest();
    assert!(
        manifest.case.len() >= 60,
        "the corpus has {} cases",
        manifest.case.len()
    );
    let only = std::env::var("BAD_CASE").ok();
    let mut names = std::collections::BTreeSet::new();
    let failures: Vec<String> = manifest
        .case
        .iter()
        .filter(|c| {
            assert!(names.insert(c.name.clone()), "duplicate case {}", c.name);
            only.as_ref().is_none_or(|o| c.name.contains(o.as_str()))
        })
        .filter_map(|c| run_case(c).err().map(|e| format!("--- {}: {e}", c.name)))
        .collect();
    assert!(
        failures.is_empty(),
        "{} case(s) failed:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn every_case_folder_is_in_the_manifest() {
    let names: Vec<String> = manifest().case.into_iter().map(|c| c.name).collect();
    for entry in fs::read_dir(FIXTURES).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_dir() && name != "_base" {
            assert!(names.contains(&name), "folder {name} has no [[case]]");
        }
    }
}
