//! Takes text and attribute values and gives well-formed XML: a thin layer over quick-xml's
//! `Writer` that escapes everything and drops the characters XML 1.0 cannot carry.

use std::borrow::Cow;
use std::io;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesStart, BytesText, Event};

/// Removes characters XML 1.0 cannot carry at all (escaping cannot help them), e.g. U+0001, U+FFFE.
pub fn xml_safe(s: &str) -> Cow<'_, str> {
    let ok = |c: char| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..);
    // Feeds carry whole articles: check printable ASCII a byte at a time before decoding characters.
    let plain_ascii = |b: &u8| matches!(b, 0x20..=0x7F | b'\t' | b'\n' | b'\r');
    if s.as_bytes().iter().all(plain_ascii) || s.chars().all(ok) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.chars().filter(|&c| ok(c)).collect())
    }
}

/// A small layer over quick-xml's writer: every text and attribute goes through `xml_safe`
/// and quick-xml's escaping.
pub(crate) struct Xml {
    w: Writer<Vec<u8>>,
}

impl Xml {
    /// A document with the XML declaration written.
    pub(crate) fn new() -> io::Result<Self> {
        let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
        Ok(Self { w })
    }

    /// `<name attrs>…</name>` with `inner` writing the children.
    pub(crate) fn el(
        &mut self,
        name: &str,
        attrs: &[(&str, &str)],
        inner: impl FnOnce(&mut Self) -> io::Result<()>,
    ) -> io::Result<()> {
        let attrs: Vec<(&str, Cow<'_, str>)> =
            attrs.iter().map(|(k, v)| (*k, xml_safe(v))).collect();
        let mut start = BytesStart::new(name);
        for (k, v) in &attrs {
            start.push_attribute((*k, v.as_ref()));
        }
        self.w.write_event(Event::Start(start.borrow()))?;
        inner(self)?;
        self.w.write_event(Event::End(start.to_end()))
    }

    /// `<name attrs>text</name>`.
    pub(crate) fn text(
        &mut self,
        name: &str,
        attrs: &[(&str, &str)],
        text: &str,
    ) -> io::Result<()> {
        let mut e = self.w.create_element(name);
        for (k, v) in attrs {
            e = e.with_attribute((*k, xml_safe(v).as_ref()));
        }
        e.write_text_content(BytesText::new(&xml_safe(text)))?;
        Ok(())
    }

    /// `<name attrs/>`.
    pub(crate) fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) -> io::Result<()> {
        let mut e = self.w.create_element(name);
        for (k, v) in attrs {
            e = e.with_attribute((*k, xml_safe(v).as_ref()));
        }
        e.write_empty()?;
        Ok(())
    }

    /// A writer for a fragment (no XML declaration), to be spliced into documents.
    pub(crate) fn fragment() -> Self {
        Self {
            w: Writer::new_with_indent(Vec::new(), b' ', 2),
        }
    }

    /// Inserts a fragment written by `Xml::fragment` (so already escaped) on its own line at
    /// nesting `depth`.
    pub(crate) fn splice(&mut self, depth: usize, fragment: Option<&Vec<u8>>) {
        if let Some(bytes) = fragment {
            let out = self.w.get_mut();
            out.push(b'\n');
            out.extend(std::iter::repeat_n(b' ', depth * 2));
            out.extend_from_slice(bytes);
        }
    }

    /// The bytes of a fragment, for `splice`.
    pub(crate) fn into_fragment(self) -> Vec<u8> {
        self.w.into_inner()
    }

    /// The finished document, ending in a newline.
    pub(crate) fn finish(self) -> Vec<u8> {
        let mut bytes = self.w.into_inner();
        bytes.push(b'\n');
        bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_xml_characters_are_dropped() {
        assert_eq!(xml_safe("a\u{1}b\u{FFFE}c\u{2028}"), "abc\u{2028}");
        assert!(matches!(xml_safe("plain & <ok>"), Cow::Borrowed(_)));
    }

    #[test]
    fn writer_escapes_text_and_attributes() {
        let mut x = Xml::new().unwrap();
        x.text("t", &[("a", "\"]]><x>&")], "</t>]]>&<!--").unwrap();
        let s = String::from_utf8(x.finish()).unwrap();
        assert!(
            s.ends_with("<t a=\"&quot;]]&gt;&lt;x&gt;&amp;\">&lt;/t&gt;]]&gt;&amp;&lt;!--</t>\n"),
            "{s}"
        );
    }
}
