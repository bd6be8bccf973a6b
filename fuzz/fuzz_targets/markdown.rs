//! Fuzz target: any text -> Markdown render with highlighting, raw HTML kept and stripped (never a panic).
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use pamphlet::markdown::{Highlighter, LinkMap, RenderEnv, render};

static HL: LazyLock<Highlighter> = LazyLock::new(Highlighter::new);
static LINKS: LazyLock<LinkMap> = LazyLock::new(|| {
    let mut m = LinkMap::new();
    m.insert(PathBuf::from("articles/b.md"), "/articles/b/".into());
    m
});

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for unsafe_html in [true, false] {
        let env = RenderEnv {
            content_path: Path::new("articles/a.md"),
            shown_path: Path::new("content/articles/a.md"),
            first_line: 5,
            links: &LINKS,
            base_path: "/sub/",
            unsafe_html,
            highlighter: &HL,
        };
        let out = render(text, &env);
        if !unsafe_html {
            assert!(!out.html.contains("<script"), "raw HTML survived stripping");
        }
    }
});
