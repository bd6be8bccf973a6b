//! Takes an article count, an output folder and a format, and gives a deterministic benchmark corpus:
//! a Pamphlet site (site.toml + content/) or the same content as a Hugo site with an equivalent
//! minimal theme (home, category and tag pages paginated by 10, a feed per category and tag, sitemap).
//!
//! `cargo run --release --example gen_corpus -- --articles 10000 --out DIR [--format pamphlet|hugo] [--seed N]`
//!
//! Shape (issue 7): mean ~1,087 words of prose, 20% with a code block, 1-2 of 8 categories,
//! 2-4 of 200 tags, 3-5 FAQ pairs, a source note, dates spread over ten years.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// splitmix64: tiny, fast, and the same sequence on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next() % (hi - lo + 1) as u64) as usize
    }
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.range(0, items.len() - 1)]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const CATEGORIES: [(&str, &str); 8] = [
    (
        "Human Trafficking",
        "How people are trafficked and exploited, who profits, and what protects survivors.",
    ),
    (
        "Social Innovation",
        "Cooperatives, civic technology and community projects that shift power.",
    ),
    (
        "Ecocide",
        "Mass destruction of ecosystems and the campaign to make it a crime.",
    ),
    (
        "News",
        "The latest developments from our beat, reported and explained.",
    ),
    (
        "Labour Rights",
        "Wages, unions and the fight for safe and fair work.",
    ),
    (
        "Housing",
        "Rent, eviction and the movements for homes people can afford.",
    ),
    (
        "Climate Justice",
        "Who pays for a heating planet, and who is organising to change that.",
    ),
    (
        "Press Freedom",
        "Journalists under pressure and the laws that protect or silence them.",
    ),
];

const WORDS: &[&str] = &[
    "community",
    "river",
    "workers",
    "council",
    "report",
    "campaign",
    "evidence",
    "survivors",
    "supply",
    "chain",
    "forest",
    "court",
    "law",
    "tenants",
    "cooperative",
    "energy",
    "solar",
    "water",
    "budget",
    "city",
    "village",
    "families",
    "children",
    "schools",
    "data",
    "audit",
    "company",
    "investors",
    "ministry",
    "police",
    "border",
    "migrants",
    "wages",
    "union",
    "strike",
    "harvest",
    "fishing",
    "coast",
    "mining",
    "deep",
    "sea",
    "moratorium",
    "petition",
    "volunteers",
    "samples",
    "bacteria",
    "overflow",
    "storm",
    "drought",
    "flood",
    "rent",
    "eviction",
    "housing",
    "landlord",
    "shelter",
    "clinic",
    "health",
    "doctors",
    "nurses",
    "journalists",
    "newsroom",
    "sources",
    "documents",
    "leaked",
    "contract",
    "tender",
    "procurement",
    "corruption",
    "bribes",
    "network",
    "traffickers",
    "victims",
    "rescue",
    "hotline",
    "charity",
    "donors",
    "grant",
    "fund",
    "pilot",
    "project",
    "model",
    "platform",
    "open",
    "public",
    "private",
    "regional",
    "national",
    "global",
    "local",
    "annual",
    "new",
    "old",
    "first",
    "last",
    "small",
    "large",
    "said",
    "told",
    "found",
    "showed",
    "argued",
    "warned",
    "promised",
    "denied",
    "admitted",
    "published",
    "launched",
    "closed",
    "opened",
    "won",
    "lost",
    "built",
    "planted",
    "measured",
    "tested",
    "recorded",
    "counted",
    "mapped",
    "tracked",
    "shared",
    "asked",
    "answered",
    "met",
    "the",
    "the",
    "the",
    "a",
    "a",
    "of",
    "of",
    "of",
    "and",
    "and",
    "to",
    "to",
    "in",
    "in",
    "for",
    "on",
    "with",
    "by",
    "from",
    "that",
    "this",
    "their",
    "its",
    "was",
    "were",
    "is",
    "are",
    "has",
    "have",
    "had",
    "not",
    "but",
    "more",
    "than",
    "after",
    "before",
    "during",
    "since",
    "while",
    "because",
    "although",
    "about",
    "over",
    "under",
    "between",
    "across",
    "against",
    "without",
    "many",
    "most",
    "some",
    "few",
    "every",
    "each",
    "other",
    "same",
    "several",
    "three",
    "four",
    "ten",
    "hundred",
    "thousand",
    "million",
    "percent",
    "year",
    "years",
    "month",
    "week",
    "day",
    "morning",
    "night",
    "summer",
    "winter",
    "spring",
    "autumn",
    "people",
    "residents",
    "leaders",
    "officials",
    "lawyers",
    "researchers",
    "scientists",
    "farmers",
    "fishers",
    "drivers",
    "cleaners",
    "carers",
    "teachers",
    "students",
    "women",
    "men",
    "young",
    "older",
    "independent",
    "official",
    "legal",
    "illegal",
    "safe",
    "unsafe",
    "clean",
    "dirty",
    "fair",
    "unfair",
    "cheap",
    "costly",
    "slow",
    "fast",
    "quietly",
    "openly",
    "finally",
    "already",
    "still",
    "again",
    "never",
    "often",
];

const NAMES: &[&str] = &[
    "Priya Raman",
    "Hannah Oduya",
    "Tomás Ferreira",
    "Aiko Tanaka",
    "Samuel Mensah",
    "Lena Vogel",
    "Omar Haddad",
    "Grace Kim",
    "Jonas Berg",
    "Fatima Zahra",
    "Diego Morales",
    "Nadia Petrova",
];

const OUTLETS: &[&str] = &[
    "Friends of the Lenn",
    "The Harbour Courier",
    "Coastal Watch",
    "Open Ledger",
    "Field Radio",
    "The Civic Review",
    "Northern Tribune",
    "Delta Reporters",
];

/// Words, capitalised sentence, no trailing punctuation.
fn words(rng: &mut Rng, n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(rng.pick(WORDS));
    }
    s
}

fn sentence(rng: &mut Rng, n: usize) -> String {
    let mut s = words(rng, n);
    if let Some(first) = s.get(0..1) {
        let up = first.to_uppercase();
        s.replace_range(0..1, &up);
    }
    s.push('.');
    s
}

/// A paragraph of about `n` words with some inline markup.
fn paragraph(rng: &mut Rng, n: usize) -> String {
    let mut p = String::new();
    let mut left = n;
    while left > 0 {
        let len = rng.range(8, 22).min(left);
        left -= len;
        if !p.is_empty() {
            p.push(' ');
        }
        let mut s = sentence(rng, len);
        if rng.chance(10) {
            let w = rng.pick(WORDS);
            s = s.replacen(&format!(" {w} "), &format!(" *{w}* "), 1);
        }
        if rng.chance(6) {
            let w = rng.pick(WORDS);
            s = s.replacen(
                &format!(" {w} "),
                &format!(" [{w}](https://example.org/{w}) "),
                1,
            );
        }
        p.push_str(&s);
    }
    p
}

fn sentence_in(rng: &mut Rng, lo: usize, hi: usize) -> String {
    let n = rng.range(lo, hi);
    sentence(rng, n)
}

fn paragraph_in(rng: &mut Rng, lo: usize, hi: usize) -> String {
    let n = rng.range(lo, hi);
    paragraph(rng, n)
}

fn tag_names(rng: &mut Rng) -> Vec<String> {
    let mut tags = Vec::with_capacity(200);
    let mut seen = std::collections::BTreeSet::new();
    while tags.len() < 200 {
        let t = format!("{} {}", rng.pick(WORDS), rng.pick(WORDS));
        if t.split(' ').all(|w| w.len() > 3) && seen.insert(t.clone()) {
            tags.push(t);
        }
    }
    tags
}

fn code_block(rng: &mut Rng) -> String {
    let lang = rng.pick(&["rust", "python", "js", "bash", "json", "yaml", "html", "go"]);
    let mut body = String::new();
    for i in 0..rng.range(6, 18) {
        let a = rng.pick(WORDS);
        let b = rng.pick(WORDS);
        let n = rng.range(0, 999);
        let line = match lang {
            "rust" => format!("let {a}_{i} = {b}({n}); // {a}"),
            "python" => format!("{a}_{i} = {b}({n})  # {a}"),
            "js" => format!("const {a}{i} = {b}({n}); // {a}"),
            "bash" => format!("curl -s https://example.org/{a}/{n} | grep {b}"),
            "json" => format!("{{\"{a}\": {n}, \"{b}\": \"{a}\"}}"),
            "yaml" => format!("{a}_{i}: {n}"),
            "html" => format!("<p class=\"{a}\">{b} {n}</p>"),
            _ => format!("{a}{i} := {b}({n}) // {a}"),
        };
        body.push_str(&line);
        body.push('\n');
    }
    format!("```{lang}\n{body}```")
}

fn yaml_str(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// One article: (file stem, full text). The same text serves both formats.
fn article(rng: &mut Rng, i: usize, tags: &[String]) -> (String, String) {
    let title = sentence_in(rng, 6, 11);
    let title = title.trim_end_matches('.').to_string();
    let stem_words: Vec<String> = title.split(' ').take(5).map(|w| w.to_lowercase()).collect();
    let stem = format!("{}-{i}", stem_words.join("-"));
    // Ten years of stories, 2015-2024.
    let day = rng.range(0, 3651);
    let date = jiff::civil::date(2015, 1, 1)
        .checked_add(jiff::Span::new().days(day as i64))
        .expect("date in range");
    let ncat = rng.range(1, 2);
    let mut cats: Vec<&str> = Vec::new();
    while cats.len() < ncat {
        let c = rng.pick(&CATEGORIES).0;
        if !cats.contains(&c) {
            cats.push(c);
        }
    }
    let ntag = rng.range(2, 4);
    let mut art_tags: Vec<&str> = Vec::new();
    while art_tags.len() < ntag {
        let t = tags[rng.range(0, tags.len() - 1)].as_str();
        if !art_tags.contains(&t) {
            art_tags.push(t);
        }
    }
    let mut fm = String::new();
    let _ = writeln!(fm, "---\ntitle: {}", yaml_str(&title));
    let _ = writeln!(fm, "date: {date}");
    let _ = writeln!(fm, "author: {}", yaml_str(rng.pick(NAMES)));
    let _ = writeln!(
        fm,
        "categories: [{}]",
        cats.iter()
            .map(|c| yaml_str(c))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(
        fm,
        "tags: [{}]",
        art_tags
            .iter()
            .map(|t| yaml_str(t))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(fm, "summary: {}", yaml_str(&sentence_in(rng, 18, 30)));
    let outlet = rng.pick(OUTLETS);
    let src_day = day.saturating_sub(rng.range(1, 20));
    let src_date = jiff::civil::date(2015, 1, 1)
        .checked_add(jiff::Span::new().days(src_day as i64))
        .expect("date in range");
    let _ = writeln!(
        fm,
        "source:\n  name: {}\n  url: https://example.org/{}/{i}\n  date: {src_date}\n  note: {}",
        yaml_str(outlet),
        outlet.to_lowercase().replace(' ', "-"),
        yaml_str(&format!("{} *{}*.", sentence(rng, 10), rng.pick(WORDS)))
    );
    let _ = writeln!(fm, "faq:");
    for _ in 0..rng.range(3, 5) {
        let q = format!("{}?", sentence_in(rng, 5, 9).trim_end_matches('.'));
        let a = paragraph_in(rng, 20, 45);
        let _ = writeln!(
            fm,
            "  - question: {}\n    answer: {}",
            yaml_str(&q),
            yaml_str(&a)
        );
    }
    fm.push_str("---\n\n");

    // Body: 600..=1574 words (mean 1,087) in paragraphs with headings and the odd list.
    let target = rng.range(600, 1574);
    let mut written = 0;
    let mut body = String::new();
    let code_at = rng.chance(20).then(|| rng.range(1, 4));
    let mut para = 0;
    while written < target {
        let n = rng.range(40, 120).min(target - written).max(1);
        if para > 0 && para % 4 == 0 {
            let _ = write!(
                body,
                "## {}\n\n",
                sentence_in(rng, 3, 7).trim_end_matches('.')
            );
        }
        if para == 5 && rng.chance(40) {
            for _ in 0..3 {
                let _ = writeln!(body, "- {}", sentence(rng, 6));
            }
            body.push('\n');
            written += 18;
        }
        body.push_str(&paragraph(rng, n));
        body.push_str("\n\n");
        written += n;
        para += 1;
        if code_at == Some(para) {
            body.push_str(&code_block(rng));
            body.push_str("\n\n");
        }
    }
    fm.push_str(&body);
    (stem, fm)
}

fn write(path: &Path, text: &str) {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    }
    fs::write(path, text).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}

fn pamphlet_config() -> String {
    let mut s = String::from(
        "# Generated by examples/gen_corpus.rs (benchmark corpus).\n\
         title = \"The Benchmark Ledger\"\n\
         base_url = \"https://example.org/\"\n\
         description = \"A generated advocacy archive for benchmarks.\"\n\
         language = \"en\"\n\
         paginate = 10\n\n\
         [newsletter]\n\
         heading = \"Sign Up to our Newsletter\"\n\
         text = \"Get the latest stories in your inbox.\"\n\
         action = \"https://example.org/newsletter/subscribe\"\n\
         button = \"Sign up\"\n\n",
    );
    for (name, desc) in CATEGORIES {
        let _ = write!(
            s,
            "[[categories]]\nname = \"{name}\"\ndescription = \"{desc}\"\n\n"
        );
    }
    s.push_str("[[menu]]\nname = \"About\"\nurl = \"/about/\"\n");
    s
}

const ABOUT: &str =
    "---\ntitle: About\n---\n\nWe are a generated publication used to measure build speed.\n";

/// Hugo config + layouts equivalent to Pamphlet's default theme and outputs.
fn write_hugo_site(out: &Path) {
    let mut cats = String::new();
    for (name, desc) in CATEGORIES {
        let _ = write!(
            cats,
            "  [[params.categories]]\n    name = \"{name}\"\n    description = \"{desc}\"\n"
        );
    }
    write(
        &out.join("hugo.toml"),
        &format!(
            "baseURL = \"https://example.org/\"\n\
             title = \"The Benchmark Ledger\"\n\
             languageCode = \"en\"\n\
             disableKinds = [\"taxonomy\", \"section\"]\n\
             [pagination]\n  pagerSize = 10\n\
             [taxonomies]\n  category = \"categories\"\n  tag = \"tags\"\n\
             [outputs]\n  home = [\"html\", \"rss\"]\n  term = [\"html\", \"rss\"]\n  page = [\"html\"]\n\
             [services.rss]\n  limit = 20\n\
             [params]\n  description = \"A generated advocacy archive for benchmarks.\"\n{cats}"
        ),
    );
    let layouts = out.join("layouts");
    write(
        &layouts.join("baseof.html"),
        r##"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ block "title" . }}{{ site.Title }}{{ end }}</title>
<meta name="description" content="{{ block "description" . }}{{ site.Params.description }}{{ end }}">
<link rel="canonical" href="{{ .Permalink }}">
<link rel="stylesheet" href="/style.css">
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="site-header" id="top">
  <p class="site-title"><a href="/">{{ site.Title }}</a></p>
  <nav aria-label="Main"><ul>
  {{ $cur := .RelPermalink }}{{ range site.Params.categories }}{{ $p := printf "/categories/%s/" (urlize .name) }}<li><a href="{{ $p }}"{{ if eq $cur $p }} aria-current="page"{{ end }}>{{ .name }}</a></li>{{ end }}
  <li><a href="/about/">About</a></li>
  </ul></nav>
</header>
<main id="main" tabindex="-1">
{{ block "main" . }}{{ end }}
</main>
<footer class="site-footer">
  <section class="category-sections"><h2>Our topics</h2><ul>
  {{ range site.Params.categories }}<li><h3><a href="/categories/{{ urlize .name }}/">{{ .name }}</a></h3><p>{{ .description }}</p></li>{{ end }}
  </ul></section>
  <p><a href="#top" class="go-top">Go to top</a></p>
  <p class="colophon">© {{ site.Title }}</p>
</footer>
</body>
</html>
"##,
    );
    write(
        &layouts.join("_partials/card.html"),
        r##"<article class="card">
  {{ with .Params.categories }}<p class="labels">{{ range . }}<a href="/categories/{{ urlize . }}/" class="label">{{ . }}</a> {{ end }}</p>{{ end }}
  <h3><a href="{{ .RelPermalink }}">{{ .Title }}</a></h3>
  <p class="meta"><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time> · <span class="read-time">{{ .ReadingTime }} min read</span></p>
  {{ with .Summary }}<p class="summary">{{ . | plainify }}</p>{{ end }}
</article>
"##,
    );
    write(
        &layouts.join("_partials/pagination.html"),
        r##"{{ if gt .TotalPages 1 }}<nav class="pagination" aria-label="Pages">
  {{ if .HasPrev }}<a href="{{ .Prev.URL }}" rel="prev">Newer</a>{{ end }}
  <span>Page {{ .PageNumber }} of {{ .TotalPages }}</span>
  {{ if .HasNext }}<a href="{{ .Next.URL }}" rel="next">Older</a>{{ end }}
</nav>{{ end }}
"##,
    );
    write(
        &layouts.join("_partials/newsletter.html"),
        r##"<section class="newsletter"><h2>Sign Up to our Newsletter</h2><p>Get the latest stories in your inbox.</p>
<form method="post" action="https://example.org/newsletter/subscribe"><label for="newsletter-email">Email address</label>
<input id="newsletter-email" type="email" name="email" required><button type="submit">Sign up</button></form></section>
"##,
    );
    write(
        &layouts.join("home.html"),
        r##"{{ define "main" }}
{{ $pag := .Paginate (where site.RegularPages "Section" "articles") }}
<h1 class="visually-hidden">{{ site.Title }}</h1>
<section class="latest"><h2>Latest</h2>
{{ range $pag.Pages }}{{ partial "card.html" . }}{{ end }}
</section>
{{ partial "pagination.html" $pag }}
{{ partial "newsletter.html" . }}
{{ end }}
"##,
    );
    write(
        &layouts.join("term.html"),
        r##"{{ define "title" }}{{ .Title }} · {{ site.Title }}{{ end }}
{{ define "main" }}
{{ $pag := .Paginate .Pages }}
<header class="listing-header"><h1>{{ .Title }}</h1></header>
<section class="listing">
{{ range $pag.Pages }}{{ partial "card.html" . }}{{ end }}
</section>
{{ partial "pagination.html" $pag }}
{{ end }}
"##,
    );
    write(
        &layouts.join("page.html"),
        r##"{{ define "title" }}{{ .Title }} · {{ site.Title }}{{ end }}
{{ define "description" }}{{ .Summary | plainify }}{{ end }}
{{ define "main" }}
<article class="article">
  <header class="article-header">
    {{ with .Params.categories }}<p class="labels">{{ range . }}<a href="/categories/{{ urlize . }}/" class="label">{{ . }}</a> {{ end }}</p>{{ end }}
    <h1>{{ .Title }}</h1>
    <p class="meta"><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time>{{ with .Params.author }} · By <span class="author">{{ . }}</span>{{ end }} · <span class="read-time">{{ .ReadingTime }} min read</span></p>
    {{ with .Params.summary }}<p class="standfirst">{{ . }}</p>{{ end }}
  </header>
  <div class="body">{{ .Content }}</div>
  {{ with .Params.faq }}<section class="faq"><h2 id="faq">FAQs</h2>
  {{ range . }}<details><summary>{{ .question }}</summary><div class="answer">{{ .answer | markdownify }}</div></details>{{ end }}
  </section>{{ end }}
  {{ with .Params.source }}<aside class="source-note"><h2>Source note</h2>
  <p>This article is based on reporting by {{ .name }}, published on {{ .date }}. <a href="{{ .url }}" rel="noopener">Read the original story</a>.</p>
  {{ with .note }}<div class="note">{{ . | markdownify }}</div>{{ end }}</aside>{{ end }}
  {{ with .Params.tags }}<p class="tags">Tags: {{ range $i, $t := . }}{{ if $i }}, {{ end }}<a href="/tags/{{ urlize $t }}/" rel="tag">{{ $t }}</a>{{ end }}</p>{{ end }}
</article>
{{ partial "newsletter.html" . }}
{{ with .Params.categories }}{{ $cat := index . 0 }}{{ $self := $ }}
{{ with index site.Taxonomies.categories (urlize $cat) }}
<section class="more-in"><h2>More in {{ $cat }}</h2>
{{ $n := 0 }}{{ range first 4 .Pages }}{{ if and (ne . $self) (lt $n 3) }}{{ $n = add $n 1 }}{{ partial "card.html" . }}{{ end }}{{ end }}
</section>
{{ end }}{{ end }}
{{ end }}
"##,
    );
    write(
        &layouts.join("404.html"),
        r##"{{ define "main" }}<h1>Page not found</h1>
<section class="listing">{{ range first 5 (where site.RegularPages "Section" "articles") }}{{ partial "card.html" . }}{{ end }}</section>
{{ end }}
"##,
    );
    write(
        &out.join("static/style.css"),
        "body { font-family: system-ui, sans-serif; }\n",
    );
}

fn main() {
    let mut articles = 1000usize;
    let mut out: Option<PathBuf> = None;
    let mut format = "pamphlet".to_string();
    let mut seed = 42u64;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || args.next().unwrap_or_else(|| panic!("{a} needs a value"));
        match a.as_str() {
            "--articles" => articles = val().parse().expect("--articles N"),
            "--out" => out = Some(PathBuf::from(val())),
            "--format" => format = val(),
            "--seed" => seed = val().parse().expect("--seed N"),
            _ => {
                eprintln!(
                    "usage: gen_corpus --articles N --out DIR [--format pamphlet|hugo] [--seed N]"
                );
                std::process::exit(2);
            }
        }
    }
    let out = out.expect("--out DIR is required");
    if out.exists() {
        fs::remove_dir_all(&out).expect("remove the old corpus");
    }
    let hugo = match format.as_str() {
        "pamphlet" => false,
        "hugo" => true,
        other => panic!("unknown --format {other} (pamphlet or hugo)"),
    };
    let mut rng = Rng(seed);
    let tags = tag_names(&mut rng);
    let dir = out.join("content/articles");
    fs::create_dir_all(&dir).expect("create content/articles");
    let mut code = 0;
    for i in 0..articles {
        let (stem, text) = article(&mut rng, i, &tags);
        code += usize::from(text.contains("\n```"));
        fs::write(dir.join(format!("{stem}.md")), text).expect("write article");
    }
    if hugo {
        write(&out.join("content/about.md"), ABOUT);
        write_hugo_site(&out);
    } else {
        write(&out.join("content/pages/about.md"), ABOUT);
        write(&out.join("site.toml"), &pamphlet_config());
    }
    println!(
        "wrote {articles} articles ({code} with code) as a {format} site in {}",
        out.display()
    );
}
