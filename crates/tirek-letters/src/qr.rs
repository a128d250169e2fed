//! A QR code drawn with PDF rectangles: no image, crisp at any zoom.

use printpdf::{Color, Mm, Op, PaintMode, Rect, Rgb};
use qrcode::{Color as Module, EcLevel, QrCode};

/// Draws `payload` as a QR code `size` mm square with its top-left corner at (`x`, `top`).
pub(crate) fn draw(ops: &mut Vec<Op>, payload: &str, x: f32, top: f32, size: f32) {
    let Ok(code) = QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::M) else { return };
    let width = code.width();
    // Four modules of quiet zone on each side, as scanners expect.
    let module = size / (width + 8) as f32;
    ops.push(Op::SaveGraphicsState);
    ops.push(Op::SetFillColor { col: Color::Rgb(Rgb { r: 0.0, g: 0.0, b: 0.0, icc_profile: None }) });
    for (index, colour) in code.to_colors().iter().enumerate() {
        if *colour == Module::Dark {
            let (column, row) = (index % width, index / width);
            ops.push(Op::DrawRectangle {
                rectangle: Rect {
                    x: Mm(x + (column + 4) as f32 * module).into(),
                    y: Mm(top - (row + 5) as f32 * module).into(),
                    width: Mm(module).into(),
                    height: Mm(module).into(),
                    mode: Some(PaintMode::Fill),
                    winding_order: None,
                },
            });
        }
    }
    ops.push(Op::RestoreGraphicsState);
}
