//! The one way Broadsheet writes XML: Atom and RSS feeds and the sitemaps go
//! through this small writer over quick-xml, which escapes every text and
//! attribute. Elements are written on their own lines, so a feed's cached
//! entries can be put between a document's head and tail as they are.

use std::io;

use quick_xml::Writer;
use quick_xml::events::{BytesCData, BytesDecl, BytesEnd, BytesStart, BytesText, Event};

/// An XML document or fragment, written into memory.
pub struct Xml {
    writer: Writer<Vec<u8>>,
}

/// Writing into memory cannot fail; the writer's `io::Result` is dropped.
fn done<T>(_: io::Result<T>) {}

impl Xml {
    /// A whole document, starting with its XML declaration.
    pub fn document() -> Xml {
        let mut xml = Xml::fragment();
        done(xml.writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None))));
        xml.newline();
        xml
    }

    /// Elements to be put into a document later (a feed entry).
    pub fn fragment() -> Xml {
        Xml { writer: Writer::new(Vec::with_capacity(1024)) }
    }

    fn start<'a>(name: &'a str, attributes: &[(&'a str, &'a str)]) -> BytesStart<'a> {
        BytesStart::new(name).with_attributes(attributes.iter().copied())
    }

    /// `<name attributes>`, then a line break.
    pub fn open(&mut self, name: &str, attributes: &[(&str, &str)]) {
        done(self.writer.write_event(Event::Start(Xml::start(name, attributes))));
        self.newline();
    }

    /// `<name>` with no line break after it.
    pub fn open_inline(&mut self, name: &str) {
        done(self.writer.write_event(Event::Start(BytesStart::new(name))));
    }

    /// `</name>` with no line break after it.
    pub fn close_inline(&mut self, name: &str) {
        done(self.writer.write_event(Event::End(BytesEnd::new(name))));
    }

    /// `</name>`, then a line break.
    pub fn close(&mut self, name: &str) {
        done(self.writer.write_event(Event::End(BytesEnd::new(name))));
        self.newline();
    }

    /// `<name attributes>text</name>`, the text escaped.
    pub fn element(&mut self, name: &str, attributes: &[(&str, &str)], text: &str) {
        let element = self.writer.create_element(name).with_attributes(attributes.iter().copied());
        done(element.write_text_content(BytesText::new(text)));
    }

    /// `<name><![CDATA[text]]></name>`: HTML as it is, smaller than escaped
    /// (a `]]>` inside is split across sections).
    pub fn cdata(&mut self, name: &str, text: &str) {
        self.open_inline(name);
        for section in BytesCData::escaped(text) {
            done(self.writer.write_event(Event::CData(section)));
        }
        self.close_inline(name);
    }

    /// `<name attributes/>`.
    pub fn empty(&mut self, name: &str, attributes: &[(&str, &str)]) {
        done(self.writer.write_event(Event::Empty(Xml::start(name, attributes))));
    }

    /// XML written earlier by a fragment, as it is.
    pub fn raw(&mut self, written: &str) {
        self.writer.get_mut().extend_from_slice(written.as_bytes());
    }

    /// A line break.
    pub fn newline(&mut self) {
        self.writer.get_mut().push(b'\n');
    }

    /// The XML written, without spare room (fragments are kept for the
    /// whole build).
    pub fn finish(self) -> String {
        let mut bytes = self.writer.into_inner();
        bytes.shrink_to_fit();
        // Only `&str`s went in, so the bytes are UTF-8.
        String::from_utf8(bytes).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_attributes_are_escaped() {
        let mut xml = Xml::document();
        xml.open("feed", &[("xml:lang", "en")]);
        xml.element("title", &[], "Rates & <risks>");
        xml.empty("link", &[("href", "https://e.com/?a=1&b=\"2\"")]);
        xml.newline();
        xml.close("feed");
        xml.cdata("content:encoded", "<p>a ]]> b</p>");
        xml.newline();
        assert_eq!(
            xml.finish(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xml:lang=\"en\">\n<title>Rates &amp; &lt;risks&gt;</title><link href=\"https://e.com/?a=1&amp;b=&quot;2&quot;\"/>\n</feed>\n<content:encoded><![CDATA[<p>a ]]]]><![CDATA[> b</p>]]></content:encoded>\n"
        );
    }
}
