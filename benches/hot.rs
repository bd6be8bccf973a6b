//! Takes the example site's articles and gives criterion timings of the hot functions: front matter
//! parse (whole, and the YAML alone by the fast path and by serde_yaml), Markdown render, code
//! highlighting and one article template render.
//! Run with `cargo bench --bench hot`.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use pamphlet::config::SiteConfig;
use pamphlet::content::{DocKind, front_matter, parse_doc};
use pamphlet::markdown::{self, Highlighter, LinkMap, RenderEnv};
use pamphlet::render::Templates;
use pamphlet::render::context::{ArticleView, SiteView};
use pamphlet::{BuildOptions, build_in_memory};

const ARTICLE: &str = include_str!("../content/articles/river-lenn-citizen-testing.md");
/// Front matter as `examples/gen_corpus.rs` writes it (3-5 FAQ pairs, a source note).
const CORPUS_YAML: &str = include_str!("../tests/fixtures/front_matter/corpus-1066.yaml");
const SITE: &str = include_str!("../site.toml");
const CODE: &str = r#"use std::collections::BTreeMap;

/// Counts words per author.
fn tally(articles: &[(String, String)]) -> BTreeMap<&str, usize> {
    let mut counts = BTreeMap::new();
    for (author, body) in articles {
        *counts.entry(author.as_str()).or_insert(0) += body.split_whitespace().count();
    }
    counts
}

fn main() {
    let v = vec![("Priya".to_string(), "Water samples taken".to_string())];
    println!("{:?}", tally(&v));
}
"#;

fn hot(c: &mut Criterion) {
    let config = SiteConfig::parse(Path::new("site.toml"), SITE).expect("site.toml");
    let path = Path::new("content/articles/river-lenn-citizen-testing.md");
    let content_path = Path::new("articles/river-lenn-citizen-testing.md");
    c.bench_function("front_matter_parse", |b| {
        b.iter(|| parse_doc(path, content_path, DocKind::Article, ARTICLE, &config).expect("doc"))
    });

    c.bench_function("front_matter_yaml_fast_path", |b| {
        b.iter(|| front_matter::parse_fast(black_box(CORPUS_YAML)).expect("fast path"))
    });
    c.bench_function("front_matter_yaml_serde_yaml", |b| {
        b.iter(|| front_matter::parse_serde(black_box(CORPUS_YAML)).expect("serde_yaml"))
    });

    let doc = parse_doc(path, content_path, DocKind::Article, ARTICLE, &config).expect("doc");
    let links = LinkMap::new();
    let highlighter = Highlighter::new();
    let env = RenderEnv {
        content_path,
        shown_path: path,
        first_line: doc.body_line,
        links: &links,
        base_path: "/",
        unsafe_html: false,
        highlighter: &highlighter,
    };
    c.bench_function("markdown_render", |b| {
        b.iter(|| markdown::render(&doc.body, &env))
    });

    // Each iteration highlights a different snippet, so the per-(language, code) cache never answers.
    let mut n = 0u64;
    c.bench_function("highlight_rust_16_lines", |b| {
        b.iter(|| {
            n += 1;
            highlighter.highlight("rust", &format!("{CODE}// {n}\n"))
        })
    });

    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let built = build_in_memory(&BuildOptions::new(root)).expect("example site builds");
    let site = &built.site;
    let templates = Templates::load(root, &site.config.theme).expect("templates");
    let site_value = tera::Value::from_serializable(&SiteView::new(site));
    let article = &site.articles[0];
    c.bench_function("article_template_render", |b| {
        b.iter(|| {
            let mut ctx = tera::Context::new();
            ctx.insert_value("site", site_value.clone());
            ctx.insert("kind", "article");
            ctx.insert("current_path", &article.path);
            ctx.insert("canonical_url", &site.absolute(&article.path));
            ctx.insert("article", &ArticleView::new(site, article));
            ctx.insert("more_in", &None::<()>);
            templates.render("article.html", &ctx).expect("renders")
        })
    });
}

criterion_group!(benches, hot);
criterion_main!(benches);
