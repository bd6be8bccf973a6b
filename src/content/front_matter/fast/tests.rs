//! Takes front-matter texts (fixtures, the example site, generated YAML) and checks the fast path gives exactly what serde_yaml gives, or stands aside.

use std::path::Path;

use proptest::prelude::*;

use super::*;

/// The fast path's answer, after checking the contract: `Some` only where serde_yaml agrees.
fn check(yaml: &str) -> Option<RawFrontMatter> {
    let fast = parse(yaml);
    if let Some(f) = &fast {
        match serde_yaml::from_str::<RawFrontMatter>(yaml) {
            Ok(w) => assert_eq!(f, &w, "the fast path differs from serde_yaml on {yaml:?}"),
            Err(e) => panic!("the fast path accepted what serde_yaml refuses ({e}): {yaml:?}"),
        }
    }
    fast
}

/// Asserts `yaml` takes the fast path and gives what serde_yaml gives.
#[track_caller]
fn fast(yaml: &str) -> RawFrontMatter {
    check(yaml).unwrap_or_else(|| panic!("expected the fast path to take {yaml:?}"))
}

/// Asserts `yaml` falls back to serde_yaml.
#[track_caller]
fn falls_back(yaml: &str) {
    assert!(check(yaml).is_none(), "expected a fallback for {yaml:?}");
}

const CORPUS: [&str; 3] = [
    include_str!("../../../../tests/fixtures/front_matter/corpus-485.yaml"),
    include_str!("../../../../tests/fixtures/front_matter/corpus-761.yaml"),
    include_str!("../../../../tests/fixtures/front_matter/corpus-1066.yaml"),
];

#[test]
fn generated_corpus_front_matter_takes_the_fast_path() {
    for yaml in CORPUS {
        let fm = fast(yaml);
        assert!(fm.faq.len() >= 3 && fm.source.is_some() && !fm.tags.is_empty());
    }
}

#[test]
fn scalars() {
    assert_eq!(fast("title: Water").title, "Water");
    let fm = fast("title: \"a \\\"b\\\" \\\\ c \\/ \\n \\t \\r \\u00e9 é # x: y\"\n");
    assert_eq!(fm.title, "a \"b\" \\ c / \n \t \r é é # x: y");
    assert_eq!(fast("title: 'it''s: #1 \\n'\n").title, "it's: #1 \\n");
    assert_eq!(fast("title: ''\n").title, "");
    assert_eq!(
        fast("title: \"\"\nsummary: \"\"\n").summary.as_deref(),
        Some("")
    );
    // serde_yaml gives a `String` field any plain scalar's text, typed-looking or not.
    for t in [
        "10 things",
        "123",
        "true",
        "yes",
        "1e3",
        "0x1F",
        "C#",
        "a:b",
        "it's \"x\"",
    ] {
        assert_eq!(fast(&format!("title: {t}\n")).title, t);
    }
    assert_eq!(fast("title:    spaced   out   \n").title, "spaced   out");
    let fm = fast("title: W\nslug: my-slug\nid: tag:example.org,2026:x\nsummary: Hi, [there]\n");
    assert_eq!(fm.id.as_deref(), Some("tag:example.org,2026:x"));
    assert_eq!(fm.summary.as_deref(), Some("Hi, [there]"));
}

#[test]
fn unicode_escapes_and_odd_characters() {
    for (escape, want) in [
        ("\\u0000", "\0"),
        ("\\u0085", "\u{85}"),
        ("\\u2028", "\u{2028}"),
        ("\\uFEFF", "\u{feff}"),
        ("\\ud7ff", "\u{d7ff}"),
        ("\\uE000", "\u{e000}"),
        ("\\uffff", "\u{ffff}"),
        ("\\u00E9t\\u00e9", "été"),
    ] {
        assert_eq!(fast(&format!("title: \"{escape}\"\n")).title, want);
    }
    // libyaml trims only spaces and tabs around a plain scalar, not other Unicode spaces.
    assert_eq!(fast("title: \u{a0}W\u{3000} \n").title, "\u{a0}W\u{3000}");
    assert_eq!(fast("title: ’Quoted’ 🦀\n").title, "’Quoted’ 🦀");
    assert_eq!(
        fast("title: W\nauthor: Łukasz\n").author,
        Some(OneOrMany::One("Łukasz".into()))
    );
    // Past libyaml's 1,024-character simple key limit, which only keys are subject to.
    let long = "word ".repeat(1000);
    let long = long.trim_end();
    let fm = fast(&format!(
        "title: {long}\nsummary: \"{long}\"\ntags: ['{long}']\nfaq:\n  - question: {long}\n    answer: {long}\n"
    ));
    assert_eq!(fm.faq[0].answer, long);
}

#[test]
fn dates() {
    for (v, want) in [
        ("2021-04-15", "2021-04-15"),
        ("2026-02-10 14:00:00 +01:00", "2026-02-10 14:00:00 +01:00"),
        ("2026-02-03T09:30:00Z", "2026-02-03T09:30:00Z"),
        ("2026-02-03t09:30:00.5-05:00", "2026-02-03t09:30:00.5-05:00"),
        ("20260127", "20260127"),
        ("0127", "0127"),
        ("\"2026-01-27\"", "2026-01-27"),
        ("'1.5'", "1.5"),
        ("soon", "soon"),
    ] {
        let fm = fast(&format!(
            "title: W\ndate: {v}\nupdated: {v}\nsource:\n  date: {v}\n"
        ));
        assert_eq!(fm.date.as_deref(), Some(want));
        assert_eq!(fm.updated.as_deref(), Some(want));
        assert_eq!(fm.source.and_then(|s| s.date).as_deref(), Some(want));
    }
}

#[test]
fn authors_and_lists() {
    let one = |y: &str| fast(y).author;
    assert_eq!(
        one("title: W\nauthor: Jane Doe\n"),
        Some(OneOrMany::One("Jane Doe".into()))
    );
    assert_eq!(
        one("title: W\nauthor: 'Jane'\n"),
        Some(OneOrMany::One("Jane".into()))
    );
    let many = Some(OneOrMany::Many(vec!["A B".into(), "C".into()]));
    assert_eq!(one("title: W\nauthor: [A B, \"C\"]\n"), many);
    assert_eq!(one("title: W\nauthor:\n  - A B\n  - 'C'\n"), many);
    assert_eq!(one("title: W\nauthor:\n- \"A B\"\n- C\n"), many);
    assert_eq!(one("title: W\nauthor: []\n"), Some(OneOrMany::Many(vec![])));
    let tags = |y: &str| fast(y).tags;
    let want = vec![
        "a b".to_string(),
        "c,d".into(),
        "it's".into(),
        "x\"y".into(),
    ];
    assert_eq!(tags("title: W\ntags: [a b,\"c,d\" , it's,'x\"y']\n"), want);
    assert_eq!(tags("title: W\ntags: [ ]\n"), Vec::<String>::new());
    assert_eq!(
        tags("title: W\ntags:\n    -   a b  \n    - \"c,d\"\n    - it's\n    - x\"y\n"),
        want
    );
    assert_eq!(
        fast("title: W\ncategories: [News, \"Social Innovation\"]\n").categories,
        ["News", "Social Innovation"]
    );
}

#[test]
fn nested_maps_and_faq() {
    let fm = fast(
        "title: W\nimage:\n    src: /images/a b.jpg\n    alt: \"An A: b\"\nsource:\n  name: AP\n  url: https://apnews.com/x?a=1#frag\n  note: '**Not** verified.'\n",
    );
    assert_eq!(
        fm.image,
        Some(RawImage {
            src: "/images/a b.jpg".into(),
            alt: Some("An A: b".into())
        })
    );
    assert_eq!(
        fm.source.and_then(|s| s.url).as_deref(),
        Some("https://apnews.com/x?a=1#frag")
    );
    let fm = fast(
        "title: W\nfaq:\n- answer: \"A1\"\n  question: Q1?\n- question: 'Q2'\n  answer: A2 (yes)\n",
    );
    assert_eq!(fm.faq.len(), 2);
    assert_eq!(fm.faq[0].question, "Q1?");
    assert_eq!(fm.faq[1].answer, "A2 (yes)");
    let fm = fast("title: W\nfaq:\n  - question: \"Q\"\n    answer: \"A\"\ndraft: true\n");
    assert!(fm.draft);
    assert_eq!(fm.faq.len(), 1);
}

#[test]
fn numbers_booleans_extra_comments() {
    assert_eq!(fast("title: W\nread_time: 3\n").read_time, Some(3.0));
    assert_eq!(fast("title: W\nread_time: 6.5\n").read_time, Some(6.5));
    assert_eq!(fast("title: W\nread_time: 007.250\n").read_time, Some(7.25));
    for (v, want) in [
        ("true", true),
        ("False", false),
        ("TRUE", true),
        ("false", false),
    ] {
        assert_eq!(fast(&format!("title: W\ndraft: {v}\n")).draft, want);
    }
    let fm =
        fast("title: W\nextra:\n  featured: true\n  location: \"Brackenfield\"\n  mood: calm\n");
    assert_eq!(fm.extra["featured"], serde_json::Value::Bool(true));
    assert_eq!(fm.extra["location"], "Brackenfield");
    assert_eq!(fm.extra["mood"], "calm");
    // Whole-line comments and blank lines, at any indentation and inside nested blocks.
    let fm = fast(
        "# head\n\ntitle: W\n  # indented\nimage:\n# between\n\n  src: a.jpg\n   \n  # x\n  alt: A\n#end",
    );
    assert_eq!(fm.image.map(|i| i.src).as_deref(), Some("a.jpg"));
}

#[test]
fn pamphlet_new_and_starter_front_matter_take_the_fast_path() {
    let date = jiff::civil::Date::new(2026, 3, 14).expect("date");
    for title in [
        "Plain",
        "Colon: and # hash",
        "Tab\there \"q\" \\ \u{1}",
        "- * & !",
    ] {
        let text =
            crate::authoring::new::front_matter(title, date, Some("News"), &["a", "b: c"], true);
        let yaml = front_matter_of(&text);
        assert_eq!(fast(yaml).title, title);
    }
    let starter = include_str!("../../../authoring/starter/content/articles/welcome/index.md")
        .replace("{{DATE}}", "2026-01-27");
    let fm = fast(front_matter_of(&starter));
    assert!(fm.image.is_some() && fm.source.is_some() && !fm.faq.is_empty());
}

/// The text between the opening `---` line and the next `---`/`...` line, or all of `text`.
fn front_matter_of(text: &str) -> &str {
    let Some(rest) = text.strip_prefix("---\n") else {
        return text;
    };
    let mut end = 0;
    for line in rest.split_inclusive('\n') {
        if matches!(line.trim_end(), "---" | "...") {
            return &rest[..end];
        }
        end += line.len();
    }
    rest
}

#[test]
fn fallbacks() {
    let cases = [
        // Not the simple subset's structure.
        "",
        "\n\n",
        "date: 2026-01-27\n",
        "title: W\ntitel: x\n",
        "title: W\ntitle: X\n",
        "title: W\nimage:\n  src: a\n  src: b\n",
        "  title: W\n",
        "title : W\n",
        "title:W\n",
        "\"title\": W\n",
        "? title\n: W\n",
        "---\ntitle: W\n",
        "title: W\n---\n",
        "title: W\n...\n",
        "%YAML 1.1\ntitle: W\n",
        // Characters libyaml treats specially.
        "title: W\tX\n",
        "title:\tW\n",
        "title: W\r\n",
        "\u{feff}title: W\n",
        "title: W\u{85}X\n",
        "title: W\u{2028}X\n",
        "title: W\u{7f}\n",
        "title: W\u{1}\n",
        // Comments after values.
        "title: W # note\n",
        "title: \"W\" # note\n",
        "image: # hero\n  src: a\n",
        // Anchors, aliases, tags, block scalars, flow maps, indicators.
        "title: &a W\n",
        "title: *a\n",
        "title: !!str W\n",
        "title: |\n  W\n",
        "title: >\n  W\n",
        "title: {a: b}\n",
        "title: [W]\n",
        "title: - W\n",
        "title: @W\n",
        "title: `W`\n",
        "title: %W\n",
        "title: ,W\n",
        "title: ?W\n",
        "title: :W\n",
        // Plain scalars that end early or go on.
        "title: a: b\n",
        "title: a:\n",
        "title: W\n  more\n",
        "title: W\n\n  more\n",
        "title: \"W\n  more\"\n",
        "title: 'W\n  more'\n",
        "title: \"W\" x\n",
        "title: 'W' x\n",
        "title: \"W\n",
        "title: 'it's'\n",
        "title: '''\n",
        // Escapes beyond the simple ones.
        "title: \"\\x41\"\n",
        "title: \"\\0\"\n",
        "title: \"\\e\"\n",
        "title: \"\\ud800\"\n",
        "title: \"\\u12\"\n",
        "title: \"\\U0001F600\"\n",
        "title: \"a\\\"\n",
        "title: \"a\\ b\"\n",
        // Empty and null values.
        "title:\n",
        "title: W\nsummary:\n",
        "title: W\nslug: ~\n",
        "title: W\nslug: null\n",
        "title: W\nslug: NULL\n",
        "title: W\ntags:\n",
        "title: W\nimage:\n",
        "title: W\nfaq:\n",
        "title: W\nextra:\n",
        "title: W\ntags: [a, , b]\n",
        "title: W\ntags: [a, null]\n",
        "title: W\ntags:\n  -\n",
        "title: W\ntags:\n  - ~\n",
        // Values serde_yaml types (or might): numbers, booleans, nulls where a name is wanted.
        "title: W\nauthor: 123\n",
        "title: W\nauthor: true\n",
        "title: W\nauthor: yes\n",
        "title: W\nauthor: No\n",
        "title: W\nauthor: .inf\n",
        "title: W\nauthor: nan\n",
        "title: W\ndate: 1.5\n",
        "title: W\ndate: 0x1F\n",
        "title: W\ndate: 1e3\n",
        "title: W\ndate: +5\n",
        "title: W\ndate: -1\n",
        "title: W\ndate: true\n",
        "title: W\ndate: 1234567890123456789012\n",
        "title: W\ndate: 2026-1-27\n",
        "title: W\ndate: 2026-01-27 at noon\n",
        "title: W\nread_time: 6.\n",
        "title: W\nread_time: .5\n",
        "title: W\nread_time: 1e3\n",
        "title: W\nread_time: \"6\"\n",
        "title: W\nread_time: -6\n",
        "title: W\nread_time: null\n",
        "title: W\ndraft: yes\n",
        "title: W\ndraft: 1\n",
        "title: W\ndraft: \"true\"\n",
        "title: W\nextra:\n  n: 5\n",
        "title: W\nextra:\n  b: True\n",
        "title: W\nextra:\n  a:\n    b: c\n",
        "title: W\nextra:\n  a: [b]\n",
        "title: W\nextra: {}\n",
        // Wrong shapes for the field.
        "title: W\ncategories: News\n",
        "title: W\ncategories: [[News]]\n",
        "title: W\ncategories: [News\n  , Ecocide]\n",
        "title: W\ncategories: [News,]\n",
        "title: W\ncategories: [News] x\n",
        "title: W\ncategories: [\"News\" x]\n",
        "title: W\ncategories: [a: b]\n",
        "title: W\ncategories: [a#b]\n",
        "title: W\ncategories:\n  - a: b\n",
        "title: W\ncategories:\n  - [a]\n",
        "title: W\ncategories:\n  - - a\n",
        "title: W\ncategories:\n  - a\n - b\n",
        "title: W\ncategories:\n  - a\n    b\n",
        "title: W\ncategories:\n  - a\n  -b\n",
        "title: W\nimage: a.jpg\n",
        "title: W\nimage:\n  alt: no source\n",
        "title: W\nimage:\n  src: a\n  size: big\n",
        "title: W\nimage:\n  src: a\n   alt: b\n",
        "title: W\nimage:\n  src: a\n    b\n",
        "title: W\nimage:\n  src:\n    a\n",
        "title: W\nfaq:\n  - question: Q\n",
        "title: W\nfaq:\n  - question: Q\n    answer: A\n    answer: B\n",
        "title: W\nfaq:\n  - question: Q\n    answer: A\n    note: B\n",
        "title: W\nfaq:\n  - question: Q\n   answer: A\n",
        "title: W\nfaq:\n  -  question: Q\n     answer: A\n",
        "title: W\nfaq:\n  - \"Q\"\n",
        "title: W\nfaq:\n  - question: Q\n    answer: A\n - question: Q\n   answer: A\n",
        "title: W\nfaq: [a]\n",
        "title: W\nsource:\n  name: A\n  publisher: B\n",
    ];
    for yaml in cases {
        falls_back(yaml);
    }
    // Too many `[`/`{` for `too_deep`, even quoted: that check must stay in charge of them.
    falls_back(&format!("title: \"{}\"\n", "[".repeat(MAX_FLOW_DEPTH + 1)));
    assert!(check(&format!("title: \"{}\"\n", "[".repeat(MAX_FLOW_DEPTH))).is_some());
}

/// Every `.md` file under `dir` (recursively) as (path, text).
fn markdown_files(dir: &Path) -> Vec<(std::path::PathBuf, String)> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| {
            let bytes = std::fs::read(e.path()).expect("read fixture");
            (e.into_path(), String::from_utf8_lossy(&bytes).into_owned())
        })
        .collect()
}

/// Checks the contract on a file's front matter, as written and as `parse_doc` normalises it;
/// true if the fast path took it.
fn check_file(text: &str) -> bool {
    let normalised = text
        .strip_prefix('\u{feff}')
        .unwrap_or(text)
        .replace("\r\n", "\n");
    check(front_matter_of(text)).is_some() | check(front_matter_of(&normalised)).is_some()
}

#[test]
fn differential_over_every_fixture_and_example() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut taken = 0;
    let mut total = 0;
    for dir in ["content", "src/authoring/starter", "tests/fixtures"] {
        for (path, text) in markdown_files(&root.join(dir)) {
            total += 1;
            let text = text.replace("{{DATE}}", "2026-01-27");
            let took = check_file(&text);
            taken += usize::from(took);
            // The example site is the shape real articles have: the fast path must take it.
            if !path.starts_with(root.join("tests")) && text.starts_with("---\n") {
                assert!(took, "the fast path refused {}", path.display());
            }
        }
    }
    assert!(total > 90 && taken > 30, "{taken} of {total} taken");
}

/// `PAMPHLET_CORPUS=DIR` (from `cargo run --release --example gen_corpus -- --out DIR`): every
/// generated article takes the fast path and agrees with serde_yaml.
#[test]
fn differential_over_a_generated_corpus() {
    let Some(dir) = std::env::var_os("PAMPHLET_CORPUS") else {
        return;
    };
    let files = markdown_files(Path::new(&dir));
    for (path, text) in &files {
        assert!(check_file(text), "the fast path refused {}", path.display());
    }
    assert!(!files.is_empty());
}

/// Nasty but plausible scalar pieces: quotes, colons, hashes, YAML words, numbers, dates,
/// escapes, indicators, unicode and characters libyaml treats specially.
const NASTY: &[&str] = &[
    "Water",
    "two words",
    "a: b",
    "a:b",
    ":",
    " #x",
    "#",
    "C#",
    "yes",
    "No",
    "on",
    "null",
    "Null",
    "~",
    "true",
    "False",
    "123",
    "0",
    "007",
    "0x1F",
    "0o7",
    "1e3",
    "6.5",
    "-6",
    "+6",
    ".5",
    "6.",
    ".inf",
    "nan",
    "2021-04-15",
    "2026-02-10 14:00:00 +01:00",
    "2026-02-03T09:30:00Z",
    "-",
    "- x",
    "?",
    "&a",
    "*a",
    "!t",
    "|",
    ">",
    "%",
    "@",
    "`",
    "[",
    "]",
    "{",
    "}",
    ",",
    "'",
    "''",
    "\"",
    "\\",
    "\\\"",
    "\\\\",
    "\\n",
    "\\t",
    "\\/",
    "\\x41",
    "\\u00e9",
    "\\ud800",
    "\\0",
    "é",
    "€",
    "日本",
    "\u{2028}",
    "\u{85}",
    "\u{feff}",
    "\t",
    " ",
    "  ",
    "https://example.org/a?b=1",
    "it's",
    "---",
    "...",
    "\n",
    "\n  ",
    "\r",
    "\u{1}",
];

/// Pieces real front matter is made of, so that many generated inputs take the fast path.
const TAME: &[&str] = &[
    "Water",
    "Fishers join scientists",
    " ",
    "a:b",
    "C#",
    "123",
    "2021-04-15",
    "it's",
    "é",
    "日本",
    "https://example.org/a?b=1",
    "(yes)",
    "x, y",
    "Q?",
    "**bold**",
    "[link](/a)",
    "\"q\"",
    "\\",
    "/",
];

/// Every real key, then two misspellings only serde_yaml may answer (with its error).
const KEYS: &[&str] = &{
    let mut keys = [""; TOP_KEYS.len() + 2];
    let mut i = 0;
    while i < TOP_KEYS.len() {
        keys[i] = TOP_KEYS[i];
        i += 1;
    }
    keys[i] = "titel";
    keys[i + 1] = "Title";
    keys
};
const SUB_KEYS: &[&str] = &[
    "src", "alt", "name", "url", "date", "note", "question", "answer", "featured", "x",
];
const SEPARATORS: &[&str] = &[": ", ": ", ":  ", ":", " : ", ":\t"];
const ENDINGS: &[&str] = &["\n", "  \n", "\n\n", "\n# c\n", " # c\n", "\n  x\n"];
const INDENTS: &[usize] = &[2, 2, 4, 0, 1, 3];
const TYPED: &[&str] = &[
    "true", "false", "True", "yes", "3", "6.5", "6.", "1e3", "[]", "~", "",
];

/// Generated front matter is tame (the usual layout, properly quoted text, fitting values, so
/// the fast path has work to do) or nasty (anything from every list, anywhere).
#[derive(Debug, Clone, Copy)]
struct Mode {
    nasty: bool,
}

impl Mode {
    /// An item of `tame`, or in nasty mode sometimes of `nasty`.
    fn pick<T: Clone + std::fmt::Debug + 'static>(
        self,
        tame: &'static [T],
        nasty: &'static [T],
    ) -> BoxedStrategy<T> {
        if self.nasty {
            prop_oneof![
                proptest::sample::select(tame),
                proptest::sample::select(nasty)
            ]
            .boxed()
        } else {
            proptest::sample::select(tame).boxed()
        }
    }

    fn scalar(self) -> BoxedStrategy<String> {
        let text = proptest::collection::vec(self.pick(TAME, NASTY), 1..4).prop_map(|v| v.concat());
        let styles: &'static [u8] = if self.nasty {
            &[0, 1, 2, 3, 4, 5]
        } else {
            &[0, 1, 2, 4]
        };
        (text, proptest::sample::select(styles))
            .prop_map(|(t, style)| match style {
                0 | 1 => t,
                2 => format!("\"{}\"", t.replace('\\', "\\\\").replace('"', "\\\"")),
                3 => format!("\"{t}\""),
                4 => format!("'{}'", t.replace('\'', "''")),
                _ => format!("'{t}'"),
            })
            .boxed()
    }

    fn indent(self) -> BoxedStrategy<String> {
        self.pick(&[2usize, 2, 2, 4, 0], INDENTS)
            .prop_map(|n| " ".repeat(n))
            .boxed()
    }

    /// How many items a list, map or FAQ gets: empty ones (null to YAML) only when nasty.
    fn count(self) -> std::ops::Range<usize> {
        if self.nasty { 0..4 } else { 1..4 }
    }

    fn flow_list(self) -> BoxedStrategy<String> {
        let items = proptest::collection::vec(self.scalar(), self.count());
        (items, self.pick(&[", "], &[",", " , "]))
            .prop_map(|(v, j)| format!("[{}]", v.join(j)))
            .boxed()
    }

    /// `\n  - a\n  - b`: a newline before each item (the entry adds the last one).
    fn block_list(self) -> BoxedStrategy<String> {
        (
            proptest::collection::vec(self.scalar(), self.count()),
            self.indent(),
        )
            .prop_map(|(v, pad)| v.iter().map(|s| format!("\n{pad}- {s}")).collect())
            .boxed()
    }

    fn block_map(self, keys: &'static [&'static str]) -> BoxedStrategy<String> {
        let pair = (self.pick(keys, SUB_KEYS), self.scalar());
        (proptest::collection::vec(pair, self.count()), self.indent())
            .prop_map(|(kv, pad)| {
                let pad = if pad.is_empty() { " ".to_string() } else { pad };
                kv.iter().map(|(k, v)| format!("\n{pad}{k}: {v}")).collect()
            })
            .boxed()
    }

    fn faq(self) -> BoxedStrategy<String> {
        let item = (
            self.scalar(),
            self.scalar(),
            self.pick(&["answer"], SUB_KEYS),
            self.pick(&[2usize], &[1, 3]),
        );
        (proptest::collection::vec(item, self.count()), self.indent())
            .prop_map(|(items, pad)| {
                items
                    .iter()
                    .map(|(q, a, k, gap)| {
                        let gap = " ".repeat(*gap);
                        format!("\n{pad}- question: {q}\n{pad}{gap}{k}: {a}")
                    })
                    .collect()
            })
            .boxed()
    }

    /// The value shapes that suit `key` (and in nasty mode, now and then, any shape).
    fn value_for(self, key: &str) -> BoxedStrategy<String> {
        let typed = match key {
            "draft" => self.pick(&["true", "false"], TYPED),
            _ => self.pick(&["3", "6.5"], TYPED),
        }
        .prop_map(str::to_string);
        let fitting = match key {
            "author" => prop_oneof![self.scalar(), self.flow_list(), self.block_list()].boxed(),
            "categories" | "tags" => prop_oneof![self.flow_list(), self.block_list()].boxed(),
            "image" => self.block_map(&["src", "alt"]),
            "source" => self.block_map(&["name", "url", "date", "note"]),
            "extra" => self.block_map(&["featured", "location", "true", "x-y"]),
            "faq" => self.faq(),
            "read_time" | "draft" => typed.clone().boxed(),
            _ => self.scalar(),
        };
        if !self.nasty {
            return fitting;
        }
        let any = prop_oneof![
            self.scalar(),
            typed,
            self.flow_list(),
            self.block_list(),
            self.faq()
        ];
        prop_oneof![3 => fitting, 1 => any].boxed()
    }

    /// One top-level entry: a key, a separator, a value and a line ending.
    fn entry(self, key: BoxedStrategy<&'static str>) -> BoxedStrategy<String> {
        (
            key,
            self.pick(&[": "], SEPARATORS),
            self.pick(&["\n"], ENDINGS),
        )
            .prop_flat_map(move |(key, sep, end)| {
                self.value_for(key)
                    .prop_map(move |v| format!("{key}{sep}{v}{end}"))
            })
            .boxed()
    }

    fn front_matter(self) -> BoxedStrategy<String> {
        let title = self.scalar().prop_map(|t| format!("title: {t}\n"));
        let title = if self.nasty {
            prop_oneof![4 => title, 1 => Just(String::new())].boxed()
        } else {
            title.boxed()
        };
        // Tame front matter has each key once; nasty may repeat any.
        let rest = if self.nasty {
            proptest::collection::vec(self.entry(self.pick(KEYS, KEYS)), 0..6).boxed()
        } else {
            proptest::sample::subsequence(&KEYS[1..TOP_KEYS.len()], 0..6)
                .prop_shuffle()
                .prop_flat_map(move |keys| {
                    keys.into_iter()
                        .map(|k| self.entry(Just(k).boxed()))
                        .collect::<Vec<_>>()
                })
                .boxed()
        };
        (title, rest)
            .prop_map(|(t, rest)| t + &rest.concat())
            .boxed()
    }
}

fn front_matter() -> impl Strategy<Value = String> {
    any::<bool>().prop_flat_map(|nasty| Mode { nasty }.front_matter())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn fast_path_agrees_with_serde_yaml(yaml in front_matter()) {
        if let Some(f) = parse(&yaml) {
            let w = serde_yaml::from_str::<RawFrontMatter>(&yaml);
            prop_assert!(w.is_ok(), "accepted what serde_yaml refuses: {:?} {:?}", yaml, w);
            prop_assert_eq!(Some(f), w.ok(), "differs on {:?}", yaml);
        }
    }
}

#[test]
fn the_generated_inputs_often_take_the_fast_path() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = front_matter();
    let taken = (0..500)
        .filter(|_| {
            let yaml = strategy.new_tree(&mut runner).expect("value").current();
            parse(&yaml).is_some()
        })
        .count();
    assert!(
        taken > 100,
        "only {taken} of 500 generated inputs took the fast path"
    );
}
