//! The small layout kit the documents share: the bundled fonts, A4 pages with
//! margins, and paragraphs broken into lines that fit the text column.

use printpdf::{FontId, Mm, Op, ParsedFont, PdfDocument, PdfFontHandle, PdfPage, Point, Pt, TextItem};

use std::collections::BTreeSet;
use std::sync::LazyLock;

use crate::{LettersError, Result};

/// A4 in millimetres.
pub(crate) const PAGE_WIDTH: f32 = 210.0;
pub(crate) const PAGE_HEIGHT: f32 = 297.0;
/// The left and right margin.
pub(crate) const MARGIN: f32 = 25.0;

static SERIF: &[u8] = include_bytes!("../../../fonts/LiberationSerif-Regular.ttf");
static SERIF_BOLD: &[u8] = include_bytes!("../../../fonts/LiberationSerif-Bold.ttf");
static MONO: &[u8] = include_bytes!("../../../fonts/LiberationMono-Regular.ttf");

/// The fonts added to one document, and the serif's measurements.
pub(crate) struct Fonts {
    pub(crate) serif: FontId,
    pub(crate) bold: FontId,
    pub(crate) mono: FontId,
    pub(crate) metrics: &'static Metrics,
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
            metrics: Metrics::get()?,
        })
    }
}

/// Glyph widths of the regular and bold serif, read from the same font files the
/// PDF embeds: to centre and right-align short texts, to break lines by width, and
/// to find characters the fonts cannot print.
pub(crate) struct Metrics {
    serif: ttf_parser::Face<'static>,
    bold: ttf_parser::Face<'static>,
}

static METRICS: LazyLock<Option<Metrics>> = LazyLock::new(|| {
    Some(Metrics { serif: ttf_parser::Face::parse(SERIF, 0).ok()?, bold: ttf_parser::Face::parse(SERIF_BOLD, 0).ok()? })
});

impl Metrics {
    fn get() -> Result<&'static Metrics> {
        METRICS.as_ref().ok_or(LettersError::Font("LiberationSerif"))
    }

    /// The width in millimetres of `text` in the serif (`bold` or regular) at `size` points.
    pub(crate) fn width(&self, bold: bool, size: f32, text: &str) -> f32 {
        let face = if bold { &self.bold } else { &self.serif };
        let units: f32 = text
            .chars()
            .filter_map(|c| face.glyph_index(c))
            .filter_map(|glyph| face.glyph_hor_advance(glyph))
            .map(f32::from)
            .sum();
        units / f32::from(face.units_per_em()) * size * 0.3528
    }

    /// Whether the fonts can print `c` (spaces and line breaks always can).
    fn prints(&self, c: char) -> bool {
        c.is_whitespace() || (self.serif.glyph_index(c).is_some() && self.bold.glyph_index(c).is_some())
    }
}

/// The character printed instead of one the fonts lack: visible, never a blank.
pub(crate) const REPLACEMENT: char = '?';

/// Text flowing down A4 pages: each line below the last, a new page when the
/// bottom margin is reached, and groups of lines that must stay together.
pub(crate) struct Flow {
    pages: Vec<Vec<Op>>,
    y: f32,
    /// Characters the fonts lack, printed as [`REPLACEMENT`].
    missing: BTreeSet<char>,
}

/// The line height of `size`-point type, in millimetres.
fn line_height(size: f32) -> f32 {
    size * 0.3528 * 1.35
}

impl Flow {
    /// An empty first page.
    pub(crate) fn new() -> Flow {
        Flow { pages: vec![Vec::new()], y: PAGE_HEIGHT - MARGIN, missing: BTreeSet::new() }
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        self.pages.last_mut().expect("a flow always has a page")
    }

    /// Starts a new page when less than `mm` is left above the bottom margin.
    pub(crate) fn keep(&mut self, mm: f32) {
        if self.y - mm < MARGIN {
            self.pages.push(Vec::new());
            self.y = PAGE_HEIGHT - MARGIN;
        }
    }

    /// One line in `font` at `size` points, `indent` mm from the margin.
    pub(crate) fn line_at(&mut self, font: &FontId, size: f32, indent: f32, text: &str) {
        self.keep(line_height(size));
        self.y -= line_height(size);
        let y = self.y;
        self.text_at(font, size, MARGIN + indent, y, text);
    }

    /// Text at (`x`, `y`) mm from the current page's bottom-left corner, with any
    /// character the fonts lack replaced visibly and remembered.
    pub(crate) fn text_at(&mut self, font: &FontId, size: f32, x: f32, y: f32, text: &str) {
        let text = self.printable(text);
        text_at(self.ops(), font, size, x, y, &text);
    }

    /// `text` with each character the fonts lack replaced by [`REPLACEMENT`].
    pub(crate) fn printable(&mut self, text: &str) -> String {
        let Ok(metrics) = Metrics::get() else { return text.to_owned() };
        text.chars()
            .map(|c| {
                if metrics.prints(c) {
                    c
                } else {
                    self.missing.insert(c);
                    REPLACEMENT
                }
            })
            .collect()
    }

    /// The characters that had to be replaced so far.
    pub(crate) fn missing(&self) -> Vec<char> {
        self.missing.iter().copied().collect()
    }

    /// The current page's drawing.
    pub(crate) fn page(&mut self) -> &mut Vec<Op> {
        self.ops()
    }

    /// The height left above the bottom margin, and the current position.
    pub(crate) fn y(&self) -> f32 {
        self.y
    }

    /// A paragraph broken by measured width: lines at most `width` mm wide in the
    /// serif (`bold` or regular) at `size` points, `indent` mm from the margin; line
    /// breaks in the text are kept.
    pub(crate) fn measured(&mut self, font: &FontId, bold: bool, size: f32, indent: f32, width: f32, text: &str) {
        let Ok(metrics) = Metrics::get() else { return self.paragraph(font, size, 90, text) };
        for line in text.lines() {
            if line.trim().is_empty() {
                self.space(line_height(size) * 0.5);
                continue;
            }
            for piece in wrap_by(line, |candidate| metrics.width(bold, size, candidate) <= width) {
                self.line_at(font, size, indent, &piece);
            }
        }
    }

    /// Reserves a block `height` mm tall below the last line (on a new page if it
    /// does not fit) and hands out the page's drawing and the block's top edge.
    pub(crate) fn block(&mut self, height: f32) -> (&mut Vec<Op>, f32) {
        self.keep(height);
        let top = self.y;
        self.y -= height;
        (self.ops(), top)
    }

    /// One line at the margin.
    pub(crate) fn line(&mut self, font: &FontId, size: f32, text: &str) {
        self.line_at(font, size, 0.0, text);
    }

    /// A paragraph, broken into lines of at most `chars` characters at spaces; line
    /// breaks in the text are kept.
    pub(crate) fn paragraph(&mut self, font: &FontId, size: f32, chars: usize, text: &str) {
        for line in text.lines().flat_map(|line| wrap(line, chars)) {
            self.line(font, size, &line);
        }
    }

    /// The height `lines` lines of `size`-point type take.
    pub(crate) fn height_of(lines: usize, size: f32) -> f32 {
        lines as f32 * line_height(size)
    }

    /// Vertical space in millimetres.
    pub(crate) fn space(&mut self, mm: f32) {
        self.y -= mm;
    }

    /// The pages, each numbered "n / total" at the foot in `font`.
    pub(crate) fn into_pages(self, font: &FontId) -> Vec<PdfPage> {
        self.into_marked_pages(font, None)
    }

    /// The pages, numbered, each with `mark` (such as "COPY") at its top right.
    pub(crate) fn into_marked_pages(self, font: &FontId, mark: Option<&str>) -> Vec<PdfPage> {
        let total = self.pages.len();
        self.pages
            .into_iter()
            .enumerate()
            .map(|(index, mut ops)| {
                if total > 1 {
                    text_at(&mut ops, font, 9.0, PAGE_WIDTH / 2.0 - 5.0, 12.0, &format!("{} / {total}", index + 1));
                }
                if let Some(mark) = mark {
                    let width = Metrics::get().map_or(30.0, |m| m.width(true, 12.0, mark));
                    text_at(&mut ops, font, 12.0, PAGE_WIDTH - MARGIN - width, PAGE_HEIGHT - 14.0, mark);
                }
                PdfPage::new(Mm(PAGE_WIDTH), Mm(PAGE_HEIGHT), ops)
            })
            .collect()
    }
}

/// Text placed at (`x`, `y`) mm from the page's bottom-left corner.
pub(crate) fn text_at(ops: &mut Vec<Op>, font: &FontId, size: f32, x: f32, y: f32, text: &str) {
    ops.extend([
        Op::StartTextSection,
        Op::SetFont { font: PdfFontHandle::External(font.clone()), size: Pt(size) },
        Op::SetTextCursor { pos: Point { x: Mm(x).into(), y: Mm(y).into() } },
        Op::ShowText { items: vec![TextItem::Text(text.to_owned())] },
        Op::EndTextSection,
    ]);
}

/// Breaks `text` at spaces into lines that `fits`; a word too long for a line gets a
/// line of its own.
pub(crate) fn wrap_by(text: &str, fits: impl Fn(&str) -> bool) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let candidate = if current.is_empty() { word.to_owned() } else { format!("{current} {word}") };
        if !current.is_empty() && !fits(&candidate) {
            lines.push(std::mem::replace(&mut current, word.to_owned()));
        } else {
            current = candidate;
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

/// Breaks `text` into lines of at most `width` characters, at spaces; a word
/// longer than a line gets a line of its own. Characters, not bytes: Kazakh letters
/// are two bytes in UTF-8 and one character on paper.
pub(crate) fn wrap(text: &str, width: usize) -> Vec<String> {
    wrap_by(text, |line| line.chars().count() <= width)
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
