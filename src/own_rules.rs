//! Finds and reads the user's own rule files; `domain::layering` merges them.
//!
//! The folder is `--config DIR`, else `NEEDLELOG_CONFIG`, else the platform's
//! config folder (`~/.config/needlelog` on Linux). A missing folder or file means
//! no changes. A file that cannot be read or does not hold together stops the
//! command before it touches the terminal or the database.

use std::path::{Path, PathBuf};

use crate::domain::Rules;
use crate::domain::layering::{self, OwnFile, OwnKind};

/// Commented starter files, one per kind, written by `rules init`.
const STARTERS: [(OwnKind, &str); 3] = [
    (OwnKind::Protocols, include_str!("../assets/starter/protocols.toml")),
    (OwnKind::Checklists, include_str!("../assets/starter/checklists.toml")),
    (OwnKind::Depths, include_str!("../assets/starter/depths.toml")),
];

/// A file larger than this is not a rules file.
const FILE_MAX: u64 = 1 << 20;

/// The folder own rules are read from: `given` (flag or environment), else the
/// platform's config folder; `None` when there is no home to find one in.
pub fn folder(given: Option<PathBuf>) -> Option<PathBuf> {
    given.or_else(|| directories::ProjectDirs::from("", "", "needlelog").map(|d| d.config_dir().to_path_buf()))
}

/// The files of `dir` that exist, read. A folder this user may not look into
/// (another user's home) holds none of theirs.
pub fn read(dir: Option<&Path>) -> Result<Vec<OwnFile>, String> {
    let Some(dir) = dir else { return Ok(Vec::new()) };
    match std::fs::read_dir(dir) {
        Ok(_) => {}
        Err(e) if matches!(e.kind(), std::io::ErrorKind::NotFound | std::io::ErrorKind::PermissionDenied) => {
            return Ok(Vec::new());
        }
        Err(_) => {}
    }
    let mut files = Vec::new();
    for kind in OwnKind::ALL {
        let path = dir.join(kind.file_name());
        let shown = crate::text::printable(&path.display().to_string());
        let meta = match std::fs::metadata(&path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(format!("{shown}: cannot read it ({e}): check its permissions")),
        };
        if !meta.is_file() || meta.len() > FILE_MAX {
            return Err(format!("{shown}: not a rules file (a TOML file under 1 MB): move it aside"));
        }
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("{shown}: cannot read it as UTF-8 text ({e}): save it as UTF-8"))?;
        files.push(OwnFile { kind, path: shown, text });
    }
    Ok(files)
}

/// The built-in rules with the files of `dir` laid over them, for the life of
/// the process. The message of a failure names the file, line and column.
pub fn load(dir: Option<&Path>) -> Result<&'static Rules, String> {
    let files = read(dir)?;
    if files.is_empty() {
        return Ok(Rules::embedded());
    }
    let rules = layering::layer(Rules::embedded(), &files).map_err(|e| e.to_string())?;
    // One set of rules per process, read at its start.
    Ok(Box::leak(Box::new(rules)))
}

/// What `init` did with each file.
#[derive(Debug, PartialEq, Eq)]
pub enum Wrote {
    Written(PathBuf),
    Kept(PathBuf),
}

/// Writes the commented starter files into `dir` (created 0700); a file that
/// exists is kept as it is.
pub fn init(dir: &Path) -> std::io::Result<Vec<Wrote>> {
    crate::private_file::folder(dir)?;
    let mut done = Vec::new();
    for (kind, text) in STARTERS {
        let path = dir.join(kind.file_name());
        if path.exists() {
            done.push(Wrote::Kept(path));
        } else {
            crate::private_file::write(&path, text.as_bytes())?;
            done.push(Wrote::Written(path));
        }
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starters_change_nothing_until_uncommented() {
        let files: Vec<OwnFile> = STARTERS
            .iter()
            .map(|(kind, text)| OwnFile { kind: *kind, path: kind.file_name().into(), text: (*text).into() })
            .collect();
        let rules = layering::layer(Rules::embedded(), &files).unwrap();
        assert!(rules.own.as_ref().unwrap().origins.is_empty());
        assert_eq!(rules.concerns.len(), Rules::embedded().concerns.len());
    }

    #[test]
    fn uncommented_starters_hold_together() {
        for (kind, text) in STARTERS {
            let toml_line = |l: &&str| {
                l.starts_with('[')
                    || l.split_once(" = ").is_some_and(|(k, _)| k.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
            };
            let uncommented: Vec<&str> =
                text.lines().map(|l| l.strip_prefix("# ").filter(toml_line).unwrap_or(l)).collect();
            let uncommented = uncommented.join("\n");
            let file = OwnFile { kind, path: kind.file_name().into(), text: uncommented };
            let rules = layering::layer(Rules::embedded(), &[file]);
            assert!(rules.is_ok(), "{}: {:?}", kind.file_name(), rules.err());
        }
    }

    #[test]
    fn init_keeps_what_is_there() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = dir.path().join("needlelog");
        std::fs::create_dir(&cfg).unwrap();
        std::fs::write(cfg.join("depths.toml"), "# mine\n").unwrap();
        let done = init(&cfg).unwrap();
        assert_eq!(done.iter().filter(|w| matches!(w, Wrote::Written(_))).count(), 2);
        assert_eq!(std::fs::read_to_string(cfg.join("depths.toml")).unwrap(), "# mine\n");
        assert_eq!(load(Some(&cfg)).unwrap().concerns.len(), Rules::embedded().concerns.len());
    }
}
