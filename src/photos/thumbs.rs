//! Smaller copies of each picture, upright, as JPEG under `photos/.thumbs/`: a
//! strip thumbnail and a screen-sized view. They are made the first time a
//! picture is shown (off the app's thread, written after the picture is handed
//! back) and read instead of the original afterwards: a 12-megapixel JPEG takes
//! a tenth of a second to decode, its view copy a few milliseconds.

use std::io::Cursor;
use std::path::PathBuf;

use image::{DynamicImage, RgbImage};

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
            Size::Thumb => 240,
            Size::View => 960,
        }
    }
}

fn cache_dir(store: &PhotoStore) -> PathBuf {
    store.dir().join(".thumbs")
}

/// A smaller copy's place in the cache (inside it whatever `hash` holds: see
/// [`PhotoStore::path_of`]).
fn cache_path(store: &PhotoStore, hash: &str, size: Size) -> PathBuf {
    if !crate::domain::is_photo_hash(hash) {
        return cache_dir(store).join(".not-a-picture");
    }
    cache_dir(store).join(format!("{hash}-{}.jpg", size.pixels()))
}

/// Writes both smaller copies of an upright picture.
pub fn prime(store: &PhotoStore, hash: &str, image: &DynamicImage) -> std::io::Result<()> {
    let view = shrink(image, Size::View);
    write_cache(store, hash, &view, &shrink(&view, Size::Thumb))
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
    if let Some(image) = cached(store, hash, size) {
        return Ok(image);
    }
    let (view, thumb) = make(store, hash, format)?;
    let _ = write_cache(store, hash, &view, &thumb);
    Ok(if size == Size::View { view } else { thumb })
}

/// The cached copy at `size`, when there is a readable one made from this
/// picture (a copy moved here from another picture's place is made again).
pub fn cached(store: &PhotoStore, hash: &str, size: Size) -> Option<DynamicImage> {
    let bytes = std::fs::read(cache_path(store, hash, size)).ok()?;
    if !made_from(&bytes, hash) {
        return None;
    }
    let mut reader = image::ImageReader::new(Cursor::new(bytes));
    reader.set_format(image::ImageFormat::Jpeg);
    reader.decode().ok()
}

/// Both smaller copies, upright, from the stored original (not cached yet).
pub fn make(store: &PhotoStore, hash: &str, format: PhotoFormat) -> Result<(DynamicImage, DynamicImage), String> {
    let original = store.original(hash, format);
    let bytes = std::fs::read(&original).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => "not in the photo store".to_string(),
        _ => format!("cannot be read: {e}"),
    })?;
    let shown = original.display().to_string();
    let (image, _) = super::intake::decode(&bytes, format, &shown).map_err(|_| "damaged".to_string())?;
    let view = shrink(&image, Size::View);
    let thumb = shrink(&view, Size::Thumb);
    Ok((view, thumb))
}

/// Keeps both smaller copies (a cache: failing costs time later, not data).
pub fn write_cache(store: &PhotoStore, hash: &str, view: &DynamicImage, thumb: &DynamicImage) -> std::io::Result<()> {
    crate::private_file::folder(&cache_dir(store))?;
    write_jpeg(&cache_path(store, hash, Size::View), view, hash)?;
    write_jpeg(&cache_path(store, hash, Size::Thumb), thumb, hash)
}

/// The picture fitted within `size`, as RGB. A large one is first averaged down
/// by a whole factor (a box filter over the raw rows: a twelfth of the time the
/// general resize takes on 12 megapixels), then resized the rest of the way.
fn shrink(image: &DynamicImage, size: Size) -> DynamicImage {
    let side = size.pixels();
    let rgb: std::borrow::Cow<'_, RgbImage> = match image.as_rgb8() {
        Some(rgb) => std::borrow::Cow::Borrowed(rgb),
        None => std::borrow::Cow::Owned(image.to_rgb8()),
    };
    let (w, h) = rgb.dimensions();
    if w <= side && h <= side {
        return DynamicImage::ImageRgb8(rgb.into_owned());
    }
    let factor = w.max(h) / side;
    let boxed = if factor >= 2 { box_down(&rgb, factor) } else { rgb.into_owned() };
    let scale = f64::from(side) / f64::from(boxed.width().max(boxed.height()));
    let fit = |n: u32| ((f64::from(n) * scale).round() as u32).clamp(1, side);
    DynamicImage::ImageRgb8(image::imageops::thumbnail(&boxed, fit(boxed.width()), fit(boxed.height())))
}

/// Each `factor`×`factor` block of pixels averaged into one.
fn box_down(source: &RgbImage, factor: u32) -> RgbImage {
    let (w, h) = (source.width() / factor, source.height() / factor);
    let stride = source.width() as usize * 3;
    let f = factor as usize;
    let raw = source.as_raw();
    let mut out = RgbImage::new(w, h);
    let mut sums = vec![0u32; w as usize * 3];
    let count = factor * factor;
    for (oy, out_row) in out.as_mut().chunks_exact_mut(w as usize * 3).enumerate() {
        sums.fill(0);
        for dy in 0..f {
            let start = (oy * f + dy) * stride;
            let row = &raw[start..start + stride];
            for (ox, sum) in sums.chunks_exact_mut(3).enumerate() {
                for px in row[ox * f * 3..(ox + 1) * f * 3].chunks_exact(3) {
                    sum[0] += u32::from(px[0]);
                    sum[1] += u32::from(px[1]);
                    sum[2] += u32::from(px[2]);
                }
            }
        }
        for (o, s) in out_row.iter_mut().zip(&sums) {
            *o = u8::try_from(s / count).unwrap_or(u8::MAX);
        }
    }
    out
}

/// A smaller copy ends, after the JPEG's last marker (where decoders stop
/// reading), with the SHA-256 of the picture it was made from.
const MADE_FROM: &[u8] = b"\nneedlelog smaller copy of ";

fn write_jpeg(path: &std::path::Path, image: &DynamicImage, hash: &str) -> std::io::Result<()> {
    let mut bytes = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 85)
        .encode_image(image)
        .map_err(std::io::Error::other)?;
    bytes.extend_from_slice(MADE_FROM);
    bytes.extend_from_slice(hash.as_bytes());
    crate::private_file::write(path, &bytes)
}

/// Whether a cached copy's bytes say they were made from the picture `hash`.
fn made_from(bytes: &[u8], hash: &str) -> bool {
    bytes.strip_suffix(hash.as_bytes()).is_some_and(|rest| rest.ends_with(MADE_FROM))
}

/// Cached copies that were not made from the picture their name gives (moved or
/// changed on disk): `doctor` names them, `doctor --fix` removes them, and the
/// app makes them again when it shows the picture.
pub fn not_of_their_picture(store: &PhotoStore) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(cache_dir(store)) else { return Vec::new() };
    let mut found: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|path| {
            let Some(name) = path.file_name().and_then(|n| n.to_str()) else { return false };
            let Some((hash, _)) = name.split_once('-') else { return false };
            crate::domain::is_photo_hash(hash)
                && name.ends_with(".jpg")
                && path.is_file()
                && !std::fs::read(path).is_ok_and(|bytes| made_from(&bytes, hash))
        })
        .collect();
    found.sort();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shrinking_keeps_the_shape_and_averages_the_colour() {
        // Every fourth column dark: a 4×4 box (4000 / 960) averages to three quarters.
        let half =
            RgbImage::from_fn(
                4000,
                3000,
                |x, _| if x % 4 == 0 { image::Rgb([0, 0, 0]) } else { image::Rgb([150, 75, 30]) },
            );
        let view = shrink(&DynamicImage::ImageRgb8(half), Size::View);
        assert_eq!((view.width(), view.height()), (960, 720));
        let p = view.as_rgb8().unwrap().get_pixel(480, 360);
        assert!((108..=116).contains(&p[0]) && (52..=60).contains(&p[1]), "{p:?}");
        let tall = shrink(&DynamicImage::new_rgb8(300, 2600), Size::Thumb);
        assert_eq!(tall.height(), 240);
        assert!((26..=29).contains(&tall.width()), "{}", tall.width());
        let small = shrink(&DynamicImage::new_rgb8(20, 10), Size::Thumb);
        assert_eq!((small.width(), small.height()), (20, 10));
    }
}
