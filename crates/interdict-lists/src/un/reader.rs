//! The streaming half: XML events into one small element tree per record.
//!
//! Only a record (an `INDIVIDUAL` or `ENTITY`) is ever held as a tree, and its names and
//! text borrow from the input wherever no unescaping was needed, so reading costs little
//! more than quick-xml's own pass.

use std::borrow::Cow;
use std::cell::Cell;

use quick_xml::Reader;
use quick_xml::escape::unescape;
use quick_xml::events::{BytesCData, BytesDecl, BytesStart, BytesText, Event};

use crate::error::{ListError, Location};

/// Records sit three levels below the root; anything nested this deep is not a UN list
/// and could only be an attempt to exhaust memory or stack.
pub(super) const MAX_DEPTH: usize = 32;

const ROOT: &str = "CONSOLIDATED_LIST";

/// The two kinds of record the list holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Individual,
    Entity,
}

impl Kind {
    /// The record's element name.
    pub(super) fn tag(self) -> &'static str {
        match self {
            Kind::Individual => "INDIVIDUAL",
            Kind::Entity => "ENTITY",
        }
    }

    /// The FtM schema of the party a record describes.
    pub(super) fn schema(self) -> &'static str {
        match self {
            Kind::Individual => "Person",
            Kind::Entity => "Organization",
        }
    }

    fn of(list: &str, tag: &str) -> Option<Kind> {
        match (list, tag) {
            ("INDIVIDUALS", "INDIVIDUAL") => Some(Kind::Individual),
            ("ENTITIES", "ENTITY") => Some(Kind::Entity),
            _ => None,
        }
    }
}

/// One element of a record as stored: the record's elements sit in one buffer in
/// document order, each subtree contiguous, so a record costs no allocation per element.
#[derive(Debug)]
struct Node<'a> {
    name: Cow<'a, str>,
    /// Byte offset of the start tag in the input.
    pos: usize,
    /// The element's own text, unescaped and untrimmed.
    text: Cow<'a, str>,
    /// Index one past the element's last descendant.
    end: usize,
}

impl<'a> Node<'a> {
    fn push_text(&mut self, text: Cow<'a, str>) {
        if self.text.is_empty() {
            self.text = text;
        } else {
            self.text.to_mut().push_str(&text);
        }
    }
}

/// One element of a record: its name, where it starts, its text and its children.
#[derive(Debug, Clone, Copy)]
pub(super) struct Element<'r> {
    nodes: &'r [Node<'r>],
    index: usize,
}

impl<'r> Element<'r> {
    fn node(self) -> &'r Node<'r> {
        &self.nodes[self.index]
    }

    pub(super) fn name(self) -> &'r str {
        &self.node().name
    }

    /// Byte offset of the start tag in the input.
    pub(super) fn pos(self) -> usize {
        self.node().pos
    }

    /// The element's own text, trimmed.
    pub(super) fn value(self) -> &'r str {
        self.node().text.trim()
    }

    /// The child elements in document order.
    pub(super) fn children(self) -> impl Iterator<Item = Element<'r>> {
        let end = self.node().end;
        let nodes = self.nodes;
        let mut next = self.index + 1;
        std::iter::from_fn(move || {
            let index = next;
            (index < end).then(|| {
                next = nodes[index].end;
                Element { nodes, index }
            })
        })
    }

    /// The first child named `name` whose text is not blank.
    pub(super) fn field(self, name: &str) -> Option<Element<'r>> {
        self.children()
            .find(|c| c.name() == name && !c.value().is_empty())
    }

    /// The trimmed text of the first non-blank child named `name`, or "".
    pub(super) fn text_of(self, name: &str) -> &'r str {
        self.field(name).map_or("", Element::value)
    }

    /// Whether neither the element nor any descendant holds text.
    pub(super) fn is_blank(self) -> bool {
        let end = self.node().end;
        self.nodes[self.index..end]
            .iter()
            .all(|n| n.text.trim().is_empty())
    }
}

/// One `INDIVIDUAL` or `ENTITY` element, read whole.
#[derive(Debug, Clone, Copy)]
pub(super) struct Record<'r> {
    pub(super) kind: Kind,
    /// 1-based position among the records of its kind, as in `INDIVIDUAL[12]`.
    pub(super) index: usize,
    nodes: &'r [Node<'r>],
    lines: &'r LineCounter<'r>,
}

impl<'r> Record<'r> {
    /// The record's own element.
    pub(super) fn root(self) -> Element<'r> {
        Element {
            nodes: self.nodes,
            index: 0,
        }
    }

    /// The record's name in element paths, e.g. `INDIVIDUAL[12]`.
    pub(super) fn label(self) -> String {
        format!("{}[{}]", self.kind.tag(), self.index)
    }

    /// The 1-based line of a byte offset in the input (of the record, usually).
    pub(super) fn line_of(self, pos: usize) -> u64 {
        self.lines.line_at(pos)
    }
}

/// Reads a `CONSOLIDATED_LIST` document one record at a time.
pub(super) struct ListReader<'a> {
    file: &'a str,
    src: &'a str,
    xml: Reader<&'a [u8]>,
    /// Open elements above the current record (root, list wrapper).
    open: Vec<Cow<'a, str>>,
    /// The elements of the current record read so far, in document order.
    nodes: Vec<Node<'a>>,
    /// Indices into `nodes` of the record's open elements, outermost first.
    record: Vec<usize>,
    /// Whether `nodes` holds a record already handed out, to be cleared before the next.
    handed_out: bool,
    kind: Kind,
    counts: [usize; 2],
    root_seen: bool,
    root_closed: bool,
    date_generated: Option<String>,
    lines: LineCounter<'a>,
}

impl<'a> ListReader<'a> {
    pub(super) fn new(file: &'a str, src: &'a str) -> Self {
        ListReader {
            file,
            src,
            xml: Reader::from_str(src),
            open: Vec::new(),
            nodes: Vec::new(),
            record: Vec::new(),
            handed_out: false,
            kind: Kind::Individual,
            counts: [0; 2],
            root_seen: false,
            root_closed: false,
            date_generated: None,
            lines: LineCounter::new(src.as_bytes()),
        }
    }

    /// The root's `dateGenerated` attribute as written, once the root has been read.
    pub(super) fn date_generated(&self) -> Option<&str> {
        self.date_generated.as_deref()
    }

    /// The next record, or `None` at the end of a well-formed document.
    pub(super) fn next_record(&mut self) -> Result<Option<Record<'_>>, ListError> {
        if std::mem::take(&mut self.handed_out) {
            self.nodes.clear();
        }
        loop {
            let before = self.xml.buffer_position() as usize;
            let event = match self.xml.read_event() {
                Ok(event) => event,
                Err(e) => {
                    let pos = self.xml.error_position() as usize;
                    return Err(self.malformed(pos, None, format!("invalid XML: {e}")));
                }
            };
            let complete = match event {
                Event::Start(e) => self.start(&e, before).map(|()| false)?,
                Event::Empty(e) => {
                    self.start(&e, before)?;
                    self.end()
                }
                Event::End(_) => self.end(),
                Event::Text(t) => self.text(&t, before).map(|()| false)?,
                Event::CData(c) => self.cdata(c, before).map(|()| false)?,
                Event::DocType(d) => self.doctype(&d, before).map(|()| false)?,
                Event::Decl(d) => self.decl(&d, before).map(|()| false)?,
                Event::Comment(_) | Event::PI(_) => false,
                Event::Eof => return self.eof().map(|()| None),
            };
            if complete {
                self.handed_out = true;
                return Ok(Some(Record {
                    kind: self.kind,
                    index: self.counts[self.kind as usize],
                    nodes: &self.nodes,
                    lines: &self.lines,
                }));
            }
        }
    }

    fn start(&mut self, e: &BytesStart<'a>, pos: usize) -> Result<(), ListError> {
        let name = in_src(self.src, e.name().as_ref());
        if self.open.len() + self.record.len() >= MAX_DEPTH {
            let msg = format!("elements nested deeper than {MAX_DEPTH} levels");
            return Err(self.malformed(pos, Some(&name), msg));
        }
        self.check_attributes(e, pos, &name)?;
        if self.root_closed {
            let msg = "element after the end of the root element";
            return Err(self.malformed(pos, Some(&name), msg.into()));
        }
        if !self.root_seen {
            return self.root(e, pos, name);
        }
        if !self.record.is_empty() {
            self.push_node(name, pos);
        } else if let Some(kind) = self.record_kind(&name) {
            self.counts[kind as usize] += 1;
            self.kind = kind;
            self.push_node(name, pos);
        } else {
            self.open.push(name);
        }
        Ok(())
    }

    fn record_kind(&self, name: &str) -> Option<Kind> {
        match &self.open[..] {
            [_, list] => Kind::of(list, name),
            _ => None,
        }
    }

    fn root(
        &mut self,
        e: &BytesStart<'a>,
        pos: usize,
        name: Cow<'a, str>,
    ) -> Result<(), ListError> {
        if name != ROOT {
            let msg = format!("root element is {name}, expected {ROOT}");
            return Err(self.malformed(pos, Some(&name), msg));
        }
        let value = match e.try_get_attribute("dateGenerated") {
            Ok(Some(attr)) => attr.unescape_value().map(Some),
            Ok(None) => Ok(None),
            Err(err) => Err(err.into()),
        };
        match value {
            Ok(value) => self.date_generated = value.map(Cow::into_owned),
            Err(err) => {
                return Err(self.malformed(pos, Some(&name), format!("invalid XML: {err}")));
            }
        }
        self.root_seen = true;
        self.open.push(name);
        Ok(())
    }

    /// quick-xml parses attributes lazily; walking them is what finds a broken one.
    fn check_attributes(
        &self,
        e: &BytesStart<'a>,
        pos: usize,
        name: &str,
    ) -> Result<(), ListError> {
        match e.attributes().find_map(Result::err) {
            Some(err) => Err(self.malformed(pos, Some(name), format!("invalid XML: {err}"))),
            None => Ok(()),
        }
    }

    fn push_node(&mut self, name: Cow<'a, str>, pos: usize) {
        self.record.push(self.nodes.len());
        self.nodes.push(Node {
            name,
            pos,
            text: Cow::Borrowed(""),
            end: 0,
        });
    }

    /// Closes the innermost open element; says whether that completes a record.
    fn end(&mut self) -> bool {
        let Some(index) = self.record.pop() else {
            self.open.pop();
            self.root_closed = self.open.is_empty();
            return false;
        };
        self.nodes[index].end = self.nodes.len();
        self.record.is_empty()
    }

    fn text(&mut self, t: &BytesText<'a>, pos: usize) -> Result<(), ListError> {
        let raw = in_src(self.src, &t[..]);
        if raw.bytes().all(|b| b.is_ascii_whitespace()) {
            return Ok(());
        }
        if !self.root_seen || self.root_closed {
            return Err(self.malformed(pos, None, "text outside the root element".into()));
        }
        let text = match raw {
            Cow::Borrowed(s) if !s.contains('&') => Cow::Borrowed(s),
            _ => match unescape(&raw) {
                Ok(text) => Cow::Owned(text.into_owned()),
                Err(e) => return Err(self.malformed(pos, None, format!("invalid XML: {e}"))),
            },
        };
        if let Some(&index) = self.record.last() {
            self.nodes[index].push_text(text);
        }
        Ok(())
    }

    fn cdata(&mut self, c: BytesCData<'a>, pos: usize) -> Result<(), ListError> {
        let text = match c.decode() {
            Ok(text) => text,
            Err(e) => return Err(self.malformed(pos, None, format!("invalid XML: {e}"))),
        };
        if let Some(&index) = self.record.last() {
            self.nodes[index].push_text(text);
        }
        Ok(())
    }

    /// Entity declarations are refused outright: quick-xml would not expand them anyway,
    /// and a list that needs them is either not the UN's or an expansion attack.
    fn doctype(&self, d: &BytesText<'a>, pos: usize) -> Result<(), ListError> {
        if d.windows(8).any(|w| w == b"<!ENTITY") {
            let msg = "DOCTYPE with entity declarations is not supported";
            return Err(self.malformed(pos, Some("!DOCTYPE"), msg.into()));
        }
        Ok(())
    }

    /// The input was checked as UTF-8; a document declaring another encoding was
    /// mislabelled somewhere, and its text would not mean what it says.
    fn decl(&self, d: &BytesDecl<'a>, pos: usize) -> Result<(), ListError> {
        let Some(Ok(encoding)) = d.encoding() else {
            return Ok(());
        };
        if encoding.eq_ignore_ascii_case(b"utf-8") || encoding.eq_ignore_ascii_case(b"utf8") {
            return Ok(());
        }
        let msg = format!(
            "encoding {} is not supported, expected UTF-8",
            String::from_utf8_lossy(&encoding)
        );
        Err(self.malformed(pos, Some("?xml"), msg))
    }

    fn eof(&mut self) -> Result<(), ListError> {
        let end = self.src.len();
        if !self.root_seen {
            let msg = format!("no {ROOT} element");
            return Err(self.malformed(end, None, msg));
        }
        if self.record.is_empty() && self.open.is_empty() {
            return Ok(());
        }
        let msg = "file ends inside an element (truncated?)".to_string();
        Err(self.malformed(end, None, msg))
    }

    fn malformed(&self, pos: usize, next: Option<&str>, message: String) -> ListError {
        let line = self.lines.line_at(pos);
        let mut location = Location::file(self.file).line(line);
        let path = self.path(next);
        if !path.is_empty() {
            location = location.record(path);
        }
        ListError::malformed(location, message)
    }

    /// Where the reader is, e.g. `INDIVIDUAL[12]/INDIVIDUAL_ALIAS/ALIAS_NAME`; outside a
    /// record, the path from the root.
    fn path(&self, next: Option<&str>) -> String {
        let mut parts: Vec<String> = match self.record.split_first() {
            Some((_, inner)) => {
                let label = format!("{}[{}]", self.kind.tag(), self.counts[self.kind as usize]);
                std::iter::once(label)
                    .chain(inner.iter().map(|&i| self.nodes[i].name.to_string()))
                    .collect()
            }
            None => self.open.iter().map(|n| n.to_string()).collect(),
        };
        parts.extend(next.map(str::to_string));
        parts.join("/")
    }
}

/// Bytes of an event as a slice of the input where possible.
///
/// quick-xml's slice reader hands out names and text that point into `src`, but typed
/// with the event's shorter lifetime; finding the same bytes in `src` gives them the
/// input's lifetime and saves an allocation and a UTF-8 check per element. Anything else
/// is copied.
fn in_src<'a>(src: &'a str, raw: &[u8]) -> Cow<'a, str> {
    let offset = (raw.as_ptr() as usize).wrapping_sub(src.as_ptr() as usize);
    match src.get(offset..offset.wrapping_add(raw.len())) {
        Some(found) if found.as_ptr() == raw.as_ptr() => Cow::Borrowed(found),
        _ => Cow::Owned(String::from_utf8_lossy(raw).into_owned()),
    }
}

fn newlines(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| b == b'\n').count() as u64
}

/// Line numbers for byte offsets, counted only when asked for (they are needed for
/// errors and warnings alone) and incrementally, since offsets asked for mostly grow.
#[derive(Debug)]
struct LineCounter<'a> {
    bytes: &'a [u8],
    /// The offset and line of the last answer.
    last: Cell<(usize, u64)>,
}

impl<'a> LineCounter<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        LineCounter {
            bytes,
            last: Cell::new((0, 1)),
        }
    }

    fn line_at(&self, pos: usize) -> u64 {
        let pos = pos.min(self.bytes.len());
        let (mut from, mut line) = self.last.get();
        if pos < from {
            (from, line) = (0, 1);
        }
        line += newlines(&self.bytes[from..pos]);
        self.last.set((pos, line));
        line
    }
}
