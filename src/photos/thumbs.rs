//! Smaller copies of each picture, upright, as JPEG under `photos/.thumbs/`: a
//! strip thumbnail and a screen-sized view. They are made when a picture is
//! added, or the first time one is shown, and read instead of the original
//! afterwards (a 12-megapixel JPEG takes a tenth of a second to decode; its view
//! copy a few milliseconds).

use std::io::Cursor;
use std::path::PathBuf;

use image::DynamicImage;

use super::PhotoStore;
use crate::domain::PhotoFormat;

/// The two sizes kept: the longest side in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Size {
    /// A strip's thumbnail.
    Thumb,
    /// One picture on screen, or half of a comparison.
    View,
}

impl Size {
    pub fn pixels(self) -> u32 {
        match self {
            Size::Thumb => 320,
            Size::View => 1280,
        }
    }
}

fn cache_dir(store: &PhotoStore) -> PathBuf {
    store.dir().join(".thumbs")
}

fn cache_path(store: &PhotoStore, hash: &str, size: Size) -> PathBuf {
    cache_dir(store).join(format!("{hash}-{}.jpg", size.pixels()))
}

/// Writes both smaller copies of an upright picture.
pub fn prime(store: &PhotoStore, hash: &str, image: &DynamicImage) -> std::io::Result<()> {
    crate::private_file::folder(&cache_dir(store))?;
    let view = shrink(image, Size::View);
    write_jpeg(&cache_path(store, hash, Size::View), &view)?;
    write_jpeg(&cache_path(store, hash, Size::Thumb), &shrink(&view, Size::Thumb))
}

/// Removes a picture's smaller copies.
pub fn forget(store: &PhotoStore, hash: &str) {
    for size in [Size::Thumb, Size::View] {
        let _ = std::fs::remove_file(cache_path(store, hash, size));
    }
}

/// A picture at `size`: from the cache when it is there, else decoded from the
/// stored original (and cached). The error is one line for a placeholder.
pub fn load(store: &PhotoStore, hash: &str, format: PhotoFormat, size: Size) -> Result<DynamicImage, String> {
    let cached = cache_path(store, hash, size);
    if let Ok(bytes) = std::fs::read(&cached) {
        let mut reader = image::ImageReader::new(Cursor::new(bytes));
        reader.set_format(image::ImageFormat::Jpeg);
        if let Ok(image) = reader.decode() {
            return Ok(image);
        }
    }
    let original = store.path_of(hash, format);
    let bytes = std::fs::read(&original).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => "not in the photo store".to_string(),
        _ => format!("cannot be read: {e}"),
    })?;
    let shown = original.display().to_string();
    let (image, _) = super::intake::decode(&bytes, format, &shown).map_err(|_| "damaged".to_string())?;
    let view = shrink(&image, Size::View);
    let _ = crate::private_file::folder(&cache_dir(store)).and_then(|()| {
        write_jpeg(&cache_path(store, hash, Size::View), &view)?;
        write_jpeg(&cache_path(store, hash, Size::Thumb), &shrink(&view, Size::Thumb))
    });
    Ok(if size == Size::View { view } else { shrink(&view, Size::Thumb) })
}

fn shrink(image: &DynamicImage, size: Size) -> DynamicImage {
    let side = size.pixels();
    if image.width() <= side && image.height() <= side {
        return DynamicImage::ImageRgb8(image.to_rgb8());
    }
    DynamicImage::ImageRgb8(image.thumbnail(side, side).to_rgb8())
}

fn write_jpeg(path: &std::path::Path, image: &DynamicImage) -> std::io::Result<()> {
    let mut bytes = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 85)
        .encode_image(image)
        .map_err(std::io::Error::other)?;
    crate::private_file::write(path, &bytes)
}
