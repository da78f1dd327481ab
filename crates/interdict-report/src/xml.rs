//! A thin layer over quick-xml's writer: open, close, and leaf elements whose text quick-xml
//! escapes. Output is indented by two spaces and has no trailing newline, so the same report
//! always gives the same bytes.

use std::io;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use thiserror::Error;

use crate::validate::ValidationErrors;

/// Why a report could not be rendered.
#[derive(Debug, Error)]
pub enum RenderError {
    /// The report failed validation; nothing was written.
    #[error("invalid report: {0}")]
    Invalid(#[from] ValidationErrors),
    /// The XML writer failed (it writes to memory, so this is not expected).
    #[error("writing xml: {0}")]
    Write(#[from] io::Error),
}

pub(crate) struct XmlOut {
    writer: Writer<Vec<u8>>,
}

impl XmlOut {
    pub(crate) fn new() -> io::Result<Self> {
        let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
        writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        Ok(Self { writer })
    }

    pub(crate) fn open(&mut self, name: &str, attrs: &[(&str, &str)]) -> io::Result<()> {
        let mut start = BytesStart::new(name);
        for attr in attrs {
            start.push_attribute(*attr);
        }
        self.writer.write_event(Event::Start(start))
    }

    pub(crate) fn close(&mut self, name: &str) -> io::Result<()> {
        self.writer.write_event(Event::End(BytesEnd::new(name)))
    }

    pub(crate) fn leaf(&mut self, name: &str, text: &str) -> io::Result<()> {
        self.writer
            .create_element(name)
            .write_text_content(BytesText::new(text))?;
        Ok(())
    }

    pub(crate) fn finish(self) -> io::Result<String> {
        String::from_utf8(self.writer.into_inner())
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
    }
}
