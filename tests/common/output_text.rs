//! Text of binary outputs for the secrecy scans: the text chunks of a PNG, and the text of a PDF
//! written by svg2pdf (subset fonts, glyph codes in compressed content streams), decompressed and
//! mapped back to characters through each font's ToUnicode map, without external tools.

use std::collections::BTreeMap;
use std::io::Read as _;

/// The text of PNG `tEXt`, `zTXt` and `iTXt` chunks, one per line.
pub fn png_text(bytes: &[u8]) -> String {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    let mut out = String::new();
    let mut at = 8;
    while at + 8 <= bytes.len() {
        let length = u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
        let kind = &bytes[at + 4..at + 8];
        let data = &bytes[at + 8..at + 8 + length];
        match kind {
            b"tEXt" | b"iTXt" => out.push_str(&String::from_utf8_lossy(data)),
            b"zTXt" => {
                let split = data.iter().position(|b| *b == 0).unwrap();
                out.push_str(&String::from_utf8_lossy(&data[..split]));
                out.push_str(&inflate(&data[split + 2..]));
            }
            _ => {}
        }
        if kind == b"iTXt" || kind == b"tEXt" || kind == b"zTXt" {
            out.push('\n');
        }
        at += 12 + length;
    }
    out
}

fn inflate(bytes: &[u8]) -> String {
    let mut out = Vec::new();
    flate2::read::ZlibDecoder::new(bytes).read_to_end(&mut out).unwrap();
    String::from_utf8_lossy(&out).into_owned()
}

/// One object of a PDF: its dictionary text and its stream, decompressed.
struct PdfObject {
    dict: String,
    stream: Option<Vec<u8>>,
}

/// The objects of a PDF by number (svg2pdf writes no object streams).
fn pdf_objects(bytes: &[u8]) -> BTreeMap<u32, PdfObject> {
    let find =
        |from: usize, needle: &[u8]| bytes[from..].windows(needle.len()).position(|w| w == needle).map(|i| i + from);
    let mut objects = BTreeMap::new();
    let mut at = 0;
    while let Some(start) = find(at, b" 0 obj") {
        let digits_start = bytes[..start].iter().rposition(|b| !b.is_ascii_digit()).map_or(0, |i| i + 1);
        let number: u32 = std::str::from_utf8(&bytes[digits_start..start]).unwrap().parse().unwrap();
        let body = start + 6;
        let end = find(body, b"endobj").unwrap();
        let stream_at = find(body, b"stream").filter(|s| *s < end);
        let dict_end = stream_at.unwrap_or(end);
        let dict = String::from_utf8_lossy(&bytes[body..dict_end]).into_owned();
        let stream = stream_at.map(|s| {
            let mut data_start = s + 6;
            if bytes[data_start] == b'\r' {
                data_start += 1;
            }
            data_start += 1;
            let data_end = find(data_start, b"endstream").unwrap();
            let raw = &bytes[data_start..data_end];
            if dict.contains("/FlateDecode") {
                let mut out = Vec::new();
                flate2::read::ZlibDecoder::new(raw).read_to_end(&mut out).unwrap();
                out
            } else {
                raw.to_vec()
            }
        });
        objects.insert(number, PdfObject { dict, stream });
        at = end;
    }
    objects
}

/// `N 0 R` after `key` in a dictionary.
fn reference_after(dict: &str, key: &str) -> Option<u32> {
    let rest = &dict[dict.find(key)? + key.len()..];
    rest.split_whitespace().next()?.parse().ok()
}

/// A ToUnicode CMap: `bfchar` pairs and `bfrange` triples, glyph code to text.
fn parse_cmap(text: &str) -> BTreeMap<u32, String> {
    let hex = |s: &str| u32::from_str_radix(s.trim_matches(|c| c == '<' || c == '>'), 16).unwrap();
    let utf16 = |s: &str| -> String {
        let s = s.trim_matches(|c| c == '<' || c == '>');
        let units: Vec<u16> =
            (0..s.len()).step_by(4).map(|i| u16::from_str_radix(&s[i..(i + 4).min(s.len())], 16).unwrap()).collect();
        String::from_utf16_lossy(&units)
    };
    let mut map = BTreeMap::new();
    for section in text.split("beginbfchar").skip(1) {
        let body = section.split("endbfchar").next().unwrap();
        let tokens: Vec<&str> = body.split_whitespace().collect();
        for pair in tokens.chunks(2) {
            map.insert(hex(pair[0]), utf16(pair[1]));
        }
    }
    for section in text.split("beginbfrange").skip(1) {
        let body = section.split("endbfrange").next().unwrap();
        let tokens: Vec<&str> = body.split_whitespace().collect();
        let mut i = 0;
        while i + 2 < tokens.len() {
            let (low, high) = (hex(tokens[i]), hex(tokens[i + 1]));
            if tokens[i + 2].starts_with('[') {
                let mut j = i + 2;
                let mut code = low;
                loop {
                    let token = tokens[j].trim_matches(|c| c == '[' || c == ']');
                    if !token.is_empty() {
                        map.insert(code, utf16(token));
                        code += 1;
                    }
                    if tokens[j].ends_with(']') {
                        break;
                    }
                    j += 1;
                }
                i = j + 1;
            } else {
                let first = utf16(tokens[i + 2]);
                let mut units: Vec<u16> = first.encode_utf16().collect();
                for code in low..=high {
                    map.insert(code, String::from_utf16_lossy(&units));
                    if let Some(last) = units.last_mut() {
                        *last += 1;
                    }
                }
                i += 3;
            }
        }
    }
    map
}

/// The text of a PDF: each content stream that names fonts is read operator by operator; the
/// glyph codes of `Tj`/`TJ` strings (two bytes each, Identity-H) go through the ToUnicode map of
/// the font chosen by `Tf`. svg2pdf places glyphs one by one (`Tm` then `Tj`): glyphs on one line
/// whose origins are closer than 0.7 em are joined, farther ones get a space, a new line a newline.
pub fn pdf_text(bytes: &[u8]) -> String {
    let objects = pdf_objects(bytes);
    let mut cmaps: BTreeMap<u32, BTreeMap<u32, String>> = BTreeMap::new();
    for (number, object) in &objects {
        if let Some(cmap) = reference_after(&object.dict, "/ToUnicode")
            && let Some(stream) = objects.get(&cmap).and_then(|o| o.stream.as_ref())
        {
            cmaps.insert(*number, parse_cmap(&String::from_utf8_lossy(stream)));
        }
    }
    let mut out = String::new();
    for object in objects.values() {
        let (Some(fonts_at), Some(stream)) = (object.dict.find("/Font"), &object.stream) else { continue };
        let fonts_dict = &object.dict[fonts_at + 5..];
        let fonts_dict = &fonts_dict[..fonts_dict.find(">>").unwrap()];
        let mut fonts: BTreeMap<String, u32> = BTreeMap::new();
        let tokens: Vec<&str> = fonts_dict.split_whitespace().collect();
        for window in tokens.windows(2) {
            if let (Some(name), Ok(number)) = (window[0].strip_prefix('/'), window[1].parse::<u32>()) {
                fonts.insert(name.to_owned(), number);
            }
        }
        read_content(stream, &fonts, &cmaps, &mut out);
        out.push('\n');
    }
    out
}

#[derive(Debug)]
enum Operand {
    Number(f64),
    Name(String),
    Text(Vec<u8>),
    Array(Vec<Operand>),
}

/// A literal string `( … )` starting at `stream[*at]`, escapes decoded; `*at` ends past it.
fn literal_string(stream: &[u8], at: &mut usize) -> Vec<u8> {
    let mut depth = 1;
    let mut text = Vec::new();
    *at += 1;
    while *at < stream.len() {
        let byte = stream[*at];
        match byte {
            b'\\' => {
                *at += 1;
                let escaped = stream[*at];
                if escaped.is_ascii_digit() {
                    let mut value = 0u32;
                    let mut digits = 0;
                    while digits < 3 && *at < stream.len() && (b'0'..=b'7').contains(&stream[*at]) {
                        value = value * 8 + u32::from(stream[*at] - b'0');
                        *at += 1;
                        digits += 1;
                    }
                    text.push(u8::try_from(value & 0xff).unwrap());
                    continue;
                }
                text.push(match escaped {
                    b'n' => b'\n',
                    b'r' => b'\r',
                    b't' => b'\t',
                    b'b' => 8,
                    b'f' => 12,
                    other => other,
                });
            }
            b'(' => {
                depth += 1;
                text.push(byte);
            }
            b')' => {
                depth -= 1;
                if depth == 0 {
                    *at += 1;
                    return text;
                }
                text.push(byte);
            }
            _ => text.push(byte),
        }
        *at += 1;
    }
    text
}

/// The characters a text-showing operator draws: its strings (two-byte glyph codes) through the
/// font's ToUnicode map; a large negative kerning in a `TJ` array is a space.
fn shown_text(operands: &[Operand], cmap: Option<&BTreeMap<u32, String>>) -> String {
    let mut strings: Vec<&[u8]> = Vec::new();
    for operand in operands {
        match operand {
            Operand::Text(text) => strings.push(text),
            Operand::Array(items) => {
                for item in items {
                    match item {
                        Operand::Text(text) => strings.push(text),
                        Operand::Number(n) if *n < -200.0 => strings.push(b" "),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    let mut glyphs = String::new();
    for text in strings {
        if text == b" " {
            glyphs.push(' ');
            continue;
        }
        for pair in text.chunks(2) {
            let code = pair.iter().fold(0u32, |acc, b| acc * 256 + u32::from(*b));
            glyphs.push_str(cmap.and_then(|m| m.get(&code)).map_or("\u{fffd}", String::as_str));
        }
    }
    glyphs
}

/// Where the text state is: font (object number), size, origin of the next glyphs, and the origin
/// and size of the last glyphs written.
#[derive(Default)]
struct TextState {
    font: Option<u32>,
    size: f64,
    origin: (f64, f64),
    last: Option<(f64, f64, f64)>,
}

impl TextState {
    /// Writes drawn text: a newline for a new line, a space for a gap over 0.7 em.
    fn write(&mut self, glyphs: &str, out: &mut String) {
        let (x, y) = self.origin;
        match self.last {
            Some((_, last_y, _)) if (last_y - y).abs() > 0.01 => out.push('\n'),
            Some((last_x, _, last_size)) if x < last_x || x - last_x > 0.7 * last_size => out.push(' '),
            None => out.push('\n'),
            _ => {}
        }
        out.push_str(glyphs);
        self.last = Some((x, y, self.size));
    }
}

fn read_content(
    stream: &[u8],
    fonts: &BTreeMap<String, u32>,
    cmaps: &BTreeMap<u32, BTreeMap<u32, String>>,
    out: &mut String,
) {
    let mut operands: Vec<Operand> = Vec::new();
    let mut arrays: Vec<Vec<Operand>> = Vec::new();
    let mut state = TextState { size: 1.0, ..TextState::default() };
    let mut at = 0;
    let push = |operand: Operand, operands: &mut Vec<Operand>, arrays: &mut Vec<Vec<Operand>>| match arrays.last_mut() {
        Some(array) => array.push(operand),
        None => operands.push(operand),
    };
    let token_end = |from: usize, stops: &[u8]| {
        stream[from..]
            .iter()
            .position(|b| b.is_ascii_whitespace() || stops.contains(b))
            .map_or(stream.len(), |p| p + from)
    };
    while at < stream.len() {
        match stream[at] {
            b'(' => push(Operand::Text(literal_string(stream, &mut at)), &mut operands, &mut arrays),
            b'<' | b'>' if stream.get(at + 1) == Some(&stream[at]) => at += 2,
            b'<' => {
                let end = at + stream[at..].iter().position(|b| *b == b'>').unwrap();
                let hex: String = String::from_utf8_lossy(&stream[at + 1..end]).split_whitespace().collect();
                let text = (0..hex.len()).step_by(2).map(|k| u8::from_str_radix(&hex[k..k + 2], 16).unwrap()).collect();
                push(Operand::Text(text), &mut operands, &mut arrays);
                at = end + 1;
            }
            b'[' => {
                arrays.push(Vec::new());
                at += 1;
            }
            b']' => {
                let array = arrays.pop().unwrap();
                push(Operand::Array(array), &mut operands, &mut arrays);
                at += 1;
            }
            b'/' => {
                let end = token_end(at + 1, b"/[]()<>");
                push(
                    Operand::Name(String::from_utf8_lossy(&stream[at + 1..end]).into_owned()),
                    &mut operands,
                    &mut arrays,
                );
                at = end;
            }
            b'%' => at = token_end(at, b"\n"),
            byte if byte.is_ascii_whitespace() => at += 1,
            _ => {
                let end = token_end(at, b"/[]()<>%");
                let token = String::from_utf8_lossy(&stream[at..end]).into_owned();
                at = end;
                if let Ok(number) = token.parse::<f64>() {
                    push(Operand::Number(number), &mut operands, &mut arrays);
                    continue;
                }
                let numbers: Vec<f64> =
                    operands.iter().filter_map(|o| if let Operand::Number(n) = o { Some(*n) } else { None }).collect();
                match token.as_str() {
                    "Tf" => {
                        state.font = operands
                            .iter()
                            .find_map(|o| if let Operand::Name(n) = o { fonts.get(n).copied() } else { None });
                        state.size = numbers.last().copied().unwrap_or(1.0).abs().max(1e-6);
                    }
                    "Tm" if numbers.len() >= 6 => state.origin = (numbers[4], numbers[5]),
                    "Td" | "TD" if numbers.len() >= 2 => {
                        state.origin = (state.origin.0 + numbers[0], state.origin.1 + numbers[1]);
                    }
                    "Tj" | "'" | "\"" | "TJ" => {
                        let glyphs = shown_text(&operands, state.font.and_then(|f| cmaps.get(&f)));
                        state.write(&glyphs, out);
                    }
                    "BT" => state.origin = (0.0, 0.0),
                    _ => {}
                }
                operands.clear();
            }
        }
    }
}
