//! Takes HTML text (pages the build rendered) and gives its start tags with decoded attributes:
//! enough to list links, image sources and element ids without a full HTML parser.

use std::collections::BTreeSet;

/// One start tag: lowercase name and attributes in order (names lowercase, values entity-decoded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// Element name, lowercase.
    pub name: String,
    /// `(name, value)`; a bare attribute has an empty value.
    pub attrs: Vec<(String, String)>,
}

impl Tag {
    /// The value of attribute `name`, if present.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Every start tag of `html`, in document order; comments and the insides of `<script>`,
/// `<style>` and `<textarea>` are skipped.
pub fn start_tags(html: &str) -> Vec<Tag> {
    let mut tags = Vec::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        rest = &rest[lt + 1..];
        if let Some(after) = rest.strip_prefix("!--") {
            rest = after.find("-->").map_or("", |i| &after[i + 3..]);
            continue;
        }
        if !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        let (tag, consumed) = parse_tag(rest);
        rest = &rest[consumed..];
        if matches!(tag.name.as_str(), "script" | "style" | "textarea") {
            let close = format!("</{}", tag.name);
            let lower = rest.to_ascii_lowercase();
            rest = lower.find(&close).map_or("", |i| &rest[i..]);
        }
        tags.push(tag);
    }
    tags
}

/// Parses a tag whose name starts `s`; returns it and the bytes consumed (up to and including `>`).
fn parse_tag(s: &str) -> (Tag, usize) {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' && b[i] != b'/' {
        i += 1;
    }
    let name = s[..i].to_ascii_lowercase();
    let mut attrs = Vec::new();
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() {
            break;
        }
        if b[i] == b'>' {
            i += 1;
            break;
        }
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let attr_name = s[start..i].to_ascii_lowercase();
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let quote = b[i];
                let vstart = i + 1;
                let end = s[vstart..]
                    .bytes()
                    .position(|c| c == quote)
                    .map_or(b.len(), |p| vstart + p);
                value = decode_entities(&s[vstart..end]);
                i = (end + 1).min(b.len());
            } else {
                let vstart = i;
                while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                    i += 1;
                }
                value = decode_entities(&s[vstart..i]);
            }
        }
        if !attr_name.is_empty() {
            attrs.push((attr_name, value));
        }
    }
    (Tag { name, attrs }, i)
}

/// Decodes the character references that occur in attribute values (`&amp;`, `&#39;`, `&#x2F;`, ...).
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let Some(semi) = rest[..rest.len().min(12)].find(';') else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..semi];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Every `id` (and `<a name>`) in `html`: the targets a `#fragment` can reach.
pub fn ids(html: &str) -> BTreeSet<String> {
    start_tags(html)
        .into_iter()
        .filter_map(|t| {
            let name_anchor = (t.name == "a").then(|| t.attr("name")).flatten();
            t.attr("id").or(name_anchor).map(str::to_string)
        })
        .collect()
}

/// A reference from a page to another resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The URL as it appears in the HTML (decoded).
    pub url: String,
    /// True for embedded resources (`img`, `script`, `link`, `source`, ...), false for `<a>` links.
    pub embedded: bool,
    /// For `<img>`: its alt text (`None` if the attribute is missing).
    pub alt: Option<Option<String>>,
}

/// Every link and embedded-resource URL of `html`, in document order.
pub fn references(html: &str) -> Vec<Reference> {
    let mut out = Vec::new();
    for tag in start_tags(html) {
        let (attr, embedded) = match tag.name.as_str() {
            "a" | "area" => ("href", false),
            "link" => ("href", true),
            "img" | "script" | "source" | "iframe" | "video" | "audio" | "embed" | "track" => {
                ("src", true)
            }
            _ => continue,
        };
        // Feeds and other `<link>`s that are not fetched by the page (preconnect hints) still must exist.
        if tag.name == "link"
            && tag
                .attr("rel")
                .is_some_and(|r| r.contains("preconnect") || r.contains("dns-prefetch"))
        {
            continue;
        }
        if let Some(url) = tag.attr(attr) {
            out.push(Reference {
                url: url.to_string(),
                embedded,
                alt: (tag.name == "img").then(|| tag.attr("alt").map(str::to_string)),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_in_every_quoting_style() {
        let tags = start_tags(
            "<p><A HREF='/x?a=1&amp;b=2' class=big data-x>t</a><img src=\"i.png\" alt=\"\"/>",
        );
        assert_eq!(tags[1].name, "a");
        assert_eq!(tags[1].attr("href"), Some("/x?a=1&b=2"));
        assert_eq!(tags[1].attr("class"), Some("big"));
        assert_eq!(tags[1].attr("data-x"), Some(""));
        assert_eq!(tags[2].attr("alt"), Some(""));
    }

    #[test]
    fn comments_and_scripts_are_skipped() {
        let html = "<!-- <a href=\"/no\"> --><script>if (a<b) { x = '<a href=\"/no\">' }</script><a href=\"/yes\">";
        let refs: Vec<String> = references(html).into_iter().map(|r| r.url).collect();
        assert_eq!(refs, ["/yes"]);
    }

    #[test]
    fn ids_include_named_anchors() {
        let ids = ids("<h2 id=\"faq\">F</h2><a name=\"old\"></a><div name=\"no\"></div>");
        assert_eq!(ids.into_iter().collect::<Vec<_>>(), ["faq", "old"]);
    }

    #[test]
    fn entities_decode() {
        assert_eq!(
            decode_entities("a&amp;b&#39;c&#x2F;d&unknown;e&"),
            "a&b'c/d&unknown;e&"
        );
    }

    #[test]
    fn images_report_missing_and_empty_alt() {
        let refs = references("<img src=a.png><img src=b.png alt=\"\"><img src=c.png alt=Cat>");
        let alts: Vec<_> = refs.into_iter().map(|r| r.alt).collect();
        assert_eq!(
            alts,
            [
                Some(None),
                Some(Some(String::new())),
                Some(Some("Cat".into()))
            ]
        );
    }
}
