//! Integration tests: golden XML for both formats, validation paths, parsing the output back,
//! and hostile text.

mod hostile;
mod parse_back;
mod snapshot;
mod validation;

use interdict_report::Report;

/// The structuring case: a money services business customer whose owner deposits cash under
/// $10,000 at three branches on three days.
pub fn structuring() -> Report {
    serde_json::from_str(include_str!("structuring.json")).expect("fixture parses")
}

/// Every text node of a document with the path of elements leading to it, in document order,
/// and every start tag with its attributes, read back with quick-xml's reader.
#[derive(Debug, Default)]
pub struct Parsed {
    pub texts: Vec<(String, String)>,
    pub elements: Vec<(String, Vec<(String, String)>)>,
}

impl Parsed {
    pub fn read(xml: &str) -> Parsed {
        use quick_xml::events::Event;
        let mut reader = quick_xml::Reader::from_str(xml);
        reader.config_mut().trim_text(true);
        let mut out = Parsed::default();
        let mut stack: Vec<String> = Vec::new();
        loop {
            match reader.read_event().expect("well-formed xml") {
                Event::Start(e) => {
                    let name = String::from_utf8(e.name().as_ref().to_vec()).expect("utf-8");
                    let attrs = e
                        .attributes()
                        .map(|a| {
                            let a = a.expect("attribute");
                            let key = String::from_utf8(a.key.as_ref().to_vec()).expect("utf-8");
                            (key, a.unescape_value().expect("value").into_owned())
                        })
                        .collect();
                    out.elements.push((name.clone(), attrs));
                    stack.push(name);
                }
                Event::End(_) => {
                    stack.pop();
                }
                Event::Text(t) => {
                    let text = t.unescape().expect("text").into_owned();
                    out.texts.push((stack.join("/"), text));
                }
                Event::Eof => break,
                _ => {}
            }
        }
        out
    }

    /// The texts of every element whose path ends with `suffix`.
    pub fn values(&self, suffix: &str) -> Vec<&str> {
        self.texts
            .iter()
            .filter(|(path, _)| path.ends_with(suffix))
            .map(|(_, text)| text.as_str())
            .collect()
    }

    pub fn count(&self, name: &str) -> usize {
        self.elements.iter().filter(|(n, _)| n == name).count()
    }

    pub fn attr(&self, element: &str, key: &str) -> Option<&str> {
        self.elements
            .iter()
            .find(|(n, _)| n == element)
            .and_then(|(_, attrs)| attrs.iter().find(|(k, _)| k == key))
            .map(|(_, v)| v.as_str())
    }
}
