//! How the checker treats the files it reads and writes, in one place.
//!
//! **Symlinks.** A migration that is a symbolic link is read through it when its target lies
//! inside the repository (the nearest directory above the migrations with a `.git`, else the
//! directory holding the service), as git checks such links out; a link that is broken,
//! points outside the repository, or at a directory, is an error naming it. Nothing is ever
//! silently skipped. The files the CLI writes (`checksums.lock`, `baseline.lock`) are never
//! written through a link: a link there is an error, and the file is replaced by renaming a
//! complete temporary file over it, so a reader never sees half a file.

use std::io;
use std::path::{Path, PathBuf};

/// What a directory entry that looks like a migration turned out to be.
pub enum Entry {
    /// A regular file, or a link to one inside the repository: read this path.
    File(PathBuf),
    /// Not readable as a migration: why, for an error at that path.
    Refused(String),
}

/// The repository a migrations directory belongs to: where links may point.
pub fn repository_root(migrations_dir: &Path) -> PathBuf {
    let dir = migrations_dir
        .canonicalize()
        .unwrap_or_else(|_| migrations_dir.to_path_buf());
    dir.ancestors()
        .find(|a| a.join(".git").exists())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| {
            // No repository: the service's parent (the services root) bounds it.
            dir.parent()
                .and_then(Path::parent)
                .unwrap_or(&dir)
                .to_path_buf()
        })
}

/// Classifies the entry `path` of a migrations directory whose repository is `root`.
pub fn migration_entry(path: &Path, root: &Path) -> Entry {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) => return Entry::Refused(format!("cannot read it: {e}")),
    };
    if meta.is_dir() {
        return Entry::Refused(
            "it is a directory, not a migration file: rename it so it does not end in `.sql`"
                .into(),
        );
    }
    if !meta.file_type().is_symlink() {
        return Entry::File(path.to_path_buf());
    }
    let target = match path.canonicalize() {
        Ok(t) => t,
        Err(e) => {
            return Entry::Refused(format!(
                "it is a symbolic link whose target cannot be read ({e}): fix or remove the link"
            ))
        }
    };
    if !target.starts_with(root) {
        return Entry::Refused(format!(
            "it is a symbolic link to `{}`, outside the repository `{}`: migrations are read only from inside it; copy the file in instead",
            target.display(),
            root.display()
        ));
    }
    if target.is_dir() {
        return Entry::Refused(
            "it is a symbolic link to a directory, not to a migration file".into(),
        );
    }
    Entry::File(target)
}

/// Writes `text` to `path` without following a link there: a link is an error; otherwise a
/// temporary file beside it is written completely and renamed over it.
pub fn write_replacing(path: &Path, text: &str) -> io::Result<()> {
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "`{}` is a symbolic link; checked-query does not write through links: replace it with a regular file",
                path.display()
            ),
        ));
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn scratch(label: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("cq-files-{label}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(d.join(".git")).unwrap();
        d
    }

    #[test]
    fn links_inside_the_repository_are_read_and_others_refused() {
        let root = scratch("links");
        let migrations = root.join("svc/migrations");
        std::fs::create_dir_all(&migrations).unwrap();
        std::fs::write(root.join("shared.sql"), "SELECT 1;").unwrap();
        std::os::unix::fs::symlink(root.join("shared.sql"), migrations.join("001_a.sql")).unwrap();
        std::os::unix::fs::symlink("/etc/hostname", migrations.join("002_b.sql")).unwrap();
        std::os::unix::fs::symlink(root.join("missing.sql"), migrations.join("003_c.sql")).unwrap();
        std::fs::create_dir(migrations.join("004_d.sql")).unwrap();
        let repo = repository_root(&migrations);
        assert_eq!(repo, root.canonicalize().unwrap());
        assert!(
            matches!(migration_entry(&migrations.join("001_a.sql"), &repo), Entry::File(p) if p.ends_with("shared.sql"))
        );
        for (name, why) in [
            ("002_b.sql", "outside the repository"),
            ("003_c.sql", "cannot be read"),
            ("004_d.sql", "is a directory"),
        ] {
            match migration_entry(&migrations.join(name), &repo) {
                Entry::Refused(m) => assert!(m.contains(why), "{name}: {m}"),
                Entry::File(_) => panic!("{name} was accepted"),
            }
        }
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn nothing_is_written_through_a_link() {
        let root = scratch("write");
        let victim = root.join("victim.txt");
        std::fs::write(&victim, "keep").unwrap();
        let lock = root.join("checksums.lock");
        std::os::unix::fs::symlink(&victim, &lock).unwrap();
        let e = write_replacing(&lock, "x").unwrap_err();
        assert!(e.to_string().contains("symbolic link"), "{e}");
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
        std::fs::remove_file(&lock).unwrap();
        write_replacing(&lock, "new").unwrap();
        assert_eq!(std::fs::read_to_string(&lock).unwrap(), "new");
        let _ = std::fs::remove_dir_all(&root);
    }
}
