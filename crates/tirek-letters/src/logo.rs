//! The clinic's logo: a PNG checked once when the clinic chooses it (an image, of a
//! sensible size) and printed at the head of its letters.

use printpdf::{RawImage, RawImageData, RawImageFormat};

/// The largest logo file accepted.
pub const MAX_BYTES: u64 = 1024 * 1024;
/// The most pixels a side may have.
const MAX_SIDE: u32 = 3000;

/// Why a file cannot be the logo.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LogoProblem {
    /// Not a PNG image (or a damaged one).
    #[error("the file is not a PNG image")]
    NotAnImage,
    /// Wider or taller than [`MAX_SIDE`] pixels.
    #[error("the image is {width}×{height} pixels; at most {MAX_SIDE} a side")]
    TooLarge {
        /// Its width.
        width: u32,
        /// Its height.
        height: u32,
    },
}

/// A decoded logo, flattened onto white.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logo {
    width: u32,
    height: u32,
    rgb: Vec<u8>,
}

impl Logo {
    /// Reads a PNG; refuses anything else, and images too large to print sensibly.
    pub fn from_png(bytes: &[u8]) -> Result<Logo, LogoProblem> {
        let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
        let mut reader = decoder.read_info().map_err(|_| LogoProblem::NotAnImage)?;
        let (width, height) = (reader.info().width, reader.info().height);
        if width > MAX_SIDE || height > MAX_SIDE {
            return Err(LogoProblem::TooLarge { width, height });
        }
        let mut buffer = vec![0; reader.output_buffer_size().ok_or(LogoProblem::NotAnImage)?];
        let frame = reader.next_frame(&mut buffer).map_err(|_| LogoProblem::NotAnImage)?;
        let pixels = &buffer[..frame.buffer_size()];
        let over_white =
            |value: u8, alpha: u8| ((u16::from(value) * u16::from(alpha) + 255 * (255 - u16::from(alpha))) / 255) as u8;
        let rgb: Vec<u8> = match frame.color_type {
            png::ColorType::Rgb => pixels.to_vec(),
            png::ColorType::Rgba => {
                pixels.chunks_exact(4).flat_map(|p| [0, 1, 2].map(|i| over_white(p[i], p[3]))).collect()
            }
            png::ColorType::Grayscale => pixels.iter().flat_map(|&g| [g, g, g]).collect(),
            png::ColorType::GrayscaleAlpha => {
                pixels.chunks_exact(2).flat_map(|p| [over_white(p[0], p[1]); 3]).collect()
            }
            png::ColorType::Indexed => return Err(LogoProblem::NotAnImage),
        };
        if rgb.len() != width as usize * height as usize * 3 || width == 0 || height == 0 {
            return Err(LogoProblem::NotAnImage);
        }
        Ok(Logo { width, height, rgb })
    }

    /// Its width in pixels.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Width over height.
    pub(crate) fn aspect(&self) -> f32 {
        self.width as f32 / self.height as f32
    }

    pub(crate) fn image(&self) -> RawImage {
        RawImage {
            pixels: RawImageData::U8(self.rgb.clone()),
            width: self.width as usize,
            height: self.height as usize,
            data_format: RawImageFormat::RGB8,
            tag: Vec::new(),
        }
    }
}
