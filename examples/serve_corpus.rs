//! Takes a folder and an article count and gives a deterministic generated site there (site.toml,
//! four categories, 60 tags, articles of ~300 words with headings, lists and links), for the
//! `serve` latency benchmark (`benches/serve_latency.sh`).
//!
//! Usage: `cargo run --release --example serve_corpus -- DIR [COUNT]` (COUNT defaults to 10000).

use std::fmt::Write as _;
use std::path::PathBuf;

const CATEGORIES: [&str; 4] = ["News", "Ecocide", "Human Trafficking", "Social Innovation"];
const WORDS: [&str; 24] = [
    "river",
    "community",
    "campaign",
    "report",
    "forest",
    "workers",
    "council",
    "evidence",
    "volunteers",
    "policy",
    "water",
    "supply",
    "justice",
    "coalition",
    "budget",
    "survey",
    "habitat",
    "rights",
    "testing",
    "housing",
    "climate",
    "pressure",
    "audit",
    "coast",
];

/// A small deterministic generator (64-bit LCG), so every run writes the same site.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % n
    }

    fn sentence(&mut self, words: usize) -> String {
        let mut s = String::new();
        for i in 0..words {
            if i > 0 {
                s.push(' ');
            }
            s.push_str(WORDS[self.next(WORDS.len())]);
        }
        let mut c = s.chars();
        match c.next() {
            Some(f) => format!("{}{}.", f.to_uppercase(), c.as_str()),
            None => s,
        }
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().expect("usage: serve_corpus DIR [COUNT]"));
    let count: usize = args
        .next()
        .map_or(10_000, |c| c.parse().expect("COUNT is a number"));
    let articles = dir.join("content/articles");
    std::fs::create_dir_all(&articles).expect("create content/articles");
    let mut config = String::from(
        "title = \"Generated Advocacy\"\nbase_url = \"https://example.org/\"\ndescription = \"A generated site\"\npaginate = 10\n",
    );
    for c in CATEGORIES {
        let _ = write!(
            config,
            "\n[[categories]]\nname = \"{c}\"\ndescription = \"About {c}.\"\n"
        );
    }
    std::fs::write(dir.join("site.toml"), config).expect("write site.toml");

    let mut rng = Lcg(42);
    for i in 0..count {
        let day = i % 28 + 1;
        let month = (i / 28) % 12 + 1;
        let year = 2015 + (i / 336) % 12;
        let cat = CATEGORIES[rng.next(CATEGORIES.len())];
        let tags: Vec<String> = (0..3).map(|_| format!("topic-{}", rng.next(60))).collect();
        let mut body = String::new();
        for p in 0..6 {
            if p == 2 {
                let _ = writeln!(body, "## {}\n", rng.sentence(4));
            }
            if p == 4 {
                for _ in 0..3 {
                    let _ = writeln!(body, "- {}", rng.sentence(6));
                }
                body.push('\n');
            }
            let _ = writeln!(
                body,
                "{} {} {}\n",
                rng.sentence(12),
                rng.sentence(15),
                rng.sentence(18)
            );
        }
        let text = format!(
            "---\ntitle: \"{} {i}\"\ndate: {year}-{month:02}-{day:02}\nauthor: \"Writer {}\"\ncategories: [{cat}]\ntags: [{}]\n---\n{body}",
            rng.sentence(5).trim_end_matches('.'),
            rng.next(40),
            tags.join(", ")
        );
        std::fs::write(articles.join(format!("article-{i:05}.md")), text).expect("write article");
    }
    println!("wrote {count} articles to {}", dir.display());
}
