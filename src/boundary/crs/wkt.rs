//! A parser of WKT text (the `.prj` of a Shapefile, the definition of a GeoPackage's spatial reference
//! system) into a tree of `KEYWORD[values]` nodes, with bounded depth and length so that hostile text cannot
//! exhaust the stack. It knows no CRS: [`super::proj4`] reads the tree.

use super::CrsError;

/// Deepest nesting accepted in WKT: real WKT1 stops at four or five levels, and the bound keeps hostile input
/// from exhausting the stack, since the parser is recursive.
pub(super) const MAX_WKT_DEPTH: usize = 16;
/// Longest WKT accepted. A `.prj` is a few hundred bytes; the bound only stops the parser from being fed a whole
/// unrelated file.
pub(super) const MAX_WKT_LEN: usize = 1 << 20;

/// One value inside a WKT `KEYWORD[...]`.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum WktValue {
    Node(WktNode),
    Text(String),
    Number(f64),
    /// A bare word such as the `EAST` of `AXIS["X",EAST]`.
    Word(String),
}

/// A WKT `KEYWORD[value, ...]`.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct WktNode {
    pub(super) keyword: String,
    pub(super) values: Vec<WktValue>,
}

impl WktNode {
    pub(super) fn is(&self, keyword: &str) -> bool {
        self.keyword.eq_ignore_ascii_case(keyword)
    }

    pub(super) fn children<'a>(&'a self, keyword: &'a str) -> impl Iterator<Item = &'a WktNode> + 'a {
        self.values.iter().filter_map(move |v| match v {
            WktValue::Node(n) if n.is(keyword) => Some(n),
            _ => None,
        })
    }

    pub(super) fn child(&self, keyword: &str) -> Option<&WktNode> {
        self.values.iter().find_map(|v| match v {
            WktValue::Node(n) if n.is(keyword) => Some(n),
            _ => None,
        })
    }

    /// The quoted name that opens most WKT nodes.
    pub(super) fn name(&self) -> Option<&str> {
        match self.values.first() {
            Some(WktValue::Text(s)) => Some(s),
            _ => None,
        }
    }

    pub(super) fn number(&self, index: usize) -> Option<f64> {
        match self.values.get(index) {
            Some(WktValue::Number(v)) => Some(*v),
            _ => None,
        }
    }

    /// A value that producers write either quoted or not, such as an authority code.
    pub(super) fn text_or_number(&self, index: usize) -> Option<String> {
        match self.values.get(index) {
            Some(WktValue::Text(s)) => Some(s.trim().to_owned()),
            Some(WktValue::Number(v)) => Some(v.to_string()),
            _ => None,
        }
    }

    /// The EPSG code of an `AUTHORITY["EPSG","2154"]` (WKT1) or `ID["EPSG",2154]` (WKT2) child.
    pub(super) fn epsg_code(&self) -> Option<u32> {
        self.children("AUTHORITY")
            .chain(self.children("ID"))
            .filter(|a| a.name().is_some_and(|n| n.trim().eq_ignore_ascii_case("EPSG")))
            .find_map(|a| a.text_or_number(1)?.parse().ok())
    }
}

pub(super) fn parse_wkt(text: &str) -> Result<WktNode, CrsError> {
    if text.len() > MAX_WKT_LEN {
        return Err(CrsError::MalformedWkt {
            offset: MAX_WKT_LEN,
            reason: "texte bien trop long pour une définition de système de coordonnées".to_owned(),
        });
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut parser = WktParser { text, pos: 0 };
    let node = parser.node(0)?;
    parser.skip_blank();
    if parser.pos < text.len() {
        return Err(parser.error("texte inattendu après le crochet fermant"));
    }
    Ok(node)
}

/// A recursive-descent parser over the WKT grammar: `KEYWORD[...]` or `KEYWORD(...)` holding comma-separated
/// quoted strings (`""` escapes a quote), numbers, bare words and nested nodes.
struct WktParser<'a> {
    text: &'a str,
    /// Byte offset; it only ever stops on ASCII bytes, so it is always a char boundary.
    pos: usize,
}

impl WktParser<'_> {
    fn error(&self, reason: impl Into<String>) -> CrsError {
        CrsError::MalformedWkt { offset: self.pos, reason: reason.into() }
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    /// Whitespace, and the NUL padding some tools leave at the end of a `.prj`.
    fn skip_blank(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace() || b == 0) {
            self.pos += 1;
        }
    }

    fn identifier(&mut self) -> Option<String> {
        let start = self.pos;
        if !self.peek().is_some_and(|b| b.is_ascii_alphabetic()) {
            return None;
        }
        while self.peek().is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_') {
            self.pos += 1;
        }
        Some(self.text[start..self.pos].to_owned())
    }

    fn node(&mut self, depth: usize) -> Result<WktNode, CrsError> {
        if depth > MAX_WKT_DEPTH {
            return Err(self.error("crochets imbriqués trop profondément"));
        }
        self.skip_blank();
        let keyword = self.identifier().ok_or_else(|| self.error("mot-clé attendu, tel que PROJCS ou GEOGCS"))?;
        self.skip_blank();
        let close = match self.peek() {
            Some(b'[') => b']',
            Some(b'(') => b')',
            _ => return Err(self.error(format!("« [ » attendu après {keyword}"))),
        };
        self.pos += 1;
        let mut values = Vec::new();
        self.skip_blank();
        if self.peek() == Some(close) {
            self.pos += 1;
            return Ok(WktNode { keyword, values });
        }
        loop {
            values.push(self.value(depth)?);
            self.skip_blank();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b) if b == close => {
                    self.pos += 1;
                    return Ok(WktNode { keyword, values });
                }
                Some(_) => {
                    return Err(self.error(format!("« , » ou « {} » attendu dans {keyword}", char::from(close))));
                }
                None => return Err(self.error(format!("{keyword} n'est pas fermé"))),
            }
        }
    }

    fn value(&mut self, depth: usize) -> Result<WktValue, CrsError> {
        self.skip_blank();
        match self.peek() {
            Some(b'"') => self.string().map(WktValue::Text),
            Some(b'0'..=b'9' | b'-' | b'+' | b'.') => self.number().map(WktValue::Number),
            Some(b) if b.is_ascii_alphabetic() => {
                let start = self.pos;
                let word = self.identifier().unwrap_or_default();
                self.skip_blank();
                if matches!(self.peek(), Some(b'[' | b'(')) {
                    self.pos = start;
                    self.node(depth + 1).map(WktValue::Node)
                } else {
                    Ok(WktValue::Word(word))
                }
            }
            Some(_) => Err(self.error("caractère inattendu")),
            None => Err(self.error("le texte s'arrête au milieu d'une définition")),
        }
    }

    fn string(&mut self) -> Result<String, CrsError> {
        let open = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let rest = &self.text[self.pos..];
            let Some(end) = rest.find('"') else {
                self.pos = open;
                return Err(self.error("chaîne entre guillemets non fermée"));
            };
            out.push_str(&rest[..end]);
            self.pos += end + 1;
            if self.peek() == Some(b'"') {
                out.push('"');
                self.pos += 1;
            } else {
                return Ok(out);
            }
        }
    }

    pub(super) fn number(&mut self) -> Result<f64, CrsError> {
        let start = self.pos;
        while matches!(self.peek(), Some(b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')) {
            self.pos += 1;
        }
        let literal = &self.text[start..self.pos];
        literal.parse::<f64>().ok().filter(|v| v.is_finite()).ok_or_else(|| CrsError::MalformedWkt {
            offset: start,
            reason: format!("« {literal} » n'est pas un nombre"),
        })
    }
}
