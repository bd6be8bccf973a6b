//! Takes front matter YAML and gives its `RawFrontMatter` without serde_yaml, or `None` if unsure.
//!
//! serde_yaml stays the authority: whenever this gives `Some`, serde_yaml would give `Ok` with the
//! same value (the tests check it on every fixture and on generated nasty inputs). Anything unusual,
//! and every error, gives `None` so serde_yaml parses it and words the message. Accepted: top-level
//! known keys at column 0; one-line double-quoted (simple escapes), single-quoted and plain scalars;
//! one-line flow sequences of scalars; block sequences; `image`/`source`/`extra` one level deep;
//! `faq` as a block sequence of `question`/`answer` maps; blank and whole-line comment lines.

use super::{MAX_FLOW_DEPTH, OneOrMany, RawFaq, RawFrontMatter, RawImage, RawSource};

/// The parsed front matter if `yaml` is in the subset; `None` means "let serde_yaml decide".
pub(super) fn parse(yaml: &str) -> Option<RawFrontMatter> {
    if !simple_text(yaml) {
        return None;
    }
    let mut lines = Lines::new(yaml);
    let mut fm = RawFrontMatter::default();
    let mut seen = 0u32;
    while let Some(line) = lines.next() {
        let (key, value) = key_value(line)?;
        let bit = 1 << TOP_KEYS.iter().position(|k| *k == key)?;
        if seen & bit != 0 {
            return None;
        }
        seen |= bit;
        match key {
            "title" => fm.title = string(value)?,
            "date" => fm.date = Some(date(value)?),
            "updated" => fm.updated = Some(date(value)?),
            "slug" => fm.slug = Some(string(value)?),
            "id" => fm.id = Some(string(value)?),
            "summary" => fm.summary = Some(string(value)?),
            "author" => {
                fm.author = Some(match value.as_bytes().first() {
                    None => OneOrMany::Many(block_seq(&mut lines)?),
                    Some(b'[') => OneOrMany::Many(flow_seq(value)?),
                    Some(_) => OneOrMany::One(text(value)?),
                })
            }
            "categories" => fm.categories = list(value, &mut lines)?,
            "tags" => fm.tags = list(value, &mut lines)?,
            "image" => fm.image = Some(image(value, &mut lines)?),
            "read_time" => fm.read_time = Some(decimal(value)?),
            "source" => fm.source = Some(source(value, &mut lines)?),
            "faq" => fm.faq = faq(value, &mut lines)?,
            "draft" => fm.draft = boolean(value)?,
            "extra" => fm.extra = extra(value, &mut lines)?,
            _ => return None,
        }
    }
    // `title` is the only required key; without it serde_yaml words the error.
    ((seen & 1) != 0).then_some(fm)
}

/// `RawFrontMatter`'s keys; `title` first (bit 0).
const TOP_KEYS: [&str; 15] = [
    "title",
    "date",
    "updated",
    "slug",
    "id",
    "summary",
    "author",
    "categories",
    "tags",
    "image",
    "read_time",
    "source",
    "faq",
    "draft",
    "extra",
];

/// Only spaces and newlines as whitespace, only characters libyaml reads as themselves (no tabs,
/// CR, controls, NEL/LS/PS line breaks or BOM), and few enough `[`/`{` that `too_deep` could never
/// refuse what the fast path accepts.
fn simple_text(yaml: &str) -> bool {
    let (mut odd, mut opens) = (0u8, 0usize);
    // Byte-wide accumulators over short chunks let the compiler vectorise the scan (3x faster).
    for chunk in yaml.as_bytes().chunks(64) {
        let (mut o, mut n) = (0u8, 0u8);
        for &b in chunk {
            o |= u8::from(b.wrapping_sub(0x20) > 0x5e) & u8::from(b != b'\n');
            n += u8::from(b == b'[') + u8::from(b == b'{');
        }
        odd |= o;
        opens += usize::from(n);
    }
    opens <= MAX_FLOW_DEPTH && (odd == 0 || yaml.chars().all(printable))
}

/// A character YAML allows in a document that is not a line break, a tab or a BOM.
fn printable(c: char) -> bool {
    let allowed = matches!(c, '\n' | ' '..='~' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}')
        || c >= '\u{10000}';
    allowed && !matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}')
}

/// Lines with blank and whole-line comment lines skipped (libyaml skips them before looking at
/// indentation, so they never end or continue anything the fast path accepts), with one lookahead.
struct Lines<'a> {
    rest: std::str::Split<'a, char>,
    head: Option<&'a str>,
}

impl<'a> Lines<'a> {
    fn new(yaml: &'a str) -> Self {
        let mut rest = yaml.split('\n');
        let head = Self::content(&mut rest);
        Lines { rest, head }
    }

    fn content(rest: &mut std::str::Split<'a, char>) -> Option<&'a str> {
        rest.find(|l| !matches!(l.trim_start_matches(' ').bytes().next(), None | Some(b'#')))
    }

    fn peek(&self) -> Option<&'a str> {
        self.head
    }

    fn next(&mut self) -> Option<&'a str> {
        let head = self.head;
        self.head = Self::content(&mut self.rest);
        head
    }
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// `key: value` or `key:` on a line starting with the key; the value without surrounding spaces.
fn key_value(line: &str) -> Option<(&str, &str)> {
    let colon = line.find(':')?;
    let key = &line[..colon];
    let after = &line[colon + 1..];
    let simple_key = key.len() <= 64
        && key.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if !simple_key || !(after.is_empty() || after.starts_with(' ')) {
        return None;
    }
    Some((key, after.trim_matches(' ')))
}

/// A scalar for a `String` field: quoted, or plain (serde_yaml hands a `String` field the plain
/// text as written, even `123` or `true`). Plain nulls would be `None` in an `Option`: not taken.
fn string(v: &str) -> Option<String> {
    match v.as_bytes().first()? {
        b'"' => double_quoted(v),
        b'\'' => single_quoted(v),
        _ => plain(v).filter(|p| !null(p)).map(str::to_string),
    }
}

/// A scalar that serde_yaml must resolve as a string (`OneOrMany`, `extra` values): quoted, or
/// plain text that cannot be read as null, a boolean or a number.
fn text(v: &str) -> Option<String> {
    match v.as_bytes().first()? {
        b'"' | b'\'' => string(v),
        _ => plain(v).filter(|p| word(p)).map(str::to_string),
    }
}

/// A date for `scalar_text`: quoted, a plain word, a plain `2026-01-27...` (never a number in YAML)
/// or plain digits (an integer, which `scalar_text` writes back as the same digits).
fn date(v: &str) -> Option<String> {
    match v.as_bytes().first()? {
        b'"' | b'\'' => string(v),
        _ => plain(v)
            .filter(|p| word(p) || digits(p) || date_like(p))
            .map(str::to_string),
    }
}

/// Up to 18 digits: serde_yaml reads them as a `u64` (or, with a leading zero, as a string), and
/// both come back as the same text.
fn digits(p: &str) -> bool {
    (1..=18).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
}

/// `YYYY-MM-DD` then only time characters: the `-` at index 4 rules out every YAML number.
fn date_like(p: &str) -> bool {
    let b = p.as_bytes();
    b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
        && b[10..]
            .iter()
            .all(|b| b.is_ascii_digit() || b" :.+-TZtz".contains(b))
}

/// `6` or `6.5`: `f64` parsing of these is the same in Rust and serde_yaml (which uses Rust's).
fn decimal(v: &str) -> Option<f64> {
    let (whole, frac) = v.split_once('.').unwrap_or((v, "0"));
    let ok = |s: &str| (1..=9).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    if ok(whole) && ok(frac) {
        v.parse().ok()
    } else {
        None
    }
}

fn boolean(v: &str) -> Option<bool> {
    match v {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// Plain text starting with a letter that is none of YAML's null, boolean or special float words
/// (YAML 1.1's `yes`/`no`/`on`/`off` too, in case a reader applies 1.1 rules).
fn word(p: &str) -> bool {
    const RESERVED: [&str; 12] = [
        "null", "true", "false", "yes", "no", "on", "off", "y", "n", "inf", "infinity", "nan",
    ];
    p.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || !c.is_ascii())
        && !RESERVED.iter().any(|r| p.eq_ignore_ascii_case(r))
}

fn null(p: &str) -> bool {
    p == "~" || p.eq_ignore_ascii_case("null")
}

/// Characters that cannot start a plain scalar (or start something else: anchors, tags, aliases,
/// block scalars, flow collections, directives, sequence entries, complex keys).
const INDICATORS: &[u8] = b"-?:,[]{}#&*!|>'\"%@`";

/// A one-line block-context plain scalar that is all of `v`: nothing that starts a comment, a
/// mapping value or another token.
fn plain(v: &str) -> Option<&str> {
    let first = *v.as_bytes().first()?;
    let ok =
        !INDICATORS.contains(&first) && !v.ends_with(':') && !v.contains(": ") && !v.contains(" #");
    ok.then_some(v)
}

/// A double-quoted scalar that is all of `v`, with only `\" \\ \/ \n \t \r \uXXXX` escapes.
fn double_quoted(v: &str) -> Option<String> {
    let body = v.strip_prefix('"')?.strip_suffix('"')?;
    // Most text has no escapes; two memchr scans beat the general loop below.
    if !body.contains('\\') && !body.contains('"') {
        return Some(body.to_string());
    }
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(i) = rest.find(['"', '\\']) {
        out.push_str(&rest[..i]);
        let b = rest.as_bytes();
        if b[i] == b'"' {
            // The scalar closed before the end of `v`.
            return None;
        }
        let c = match b.get(i + 1)? {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'n' => '\n',
            b't' => '\t',
            b'r' => '\r',
            b'u' => {
                let hex = rest.get(i + 2..i + 6)?;
                if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return None;
                }
                let c = char::from_u32(u32::from_str_radix(hex, 16).ok()?)?;
                out.push(c);
                rest = &rest[i + 6..];
                continue;
            }
            _ => return None,
        };
        out.push(c);
        rest = &rest[i + 2..];
    }
    out.push_str(rest);
    Some(out)
}

/// A single-quoted scalar that is all of `v` (`''` is one quote).
fn single_quoted(v: &str) -> Option<String> {
    let body = v.strip_prefix('\'')?.strip_suffix('\'')?;
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(i) = rest.find('\'') {
        out.push_str(&rest[..i]);
        if rest.as_bytes().get(i + 1) != Some(&b'\'') {
            return None;
        }
        out.push('\'');
        rest = &rest[i + 2..];
    }
    out.push_str(rest);
    Some(out)
}

/// `categories`/`tags`: a one-line flow sequence, or a block sequence on the next lines.
fn list<'a>(value: &'a str, lines: &mut Lines<'a>) -> Option<Vec<String>> {
    if value.is_empty() {
        block_seq(lines)
    } else {
        flow_seq(value)
    }
}

/// `[a, "b", 'c']` on one line; no trailing comma, no nesting.
fn flow_seq(v: &str) -> Option<Vec<String>> {
    let mut rest = v
        .strip_prefix('[')?
        .strip_suffix(']')?
        .trim_start_matches(' ');
    let mut out = Vec::new();
    if rest.trim_end_matches(' ').is_empty() {
        return Some(out);
    }
    loop {
        let (item, after) = flow_item(rest)?;
        out.push(item);
        let after = after.trim_start_matches(' ');
        if after.is_empty() {
            return Some(out);
        }
        rest = after.strip_prefix(',')?.trim_start_matches(' ');
        if rest.is_empty() {
            return None;
        }
    }
}

/// One flow sequence entry at the start of `s`, and what follows it.
fn flow_item(s: &str) -> Option<(String, &str)> {
    let end = match s.as_bytes().first()? {
        b'"' => closing_double_quote(s)?,
        b'\'' => closing_single_quote(s)?,
        _ => {
            let end = s.find(',').unwrap_or(s.len());
            let p = s[..end].trim_end_matches(' ');
            let ok = !INDICATORS.contains(p.as_bytes().first()?)
                && !p.contains([':', '#', '[', ']', '{', '}'])
                && !null(p);
            return ok.then(|| (p.to_string(), &s[end..]));
        }
    };
    let (quoted, after) = s.split_at(end + 1);
    Some((string(quoted)?, after))
}

/// Byte index of the `"` that closes the double-quoted scalar opening `s`.
fn closing_double_quote(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// Byte index of the `'` that closes the single-quoted scalar opening `s`.
fn closing_single_quote(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = 1;
    while i < b.len() {
        if b[i] == b'\'' {
            if b.get(i + 1) == Some(&b'\'') {
                i += 2;
                continue;
            }
            return Some(i);
        }
        i += 1;
    }
    None
}

/// `- item` lines, all at one indentation (0 included), each item a scalar on its line.
fn block_seq<'a>(lines: &mut Lines<'a>) -> Option<Vec<String>> {
    let dash = indent(lines.peek()?);
    let mut out = Vec::new();
    while let Some(line) = lines.peek() {
        let n = indent(line);
        match line[n..].strip_prefix("- ") {
            Some(item) if n == dash => {
                lines.next();
                out.push(string(item.trim_matches(' '))?);
            }
            _ if n == 0 => break,
            _ => return None,
        }
    }
    // Empty: `key:` with nothing under it, which serde_yaml reads as null.
    (!out.is_empty()).then_some(out)
}

/// The `key: value` lines of a one-level block mapping indented under its key; no duplicates.
fn block_map<'a>(value: &str, lines: &mut Lines<'a>) -> Option<Vec<(&'a str, &'a str)>> {
    if !value.is_empty() {
        return None;
    }
    let at = indent(lines.peek()?);
    if at == 0 {
        return None;
    }
    let mut out: Vec<(&str, &str)> = Vec::new();
    while let Some(line) = lines.peek() {
        let n = indent(line);
        if n == 0 {
            break;
        }
        if n != at {
            return None;
        }
        lines.next();
        let (k, v) = key_value(&line[n..])?;
        if v.is_empty() || out.iter().any(|(seen, _)| *seen == k) {
            return None;
        }
        out.push((k, v));
    }
    Some(out)
}

fn image<'a>(value: &str, lines: &mut Lines<'a>) -> Option<RawImage> {
    let (mut src, mut alt) = (None, None);
    for (k, v) in block_map(value, lines)? {
        match k {
            "src" => src = Some(string(v)?),
            "alt" => alt = Some(string(v)?),
            _ => return None,
        }
    }
    Some(RawImage { src: src?, alt })
}

fn source<'a>(value: &str, lines: &mut Lines<'a>) -> Option<RawSource> {
    let mut s = RawSource {
        name: None,
        url: None,
        date: None,
        note: None,
    };
    for (k, v) in block_map(value, lines)? {
        match k {
            "name" => s.name = Some(string(v)?),
            "url" => s.url = Some(string(v)?),
            "date" => s.date = Some(date(v)?),
            "note" => s.note = Some(string(v)?),
            _ => return None,
        }
    }
    Some(s)
}

/// `extra` with string and `true`/`false` values only; anything else (numbers, nesting) is left
/// to serde_yaml, which knows how YAML maps onto `serde_json::Value`.
fn extra<'a>(
    value: &str,
    lines: &mut Lines<'a>,
) -> Option<std::collections::BTreeMap<String, serde_json::Value>> {
    let mut out = std::collections::BTreeMap::new();
    for (k, v) in block_map(value, lines)? {
        if !word(k) {
            return None;
        }
        let v = match v {
            "true" => serde_json::Value::Bool(true),
            "false" => serde_json::Value::Bool(false),
            _ => serde_json::Value::String(text(v)?),
        };
        out.insert(k.to_string(), v);
    }
    Some(out)
}

/// `- question: ...` / `  answer: ...` items; each item's keys aligned two columns past its dash.
fn faq<'a>(value: &str, lines: &mut Lines<'a>) -> Option<Vec<RawFaq>> {
    if !value.is_empty() {
        return None;
    }
    let dash = indent(lines.peek()?);
    let keys_at = dash + 2;
    let mut out = Vec::new();
    while let Some(line) = lines.peek() {
        let n = indent(line);
        let Some(first) = line[n..].strip_prefix("- ").filter(|_| n == dash) else {
            if n == 0 {
                break;
            }
            return None;
        };
        lines.next();
        let (mut question, mut answer) = (None, None);
        let mut entry = first;
        loop {
            let (k, v) = key_value(entry)?;
            let slot = match k {
                "question" => &mut question,
                "answer" => &mut answer,
                _ => return None,
            };
            if slot.is_some() {
                return None;
            }
            *slot = Some(string(v)?);
            match lines.peek() {
                Some(l) if indent(l) == keys_at => {
                    lines.next();
                    entry = &l[keys_at..];
                }
                _ => break,
            }
        }
        out.push(RawFaq {
            question: question?,
            answer: answer?,
        });
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests;
