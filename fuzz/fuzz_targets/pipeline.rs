//! Fuzz target: one article's text -> parse_doc -> Site::assemble -> render_site with the default theme.
//! Any error is fine; a panic, a hang or an output path outside the output folder is a finding.
#![no_main]

use std::path::{Component, Path};
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use pamphlet::config::SiteConfig;
use pamphlet::content::{DocKind, parse_doc};
use pamphlet::markdown::Highlighter;
use pamphlet::render::{Templates, render_site};
use pamphlet::site::Site;

static CONFIG: LazyLock<SiteConfig> = LazyLock::new(|| {
    SiteConfig::parse(
        Path::new("site.toml"),
        "title = \"T\"\nbase_url = \"https://x.org/sub/\"\n[newsletter]\naction = \"https://l.example/\"\n[[categories]]\nname = \"News\"\n",
    )
    .expect("fuzz config parses")
});
static TEMPLATES: LazyLock<Templates> = LazyLock::new(|| {
    Templates::load(Path::new("/nonexistent-pamphlet-fuzz-root"), "default")
        .expect("default theme loads")
});
static HL: LazyLock<Highlighter> = LazyLock::new(Highlighter::new);

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(doc) = parse_doc(
        Path::new("content/articles/fuzz.md"),
        Path::new("articles/fuzz.md"),
        DocKind::Article,
        text,
        &CONFIG,
    ) else {
        return;
    };
    let (site, _warnings) = Site::assemble(CONFIG.clone(), vec![doc], &HL);
    if let Ok(files) = render_site(&site, &TEMPLATES) {
        for f in files {
            assert!(
                Path::new(&f.rel_path)
                    .components()
                    .all(|c| matches!(c, Component::Normal(_))),
                "{}",
                f.rel_path
            );
        }
    }
});
