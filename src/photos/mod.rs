//! The photo store: a `photos/` folder beside the database (0700) holding each
//! picture once, named by its SHA-256 (`HASH.jpg`, 0600), so the user's own copy
//! can move or go. Records of which session shows which picture are rows in the
//! database (`store`); this module only deals in files: checking what comes in
//! (`intake`), keeping it, the cached smaller copies (`thumbs`), and decoding off
//! the app's thread (`loader`).

pub mod intake;
pub mod loader;
pub mod thumbs;

use std::path::{Path, PathBuf};

use std::sync::Arc;

use crate::domain::{Photo, PhotoFormat};
use crate::store::Records;
use crate::store::server::Origin;
pub use intake::{Inspected, PhotoError, inspect};

/// The folder of pictures beside one database file; for records on a server,
/// this laptop's cache of the server's pictures.
#[derive(Clone)]
pub struct PhotoStore {
    dir: PathBuf,
    /// The server the pictures are kept in, when they are not this folder's own.
    origin: Option<Arc<dyn Origin>>,
}

impl std::fmt::Debug for PhotoStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PhotoStore").field("dir", &self.dir).field("on_server", &self.origin.is_some()).finish()
    }
}

impl PartialEq for PhotoStore {
    fn eq(&self, other: &Self) -> bool {
        self.dir == other.dir
    }
}

/// What `doctor` finds in the store.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoreCheck {
    /// Records whose file is not in the store: (photo id, stored file name).
    pub missing: Vec<(i64, String)>,
    /// Files in the store that no record (nor the trash) refers to.
    pub unreferenced: Vec<PathBuf>,
    /// Files whose content no longer matches their name.
    pub mismatched: Vec<PathBuf>,
    /// Cached smaller copies not made from the picture their name gives.
    pub stale_copies: Vec<PathBuf>,
}

impl StoreCheck {
    pub fn is_clean(&self) -> bool {
        self.missing.is_empty()
            && self.unreferenced.is_empty()
            && self.mismatched.is_empty()
            && self.stale_copies.is_empty()
    }
}

impl PhotoStore {
    /// The store of the database at `db`: `photos/` in the same folder.
    pub fn beside(db: &Path) -> PhotoStore {
        let folder = db.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        PhotoStore { dir: folder.join("photos"), origin: None }
    }

    /// The pictures of `records`: beside their file, or (on a server) this
    /// laptop's cache of the server's, in the platform cache folder.
    pub fn of(records: &dyn Records) -> PhotoStore {
        if let Some(file) = records.file() {
            return PhotoStore::beside(file.path());
        }
        let Some(origin) = records.picture_origin() else { return PhotoStore::beside(Path::new("")) };
        let cache = directories::ProjectDirs::from("", "", "needlelog")
            .map_or_else(|| std::env::temp_dir().join("needlelog-cache"), |d| d.cache_dir().to_path_buf());
        PhotoStore { dir: cache.join("servers").join(origin.cache_name()).join("photos"), origin: Some(origin) }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Where a picture with this hash and format is kept. The store reads only
    /// rows with a sound hash; anything else (never expected) names a file inside
    /// the store that no picture has, never a path outside it.
    pub fn path_of(&self, hash: &str, format: PhotoFormat) -> PathBuf {
        if !crate::domain::is_photo_hash(hash) {
            return self.dir.join(".not-a-picture");
        }
        self.dir.join(format!("{hash}.{}", format.extension()))
    }

    pub fn path(&self, photo: &Photo) -> PathBuf {
        self.path_of(&photo.hash, photo.format)
    }

    /// True when the photo's file is in the store (drawn from the server first
    /// when it is kept there and not yet here).
    pub fn has(&self, photo: &Photo) -> bool {
        self.original(&photo.hash, photo.format).is_file()
    }

    /// Where the picture can be read: [`PhotoStore::path_of`], once it is there.
    /// For a server's pictures, one not yet on this laptop is drawn from the
    /// server (checked against its name) and kept in the cache.
    pub fn original(&self, hash: &str, format: PhotoFormat) -> PathBuf {
        let path = self.path_of(hash, format);
        if let Some(origin) = &self.origin
            && !path.is_file()
            && crate::domain::is_photo_hash(hash)
            && let Ok(Some(bytes)) = origin.fetch(hash)
            && intake::hash_of(&bytes) == hash
        {
            let _ = crate::private_file::folder(&self.dir).and_then(|()| crate::private_file::write(&path, &bytes));
        }
        path
    }

    /// Keeps a checked picture (once: the same picture again is already here).
    /// Its smaller copies are made when it is first shown. Returns true when the
    /// file is new to the store.
    pub fn put(&self, photo: &Inspected) -> std::io::Result<bool> {
        self.keep_bytes(&photo.hash, photo.format, &photo.bytes)
    }

    /// Keeps `bytes`, whose hash is `hash`, unless the store holds them already.
    /// Returns true when the file is new.
    fn keep_bytes(&self, hash: &str, format: PhotoFormat, bytes: &[u8]) -> std::io::Result<bool> {
        // On a server, the server's copy is the one the records rely on: it
        // goes first, so no record names a picture the server does not have.
        if let Some(origin) = &self.origin {
            origin.send(hash, format, bytes)?;
        }
        crate::private_file::folder(&self.dir)?;
        let path = self.path_of(hash, format);
        let new = !path.is_file() || intake::hash_of(&std::fs::read(&path)?) != hash;
        if new {
            crate::private_file::write(&path, bytes)?;
        }
        Ok(new)
    }

    /// Takes a picture (and its smaller copies) out of the store.
    pub fn remove(&self, hash: &str, format: PhotoFormat) -> std::io::Result<()> {
        if let Some(origin) = &self.origin {
            origin.forget(hash)?;
        }
        thumbs::forget(self, hash);
        match std::fs::remove_file(self.path_of(hash, format)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    /// The pictures in the store: (hash, format, path), by name.
    pub fn files(&self) -> Vec<(String, PhotoFormat, PathBuf)> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else { return Vec::new() };
        let mut out: Vec<_> = entries
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                let path = e.path();
                let (stem, ext) = (path.file_stem()?.to_str()?.to_string(), path.extension()?.to_str()?);
                let format = [PhotoFormat::Jpeg, PhotoFormat::Png, PhotoFormat::Webp]
                    .into_iter()
                    .find(|f| f.extension() == ext)?;
                (stem.len() == 64 && stem.bytes().all(|b| b.is_ascii_hexdigit()) && path.is_file())
                    .then_some((stem, format, path))
            })
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    /// Compares the records (and the hashes the trash still refers to) with the files.
    pub fn check(&self, photos: &[Photo], trashed: &std::collections::HashSet<String>) -> StoreCheck {
        let mut check = StoreCheck::default();
        let referenced: std::collections::HashSet<&str> = photos.iter().map(|p| p.hash.as_str()).collect();
        for p in photos {
            if !self.has(p) {
                check.missing.push((p.id, p.file_name()));
            }
        }
        for (hash, _, path) in self.files() {
            if !referenced.contains(hash.as_str()) && !trashed.contains(&hash) {
                check.unreferenced.push(path.clone());
            }
            if std::fs::read(&path).map(|b| intake::hash_of(&b) != hash).unwrap_or(true) {
                check.mismatched.push(path);
            }
        }
        check.stale_copies = thumbs::not_of_their_picture(self);
        check
    }
}

/// The paths in a form's Photos field or a `--photo` argument: `PATH` or
/// `AREA=PATH`, `~/` expanded. An existing file whose name holds `=` is a path.
pub fn parse_photo_arg(arg: &str) -> (Option<String>, PathBuf) {
    let arg = arg.trim();
    let whole = expand_home(arg);
    if whole.exists() {
        return (None, whole);
    }
    match arg.split_once('=') {
        Some((area, path)) if !area.contains('/') && !area.trim().is_empty() => {
            (Some(area.trim().to_string()), expand_home(path.trim()))
        }
        _ => (None, whole),
    }
}

fn expand_home(path: &str) -> PathBuf {
    match path.strip_prefix("~/") {
        Some(rest) => directories::BaseDirs::new().map_or_else(|| PathBuf::from(path), |b| b.home_dir().join(rest)),
        None if path == "~" => {
            directories::BaseDirs::new().map_or_else(|| PathBuf::from(path), |b| b.home_dir().into())
        }
        None => PathBuf::from(path),
    }
}

/// A checked picture waiting to be attached, with the area it shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    pub area: Option<String>,
    pub photo: Arc<Inspected>,
}

impl Pending {
    /// The record to keep (its ids are filled in when it is attached).
    pub fn record(&self) -> Photo {
        Photo {
            id: 0,
            course_id: 0,
            session_id: None,
            hash: self.photo.hash.clone(),
            format: self.photo.format,
            area: self.area.clone(),
            taken: self.photo.taken,
            original_name: self.photo.original_name.clone(),
        }
    }
}

/// Why photos given on the command line or in a form were not taken.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PrepareError {
    #[error("{0}")]
    Photo(#[from] PhotoError),
    #[error("{0}")]
    Area(String),
}

/// Checks every `PATH` or `AREA=PATH` given, all before any is kept: one bad
/// file refuses them all. `area` applies where an argument names none. The same
/// picture given twice is taken once.
pub fn prepare(
    args: &[String],
    area: Option<&str>,
    rules: &crate::domain::Rules,
) -> Result<Vec<Pending>, PrepareError> {
    args.iter()
        .filter(|a| !a.trim().is_empty())
        .map(|arg| {
            let (named, path) = parse_photo_arg(arg);
            let area = named.as_deref().or(area).map(|a| rules.area_key(a));
            if let Some(a) = &area {
                crate::domain::validate::check_area(a).map_err(|e| PrepareError::Area(e.message))?;
            }
            Ok(Pending { area, photo: Arc::new(inspect(&path)?) })
        })
        .collect::<Result<Vec<Pending>, PrepareError>>()
        .map(|mut all| {
            let mut seen = std::collections::HashSet::new();
            all.retain(|p| seen.insert(p.photo.hash.clone()));
            all
        })
}

/// Puts the pictures' files into the store (before any record names them).
pub fn keep(store: &PhotoStore, pending: &[Pending]) -> std::io::Result<()> {
    for p in pending {
        store.put(&p.photo).map_err(|e| {
            std::io::Error::new(
                e.kind(),
                format!("cannot keep {} in {}: {e}", p.photo.path.display(), store.dir().display()),
            )
        })?;
    }
    Ok(())
}

/// Attaches checked pictures to a saved session or a course: files first, then
/// the records in one transaction. Returns how each went.
pub fn attach(
    db: &mut dyn Records,
    store: &PhotoStore,
    to: crate::domain::PhotoOf,
    pending: &[Pending],
) -> Result<Vec<crate::store::Attached>, String> {
    keep(store, pending).map_err(|e| e.to_string())?;
    let records: Vec<Photo> = pending.iter().map(Pending::record).collect();
    db.attach_photos(to, &records).map_err(|e| e.to_string())
}

/// Moves the photos older files name by path into the store: each file still
/// there is checked and kept, its record written and its path dropped; paths
/// whose file is gone or refused stay (`doctor` lists them). Returns one line
/// per path that could not be moved, and how many were.
pub fn move_legacy(db: &mut crate::store::Store, store: &PhotoStore) -> crate::store::Result<(usize, Vec<String>)> {
    // Once per file: a path that could not be moved stays listed (doctor, photo
    // list) for the user to add, and is never read again by itself.
    if db.photo_paths_settled()? {
        return Ok((0, Vec::new()));
    }
    let mut moved = 0;
    let mut left_lines = Vec::new();
    for (session_id, paths) in db.legacy_photo_paths()? {
        let mut records = Vec::new();
        let mut left = Vec::new();
        for path in paths {
            match inspect(&expand_home(&path)) {
                Ok(photo) if store.put(&photo).is_ok() => {
                    records.push(Pending { area: None, photo: Arc::new(photo) }.record())
                }
                Ok(_) => {
                    left_lines.push(format!(
                        "session #{session_id}: {path} could not be copied into {}",
                        store.dir().display()
                    ));
                    left.push(path);
                }
                Err(e) => {
                    left_lines.push(format!("session #{session_id}: {e}"));
                    left.push(path);
                }
            }
        }
        moved += records.len();
        db.settle_legacy_photos(session_id, &records, &left)?;
    }
    db.settle_photo_paths()?;
    Ok((moved, left_lines))
}

/// The folder as a copy to or from a server sees it (`needlelog db copy`).
impl crate::store::server::Pictures for PhotoStore {
    fn listed(&self) -> Vec<(String, PhotoFormat)> {
        self.files().into_iter().map(|(hash, format, _)| (hash, format)).collect()
    }

    fn read(&self, hash: &str, format: PhotoFormat) -> std::io::Result<Vec<u8>> {
        let bytes = std::fs::read(self.path_of(hash, format))?;
        if intake::hash_of(&bytes) != hash {
            return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, "the picture does not match its name"));
        }
        Ok(bytes)
    }

    fn keep(&self, hash: &str, format: PhotoFormat, bytes: &[u8]) -> std::io::Result<()> {
        if intake::hash_of(bytes) != hash {
            return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, "the picture does not match its name"));
        }
        self.keep_bytes(hash, format, bytes).map(|_| ())
    }
}
