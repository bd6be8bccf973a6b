//! Fuzz target: any text -> front matter split + YAML parse + checks into a `SourceDoc` (never a panic).
#![no_main]

use std::path::Path;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use pamphlet::config::SiteConfig;
use pamphlet::content::{DocKind, parse_doc};

static CONFIG: LazyLock<SiteConfig> = LazyLock::new(|| {
    SiteConfig::parse(
        Path::new("site.toml"),
        "title = \"T\"\nbase_url = \"https://x.org/\"\n[[categories]]\nname = \"News\"\n",
    )
    .expect("fuzz config parses")
});

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for kind in [DocKind::Article, DocKind::Page] {
        let _ = parse_doc(
            Path::new("content/articles/fuzz.md"),
            Path::new("articles/fuzz.md"),
            kind,
            text,
            &CONFIG,
        );
    }
});
