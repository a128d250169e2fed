//! The small layout kit the documents share: the bundled fonts, A4 pages with
//! margins, and paragraphs broken into lines that fit the text column.

use printpdf::{FontId, Mm, Op, ParsedFont, PdfDocument, PdfFontHandle, Point, Pt, TextItem};

use crate::{LettersError, Result};

/// A4 in millimetres.
pub(crate) const PAGE_WIDTH: f32 = 210.0;
pub(crate) const PAGE_HEIGHT: f32 = 297.0;
/// The left and right margin.
pub(crate) const MARGIN: f32 = 25.0;

static SERIF: &[u8] = include_bytes!("../../../fonts/LiberationSerif-Regular.ttf");
static SERIF_BOLD: &[u8] = include_bytes!("../../../fonts/LiberationSerif-Bold.ttf");
static MONO: &[u8] = include_bytes!("../../../fonts/LiberationMono-Regular.ttf");

/// The fonts added to one document.
pub(crate) struct Fonts {
    pub(crate) serif: FontId,
    pub(crate) bold: FontId,
    pub(crate) mono: FontId,
}

impl Fonts {
    pub(crate) fn add_to(document: &mut PdfDocument) -> Result<Fonts> {
        let mut add = |bytes: &'static [u8], name: &'static str| {
            let font = ParsedFont::from_bytes(bytes, 0, &mut Vec::new()).ok_or(LettersError::Font(name))?;
            Ok::<_, LettersError>(document.add_font(&font))
        };
        Ok(Fonts {
            serif: add(SERIF, "LiberationSerif-Regular.ttf")?,
            bold: add(SERIF_BOLD, "LiberationSerif-Bold.ttf")?,
            mono: add(MONO, "LiberationMono-Regular.ttf")?,
        })
    }
}

/// Writes lines of text downwards from `top` (mm from the page's bottom edge),
/// returning the position below the last line.
pub(crate) struct Column<'a> {
    pub(crate) ops: &'a mut Vec<Op>,
    pub(crate) y: f32,
}

impl Column<'_> {
    /// One line in `font` at `size` points.
    pub(crate) fn line(&mut self, font: &FontId, size: f32, text: &str) {
        self.y -= size * 0.3528 * 1.35;
        self.ops.extend([
            Op::StartTextSection,
            Op::SetFont { font: PdfFontHandle::External(font.clone()), size: Pt(size) },
            Op::SetTextCursor { pos: Point { x: Mm(MARGIN).into(), y: Mm(self.y).into() } },
            Op::ShowText { items: vec![TextItem::Text(text.to_owned())] },
            Op::EndTextSection,
        ]);
    }

    /// A paragraph, broken into lines of at most `chars` characters at spaces.
    pub(crate) fn paragraph(&mut self, font: &FontId, size: f32, chars: usize, text: &str) {
        for line in wrap(text, chars) {
            self.line(font, size, &line);
        }
    }

    /// Vertical space in millimetres.
    pub(crate) fn space(&mut self, mm: f32) {
        self.y -= mm;
    }
}

/// Breaks `text` into lines of at most `width` characters, at spaces; a word
/// longer than a line gets a line of its own. Characters, not bytes: Kazakh letters
/// are two bytes in UTF-8 and one character on paper.
pub(crate) fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let needed = current.chars().count() + usize::from(!current.is_empty()) + word.chars().count();
        if !current.is_empty() && needed > width {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_break_at_spaces_counting_characters_not_bytes() {
        assert_eq!(wrap("бұл парақты емхана сейфінде сақтаңыз", 17), ["бұл парақты", "емхана сейфінде", "сақтаңыз"]);
        assert_eq!(wrap("a verylongwordthatdoesnotfit b", 10), ["a", "verylongwordthatdoesnotfit", "b"]);
        assert_eq!(wrap("  ", 10), Vec::<String>::new());
    }
}
