//! Every file needlelog writes beside the database — exports now, reports and
//! backups later — holds health data: it is created 0600 (folders 0700) under a
//! new random name with `O_EXCL`, so no planted file or symlink is followed,
//! synced, then renamed over the target in one step. A crash leaves the old file
//! or the new one, never half of either.

use std::io::Write;
use std::path::Path;

/// Writes `bytes` to `path` as described above. The folder must exist.
pub fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_with(path, |file| file.write_all(bytes))
}

/// Writes what `fill` writes to `path` as described above, through a buffer: a
/// file of any size, never whole in memory. Nothing is left when `fill` fails.
pub fn write_from(path: &Path, fill: impl FnOnce(&mut dyn Write) -> Result<(), String>) -> Result<(), String> {
    let mut failed = None;
    write_with(path, |file| {
        let mut out = std::io::BufWriter::with_capacity(256 * 1024, file);
        match fill(&mut out) {
            Ok(()) => out.flush(),
            Err(e) => {
                failed = Some(e);
                Err(std::io::Error::other("the writing failed"))
            }
        }
    })
    .map_err(|e| failed.take().unwrap_or_else(|| e.to_string()))
}

/// Creates the folder `dir` (0700, with any missing parents) when missing.
pub fn folder(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Copies the file at `from` to `path` as described above.
pub fn copy(from: &Path, path: &Path) -> std::io::Result<()> {
    let mut source = std::fs::File::open(from)?;
    write_with(path, |file| std::io::copy(&mut source, file).map(drop))
}

/// Copies the file at `from` to a new file at `path` as described above, never
/// replacing one that is there (`AlreadyExists`): for names that must stay unique.
pub fn copy_new(from: &Path, path: &Path) -> std::io::Result<()> {
    let mut source = std::fs::File::open(from)?;
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let mut file = tempfile::Builder::new().prefix(&format!(".{name}.")).suffix(".partial").tempfile_in(folder)?;
    std::io::copy(&mut source, file.as_file_mut())?;
    file.as_file().sync_all()?;
    file.persist_noclobber(path).map_err(|e| e.error)?;
    Ok(())
}

fn write_with(path: &Path, fill: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>) -> std::io::Result<()> {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let mut file = tempfile::Builder::new().prefix(&format!(".{name}.")).suffix(".partial").tempfile_in(folder)?;
    fill(file.as_file_mut())?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// True when `a` and `b` name the same file (the same inode), whatever the paths.
pub fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (std::fs::metadata(a), std::fs::metadata(b)) {
            (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_private_whole_and_never_follow_a_planted_link() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.json");
        write(&target, b"first").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"first");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&target).unwrap().permissions().mode() & 0o777, 0o600);
            // A symlink where the old temp name was, and at the target itself: neither followed.
            let victim = dir.path().join("victim");
            std::fs::write(&victim, b"keep me").unwrap();
            std::os::unix::fs::symlink(&victim, dir.path().join("out.json.partial")).unwrap();
            std::fs::remove_file(&target).unwrap();
            std::os::unix::fs::symlink(&victim, &target).unwrap();
            write(&target, b"second").unwrap();
            assert_eq!(std::fs::read(&victim).unwrap(), b"keep me");
            assert!(!std::fs::symlink_metadata(&target).unwrap().file_type().is_symlink());
            assert_eq!(std::fs::read(&target).unwrap(), b"second");
        }
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.file_name()).collect();
        assert!(left.iter().all(|n| !n.to_string_lossy().ends_with(".partial") || n == "out.json.partial"), "{left:?}");
    }
}
