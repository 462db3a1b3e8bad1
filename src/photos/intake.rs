//! Checking a picture before it joins the log: only JPEG, PNG and WebP, whole,
//! of a sane size, decoded once to be sure. What comes out carries the bytes to
//! store, their hash, when the picture was taken and its size upright (turned by
//! its EXIF orientation).

use std::io::Cursor;
use std::path::{Path, PathBuf};

use chrono::{Local, NaiveDateTime};
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use sha2::{Digest, Sha256};

use crate::domain::PhotoFormat;

/// The largest file read as a photo.
pub const MAX_BYTES: u64 = 100 * 1024 * 1024;
/// The longest side opened, in pixels.
pub const MAX_SIDE: u32 = 16_000;
/// The most pixels opened (a 108-megapixel phone camera fits).
pub const MAX_PIXELS: u64 = 120_000_000;

/// Why a file is not taken as a photo; each says which file and what to do.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PhotoError {
    #[error("{0}: no such file: check the path")]
    Missing(String),
    #[error("{0} cannot be read ({1}): check the path and its permissions")]
    Unreadable(String, String),
    #[error("{0} is not a regular file (a folder, a device or a pipe): pick the photo itself")]
    NotAFile(String),
    #[error("{0} is empty: pick the photo itself")]
    Empty(String),
    #[error("{0} is over 100 MB, too large for a photo: export a smaller JPEG")]
    TooBig(String),
    #[error(
        "{0} is a HEIC/HEIF photo, which needlelog cannot open: convert it to JPEG first \
         (phones can share as JPEG; `heif-convert IN.heic OUT.jpg`)"
    )]
    Heic(String),
    #[error("{0} is a PDF, not a photo: export the page as a JPEG or PNG")]
    Pdf(String),
    #[error("{0} is {1}, not a JPEG, PNG or WebP photo: save it as one of those")]
    OtherImage(String, &'static str),
    #[error("{0} is not a JPEG, PNG or WebP photo: pick an image file")]
    NotImage(String),
    #[error(
        "{0} says it is {1}×{2} pixels, more than needlelog opens (at most {MAX_SIDE} on a side and \
         120 megapixels): resize it first"
    )]
    TooLarge(String, u32, u32),
    #[error("{0} is damaged or cut short ({1}): copy it again from where it came")]
    Damaged(String, String),
}

/// A picture that passed: ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct Inspected {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
    /// SHA-256 of `bytes`, lower-case hex: the stored file's name.
    pub hash: String,
    pub format: PhotoFormat,
    /// The file name it came with.
    pub original_name: String,
    /// When it was taken (EXIF DateTimeOriginal, camera clock), else the file's time.
    pub taken: NaiveDateTime,
    /// Its size upright (EXIF orientation applied), in pixels.
    pub width: u32,
    pub height: u32,
}

/// Reads and checks the file at `path`.
pub fn inspect(path: &Path) -> Result<Inspected, PhotoError> {
    let shown = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => PhotoError::Missing(shown.clone()),
        _ => PhotoError::Unreadable(shown.clone(), e.to_string()),
    })?;
    if !meta.is_file() {
        return Err(PhotoError::NotAFile(shown));
    }
    if meta.len() > MAX_BYTES {
        return Err(PhotoError::TooBig(shown));
    }
    let bytes = read_capped(path).map_err(|e| PhotoError::Unreadable(shown.clone(), e.to_string()))?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(PhotoError::TooBig(shown));
    }
    let format = sniff(&bytes, &shown)?;
    let (image, exif) = decode(&bytes, format, &shown)?;
    let file_time = meta.modified().ok().map(|t| chrono::DateTime::<Local>::from(t).naive_local());
    let taken = exif.as_deref().and_then(taken_from_exif).or(file_time).unwrap_or_else(|| Local::now().naive_local());
    // A file's name may hold anything a file system allows: kept on one line.
    let original_name = path
        .file_name()
        .map(|n| n.to_string_lossy().chars().map(|c| if c.is_control() { '?' } else { c }).take(200).collect())
        .unwrap_or_default();
    let (width, height) = (image.width(), image.height());
    drop(image);
    Ok(Inspected {
        path: path.to_path_buf(),
        hash: hash_of(&bytes),
        bytes,
        format,
        original_name,
        taken,
        width,
        height,
    })
}

/// The file's bytes, at most one past [`MAX_BYTES`]. Opened without waiting, so a
/// file swapped for a pipe after it was looked at cannot hold the read; a regular
/// file reads as usual.
fn read_capped(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    let file = std::fs::OpenOptions::new().read(true).custom_flags(libc::O_NONBLOCK).open(path)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    let mut bytes = Vec::new();
    file.take(MAX_BYTES + 1).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// SHA-256 of `bytes` in lower-case hex.
pub fn hash_of(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// What the first bytes say the file is; only the three kept formats pass.
fn sniff(bytes: &[u8], shown: &str) -> Result<PhotoFormat, PhotoError> {
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    if bytes.is_empty() {
        return Err(PhotoError::Empty(shown.into()));
    }
    if starts(&[0xFF, 0xD8, 0xFF]) {
        return Ok(PhotoFormat::Jpeg);
    }
    if starts(b"\x89PNG\r\n\x1a\n") {
        return Ok(PhotoFormat::Png);
    }
    if starts(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        return Ok(PhotoFormat::Webp);
    }
    if bytes.get(4..8) == Some(b"ftyp") {
        let brand = bytes.get(8..12).unwrap_or_default();
        if [&b"heic"[..], b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1", b"avif"].contains(&brand) {
            return Err(PhotoError::Heic(shown.into()));
        }
    }
    if starts(b"%PDF") {
        return Err(PhotoError::Pdf(shown.into()));
    }
    let other = if starts(b"GIF8") {
        Some("a GIF")
    } else if starts(b"II*\0") || starts(b"MM\0*") {
        Some("a TIFF (or a camera's raw file)")
    } else if starts(b"BM") {
        Some("a BMP")
    } else {
        None
    };
    Err(match other {
        Some(what) => PhotoError::OtherImage(shown.into(), what),
        None => PhotoError::NotImage(shown.into()),
    })
}

/// The limits every decode runs under (a declared 50,000×50,000 never allocates).
pub fn limits() -> Limits {
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_PIXELS * 4 + 64 * 1024 * 1024);
    limits
}

/// Decodes the whole picture (a truncated file fails here) and turns it upright.
/// Also returns the raw EXIF block when there is one.
pub fn decode(bytes: &[u8], format: PhotoFormat, shown: &str) -> Result<(DynamicImage, Option<Vec<u8>>), PhotoError> {
    let mut reader = ImageReader::new(Cursor::new(bytes));
    reader.set_format(match format {
        PhotoFormat::Jpeg => ImageFormat::Jpeg,
        PhotoFormat::Png => ImageFormat::Png,
        PhotoFormat::Webp => ImageFormat::WebP,
    });
    let damaged = |e: image::ImageError| PhotoError::Damaged(shown.into(), first_line(&e.to_string()));
    // The header first: refuse a declared giant before any pixel is allocated.
    let mut decoder = reader.into_decoder().map_err(damaged)?;
    let (w, h) = decoder.dimensions();
    if w > MAX_SIDE || h > MAX_SIDE || u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(PhotoError::TooLarge(shown.into(), w, h));
    }
    if w == 0 || h == 0 {
        return Err(PhotoError::Damaged(shown.into(), "no pixels".into()));
    }
    decoder.set_limits(limits()).map_err(damaged)?;
    let exif = decoder.exif_metadata().ok().flatten();
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(damaged)?;
    if format == PhotoFormat::Jpeg && !jpeg_is_whole(bytes) {
        return Err(PhotoError::Damaged(shown.into(), "the end of the image is missing".into()));
    }
    image.apply_orientation(orientation);
    Ok((image, exif))
}

/// A JPEG ends with its end-of-image marker (cameras may add a few bytes after
/// it): a copy cut short does not, though its decoder fills the missing rows grey.
fn jpeg_is_whole(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(64 * 1024)..];
    tail.windows(2).any(|w| w == [0xFF, 0xD9])
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or_default().chars().take(120).collect()
}

/// EXIF DateTimeOriginal (else DateTime), as the camera's clock showed it.
fn taken_from_exif(raw: &[u8]) -> Option<NaiveDateTime> {
    let exif = exif::Reader::new().read_raw(raw.to_vec()).ok()?;
    [exif::Tag::DateTimeOriginal, exif::Tag::DateTime].into_iter().find_map(|tag| {
        let field = exif.get_field(tag, exif::In::PRIMARY)?;
        let exif::Value::Ascii(ref parts) = field.value else { return None };
        let dt = exif::DateTime::from_ascii(parts.first()?).ok()?;
        chrono::NaiveDate::from_ymd_opt(i32::from(dt.year), u32::from(dt.month), u32::from(dt.day))?.and_hms_opt(
            u32::from(dt.hour),
            u32::from(dt.minute),
            u32::from(dt.second),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_bytes_name_what_a_file_is() {
        let heic = [&[0, 0, 0, 0x18][..], b"ftypheic", &[0; 8]].concat();
        assert!(matches!(sniff(&heic, "a.heic"), Err(PhotoError::Heic(_))));
        assert!(matches!(sniff(b"%PDF-1.7", "a.pdf"), Err(PhotoError::Pdf(_))));
        assert!(matches!(sniff(b"hello", "a.txt"), Err(PhotoError::NotImage(_))));
        assert!(matches!(sniff(b"GIF89a", "a.gif"), Err(PhotoError::OtherImage(_, "a GIF"))));
        assert!(matches!(sniff(b"", "a.jpg"), Err(PhotoError::Empty(_))));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 ", "a.webp"), Ok(PhotoFormat::Webp));
    }

    #[test]
    fn exif_dates_are_read_as_the_camera_wrote_them() {
        // A minimal little-endian TIFF block: IFD0 with one DateTime field.
        let mut raw = b"II*\0\x08\0\0\0".to_vec();
        raw.extend_from_slice(&[1, 0]); // one entry
        raw.extend_from_slice(&[0x32, 0x01, 2, 0, 20, 0, 0, 0, 26, 0, 0, 0]); // DateTime, ASCII, 20, at 26
        raw.extend_from_slice(&[0, 0, 0, 0]); // no next IFD
        raw.extend_from_slice(b"2026:11:02 10:15:30\0");
        let taken = taken_from_exif(&raw).unwrap();
        assert_eq!(taken.to_string(), "2026-11-02 10:15:30");
    }
}
