//! Output confinement: takes sites and `--output` choices that point at folders Pamphlet does not own
//! and gives proof that nothing outside the output folder is written or deleted.

use std::fs;
use std::path::Path;

use crate::support::SiteFixture;

/// Every file under `dir` with its bytes.
fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
            let bytes = if e.file_type().is_file() {
                fs::read(e.path()).unwrap()
            } else {
                Vec::new()
            };
            (rel, bytes)
        })
        .collect();
    v.sort();
    v
}

fn site() -> SiteFixture {
    SiteFixture::new()
        .config(crate::support::BASIC_CONFIG)
        .article("water", "title: Water\ndate: 2026-01-27", "Body.")
}

#[test]
fn output_at_the_site_root_or_content_is_refused_and_nothing_changes() {
    let s = site();
    for out in [".", "content", "content/articles", ".."] {
        let before = tree(s.root());
        let run = s.run(&["build", "--output", out]);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(!run.status.success(), "--output {out} was accepted");
        assert!(
            stderr.contains("refusing to replace this folder"),
            "{out}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert_eq!(tree(s.root()), before, "--output {out} changed the site");
    }
}

#[test]
fn output_at_a_root_like_folder_is_refused() {
    // Stands in for `--output /` or a home folder: a non-empty folder without our marker.
    let fake_root = tempfile::tempdir().unwrap();
    for d in ["etc", "home/me", "usr/bin"] {
        fs::create_dir_all(fake_root.path().join(d)).unwrap();
    }
    fs::write(fake_root.path().join("etc/passwd"), "root:x:0:0").unwrap();
    let before = tree(fake_root.path());
    let s = site();
    let out = fake_root.path().to_str().unwrap();
    let run = s.run(&["build", "--output", out]);
    assert!(!run.status.success());
    assert_eq!(tree(fake_root.path()), before);
    let lib = s.build_fails_with(&pamphlet::BuildOptions {
        output: Some(fake_root.path().to_path_buf()),
        ..s.options()
    });
    assert!(
        lib[0].message.contains("not created by Pamphlet"),
        "{lib:?}"
    );
    assert_eq!(tree(fake_root.path()), before);
    // Nothing was staged beside it either.
    let parent = fake_root.path().parent().unwrap();
    let name = fake_root.path().file_name().unwrap().to_string_lossy();
    assert!(!parent.join(format!(".{name}.pamphlet-staging")).exists());
}

#[test]
fn an_empty_or_own_folder_is_replaced() {
    let s = site();
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("site-out");
    fs::create_dir_all(&target).unwrap();
    let opts = pamphlet::BuildOptions {
        output: Some(target.clone()),
        ..s.options()
    };
    pamphlet::build(&opts).unwrap();
    assert!(target.join(".pamphlet-output").is_file());
    pamphlet::build(&opts).unwrap();
    assert!(target.join("articles/water/index.html").is_file());
}

#[test]
fn asset_names_cannot_climb_out_of_the_output_folder() {
    // A file name with backslashes becomes `../../` once separators are normalised: refused, nothing written.
    let s = SiteFixture::new()
        .config(crate::support::BASIC_CONFIG)
        .file(
            "content/articles/story/index.md",
            "---\ntitle: T\ndate: 2026-01-27\n---\nBody\n",
        )
        .file("content/articles/story/..\\..\\..\\..\\evil.txt", "evil");
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("a/b/out");
    let diags = s.build_fails_with(&pamphlet::BuildOptions {
        output: Some(target.clone()),
        ..s.options()
    });
    assert!(
        diags
            .iter()
            .any(|d| d.message.contains("outside the output folder")),
        "{diags:?}"
    );
    let written: Vec<_> = walkdir::WalkDir::new(out.path())
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .collect();
    assert!(written.is_empty(), "{written:?}");
}

#[test]
fn image_paths_stay_urls_and_read_nothing_outside() {
    let s = SiteFixture::new()
        .config(crate::support::BASIC_CONFIG)
        .article(
            "x",
            "title: T\ndate: 2026-01-27\nimage: { src: ../../../../etc/passwd, alt: A }",
            "![b](../../../../../etc/shadow)\n",
        )
        .build();
    let page = s.html("articles/x/index.html");
    assert_eq!(
        page.attrs(".hero img", "src"),
        ["/articles/x/../../../../etc/passwd"]
    );
    let files = tree(&s.out);
    assert!(
        files
            .iter()
            .all(|(rel, _)| !rel.contains("passwd") && !rel.contains("shadow"))
    );
}
