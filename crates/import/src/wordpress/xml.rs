//! The export read as a stream: quick-xml events, elements tracked by
//! name on a stack, each `<item>`'s fields and the channel's (site title,
//! address, language, authors) collected, comments read past; entities
//! the export declares itself are refused.

use std::io::BufRead;

use anyhow::anyhow;
use quick_xml::events::Event;

use super::{Channel, Raw};
use crate::html;
use broadsheet_base::slug::slugify;

/// The streaming reader: elements are tracked by name on a stack, text is
/// collected for the leaf being read.
pub(super) struct Reader<R: BufRead> {
    xml: quick_xml::Reader<R>,
    name: String,
}

impl<R: BufRead> Reader<R> {
    pub(super) fn new(input: R, name: String) -> Reader<R> {
        let mut xml = quick_xml::Reader::from_reader(input);
        xml.config_mut().trim_text(false);
        Reader { xml, name }
    }

    fn error(&self, what: impl std::fmt::Display) -> broadsheet_base::error::Error {
        anyhow!("{}: not a readable WordPress export at byte {}: {what}", self.name, self.xml.buffer_position()).into()
    }

    pub(super) fn run(
        &mut self,
        channel: &mut Channel,
        mut on_item: impl FnMut(Raw, &Channel),
    ) -> broadsheet_base::error::Result<()> {
        let mut buf = Vec::with_capacity(1 << 16);
        let mut stack: Vec<String> = Vec::new();
        let mut text = String::new();
        let mut raw: Option<Raw> = None;
        let mut term: Option<(String, String)> = None;
        let mut meta_key = String::new();
        let mut author: (String, String) = Default::default();
        let mut in_comment = 0usize;
        loop {
            let event = self.xml.read_event_into(&mut buf).map_err(|e| self.error(e))?;
            match event {
                Event::Start(e) => {
                    let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                    if name == "wp:comment" {
                        in_comment += 1;
                    }
                    if name == "item" {
                        raw = Some(Raw::default());
                    }
                    if name == "category" && raw.is_some() {
                        let mut domain = String::new();
                        let mut nicename = String::new();
                        for a in e.attributes().flatten() {
                            let v = html::decode_entities(&String::from_utf8_lossy(&a.value));
                            match a.key.as_ref() {
                                b"domain" => domain = v,
                                b"nicename" => nicename = v,
                                _ => {}
                            }
                        }
                        term = Some((domain, nicename));
                    }
                    if stack.len() > 64 {
                        return Err(self.error("elements nested more than 64 deep"));
                    }
                    stack.push(name);
                    text.clear();
                }
                Event::Empty(_) => text.clear(),
                Event::Text(t) if in_comment == 0 => {
                    text.push_str(&t.decode().map_err(|e| self.error(e))?);
                }
                Event::CData(t) if in_comment == 0 => {
                    let bytes = t.into_inner();
                    text.push_str(std::str::from_utf8(&bytes).map_err(|_| self.error("text that is not UTF-8"))?);
                }
                Event::GeneralRef(r) => {
                    if let Ok(Some(c)) = r.resolve_char_ref() {
                        text.push(c);
                    } else {
                        let name = r.decode().map_err(|e| self.error(e))?.into_owned();
                        match quick_xml::escape::resolve_xml_entity(&name) {
                            Some(s) => text.push_str(s),
                            None => match raw.as_mut() {
                                Some(raw) => raw.refused = Some(format!("the entity `&{name};`")),
                                None => return Err(self.error(format!("the entity `&{name};` is not XML's own"))),
                            },
                        }
                    }
                }
                Event::End(_) => {
                    let Some(name) = stack.pop() else { return Err(self.error("a closing tag without its opening")) };
                    let parent = stack.last().map(String::as_str).unwrap_or("");
                    let value = std::mem::take(&mut text);
                    if name == "wp:comment" {
                        in_comment = in_comment.saturating_sub(1);
                        continue;
                    }
                    if in_comment > 0 {
                        continue;
                    }
                    match (raw.as_mut(), name.as_str()) {
                        (Some(_), "item") => {
                            if let Some(r) = raw.take() {
                                on_item(r, channel);
                            }
                        }
                        (Some(r), field) => read_field(r, field, parent, value, &mut term, &mut meta_key),
                        (None, field) => read_channel(channel, field, parent, value, &mut author),
                    }
                }
                Event::DocType(_) => {}
                Event::Eof => break,
                _ => {}
            }
            buf.clear();
        }
        if !stack.is_empty() {
            return Err(self.error(format!("the file ends inside <{}>: it was cut short", stack.join("> <"))));
        }
        Ok(())
    }
}

fn read_field(
    r: &mut Raw,
    field: &str,
    parent: &str,
    value: String,
    term: &mut Option<(String, String)>,
    meta_key: &mut String,
) {
    match (parent, field) {
        ("item", "title") => r.title = value,
        ("item", "link") => r.link = value.trim().to_string(),
        ("item", "guid") => r.guid = value.trim().to_string(),
        ("item", "dc:creator") => r.creator = value.trim().to_string(),
        ("item", "content:encoded") => r.content = value,
        ("item", "excerpt:encoded") => r.excerpt = value,
        ("item", "wp:post_id") => r.id = value.trim().to_string(),
        ("item", "wp:post_date") => r.date = value,
        ("item", "wp:post_date_gmt") => r.date_gmt = value,
        ("item", "wp:post_modified") => r.modified = value,
        ("item", "wp:post_modified_gmt") => r.modified_gmt = value,
        ("item", "wp:post_name") => r.name = value.trim().to_string(),
        ("item", "wp:status") => r.status = value.trim().to_string(),
        ("item", "wp:post_parent") => r.parent = value.trim().to_string(),
        ("item", "wp:post_type") => r.post_type = value.trim().to_string(),
        ("item", "wp:post_password") => r.has_password = !value.trim().is_empty(),
        ("item", "wp:attachment_url") => r.attachment_url = value.trim().to_string(),
        ("item", "category") => {
            if let Some((domain, nicename)) = term.take() {
                let nicename = if nicename.is_empty() { slugify(&value) } else { nicename };
                r.terms.push((domain, nicename, value));
            }
        }
        ("wp:postmeta", "wp:meta_key") => *meta_key = value.trim().to_string(),
        ("wp:postmeta", "wp:meta_value") if meta_key == "_thumbnail_id" => r.thumbnail = Some(value.trim().to_string()),
        ("wp:postmeta", "wp:meta_value") if meta_key == "_wp_attachment_image_alt" => r.alt = value,
        _ => {}
    }
}

/// WordPress.com exports of 2014 and older name an author's element
/// `<wp:wp_author>`: the same as `<wp:author>`.
fn author_element(name: &str) -> &str {
    if name == "wp:wp_author" { "wp:author" } else { name }
}

fn read_channel(c: &mut Channel, field: &str, parent: &str, value: String, author: &mut (String, String)) {
    match (author_element(parent), author_element(field)) {
        ("channel", "title") => c.title = value.trim().to_string(),
        ("channel", "link") => c.link = value.trim().to_string(),
        ("channel", "description") => c.description = value.trim().to_string(),
        ("channel", "language") => c.language = value.trim().to_string(),
        ("channel", "wp:base_blog_url") => c.base_blog_url = value.trim().to_string(),
        ("wp:author", "wp:author_login") => author.0 = value.trim().to_string(),
        ("wp:author", "wp:author_display_name") => author.1 = value.trim().to_string(),
        ("channel", "wp:author") => {
            let (login, display) = std::mem::take(author);
            let display = if display.is_empty() { login.clone() } else { html::decode_entities(&display) };
            let mut key = slugify(&display);
            if key.is_empty() {
                key = format!("author-{}", c.authors.len() + 1);
            }
            // Two people with one name: `jane`, `jane-2`, `jane-3`.
            let taken = |k: &str| c.authors.values().any(|(other, _)| other == k);
            if taken(&key) {
                let stem = key.clone();
                key = (2..).map(|n| format!("{stem}-{n}")).find(|k| !taken(k)).unwrap_or(stem);
            }
            c.authors.insert(login, (key, display));
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn people_with_one_name_get_keys_numbered_on() {
        let author = |login: &str| {
            format!(
                "<wp:author><wp:author_login>{login}</wp:author_login><wp:author_display_name>Jane Doe</wp:author_display_name></wp:author>"
            )
        };
        let xml = format!("<rss><channel>{}{}{}</channel></rss>", author("jd1"), author("jd2"), author("jd3"));
        let mut channel = super::Channel::default();
        super::Reader::new(xml.as_bytes(), "export.xml".into()).run(&mut channel, |_, _| {}).unwrap();
        let keys: Vec<&str> = ["jd1", "jd2", "jd3"].iter().map(|l| channel.authors[*l].0.as_str()).collect();
        assert_eq!(keys, ["jane-doe", "jane-doe-2", "jane-doe-3"]);
    }
}
