//! A pristine data directory per PostgreSQL installation, kept in the
//! user's cache: `initdb` costs 0.5–1 s of every run on a 2-core machine,
//! copying the directory it made 0.06–0.1 s (DESIGN.md, "PostgreSQL: how a
//! run gets one"). The first run on an installation stores what its
//! `initdb` made, before the server ever starts on it; later runs copy
//! that into their own temp dir instead of running `initdb`. Only a server's
//! files are cached, never a server: each run still starts and removes
//! its own.
//!
//! An entry is named by the installation (the `initdb` and `postgres`
//! binaries' paths, sizes and times) and `initdb`'s arguments, so a new
//! PostgreSQL or other arguments make a new entry. It is written under a
//! temporary name and renamed whole, so a run killed while storing leaves
//! no entry a later run would take (its partial copy is swept by a later
//! store, as is an entry no run has used for a month: an installation
//! upgraded or gone). The cache is a shortcut only: when it cannot be read or
//! written, the run runs `initdb` as before and says nothing.
//!
//! `PARITY_PG_CACHE` moves it (a directory) or turns it off (`off`); the
//! default is `schema-parity` in the user's cache directory
//! (`$XDG_CACHE_HOME`, else `~/.cache`).

use std::hash::{Hash, Hasher};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use etcetera::BaseStrategy;

/// Bumped when what an entry holds changes meaning.
const FORMAT: u32 = 1;

/// A partial copy older than this is a killed run's: a store sweeps it.
const ABANDONED: Duration = Duration::from_secs(3600);

/// An entry no run restored for this long is an installation that is gone
/// or was upgraded (its binaries' times changed): a store sweeps it.
const UNUSED: Duration = Duration::from_secs(30 * 24 * 3600);

/// The cache's directory: `PARITY_PG_CACHE`, else the user's cache
/// directory's `schema-parity`; None when it is off or there is no home.
pub fn root() -> Option<PathBuf> {
    match std::env::var_os("PARITY_PG_CACHE") {
        Some(v) if v == "off" => None,
        Some(v) if !v.is_empty() => Some(PathBuf::from(v)),
        _ => etcetera::choose_base_strategy()
            .ok()
            .map(|s| s.cache_dir().join("schema-parity")),
    }
}

/// An installation's entry in the cache at `root`.
pub struct Entry {
    path: PathBuf,
}

impl Entry {
    /// The entry for the binaries in `bin` run with `args`; None when
    /// they cannot be read.
    pub fn new(root: &Path, bin: &Path, args: &[&str]) -> Option<Self> {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        FORMAT.hash(&mut h);
        for exe in ["initdb", "postgres"] {
            let path = std::fs::canonicalize(bin.join(exe)).ok()?;
            let meta = std::fs::metadata(&path).ok()?;
            path.hash(&mut h);
            meta.len().hash(&mut h);
            meta.modified().ok()?.hash(&mut h);
        }
        args.hash(&mut h);
        Some(Entry {
            path: root.join(format!("initdb-{:016x}", h.finish())),
        })
    }

    /// Copies the entry to `data` (which must not exist), its files owned
    /// by `owner` (uid, gid) when given; whether it did. A failed copy
    /// leaves no `data`.
    pub fn restore(&self, data: &Path, owner: Option<(u32, u32)>) -> bool {
        if !self.path.join("PG_VERSION").is_file() {
            return false;
        }
        match copy_tree(&self.path, data, owner) {
            Ok(()) => {
                // Used now: a store sweeps only entries unused for long.
                let _ = std::fs::File::open(&self.path)
                    .and_then(|dir| dir.set_modified(SystemTime::now()));
                true
            }
            Err(_) => {
                let _ = std::fs::remove_dir_all(data);
                false
            }
        }
    }

    /// Keeps a copy of `data`, a directory `initdb` just made, unless the
    /// entry exists; errors are ignored (the next run tries again).
    pub fn store(&self, data: &Path) {
        let Some(root) = self.path.parent() else {
            return;
        };
        if self.path.exists() || !data.join("PG_VERSION").is_file() {
            return;
        }
        if std::fs::create_dir_all(root).is_err() {
            return;
        }
        let _ = std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o700));
        sweep(root);
        let Ok(partial) = tempfile::Builder::new()
            .prefix(".partial-")
            .tempdir_in(root)
        else {
            return;
        };
        let copy = partial.path().join("data");
        if copy_tree(data, &copy, None).is_ok() {
            // Another run may have stored it meanwhile: either copy is
            // the same, and the rename then fails harmlessly.
            let _ = std::fs::rename(&copy, &self.path);
        }
    }

    /// Removes the entry (a server would not start on a copy of it).
    pub fn forget(&self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Removes partial copies that killed runs left in `root`, and entries
/// no run has used for a month.
fn sweep(root: &Path) {
    let Ok(entries) = std::fs::read_dir(root) else {
        return;
    };
    for e in entries.flatten() {
        let age = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| SystemTime::now().duration_since(t).ok())
            .unwrap_or_default();
        let name = e.file_name().to_string_lossy().into_owned();
        let gone = (name.starts_with(".partial-") && age > ABANDONED)
            || (name.starts_with("initdb-") && age > UNUSED);
        if gone {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// Copies the directory `from` to `to` (created), files and directories
/// with their permission bits, owned by `owner` when given. A data
/// directory `initdb` made holds only those: anything else (a symlink,
/// e.g. a WAL directory elsewhere) is an error.
fn copy_tree(from: &Path, to: &Path, owner: Option<(u32, u32)>) -> std::io::Result<()> {
    let meta = std::fs::symlink_metadata(from)?;
    std::fs::create_dir(to)?;
    std::fs::set_permissions(to, meta.permissions())?;
    chown(to, owner)?;
    for e in std::fs::read_dir(from)? {
        let e = e?;
        let (src, dst) = (e.path(), to.join(e.file_name()));
        let kind = e.file_type()?;
        if kind.is_dir() {
            copy_tree(&src, &dst, owner)?;
        } else if kind.is_file() {
            std::fs::copy(&src, &dst)?;
            chown(&dst, owner)?;
        } else {
            return Err(std::io::Error::other(format!(
                "{} is neither a file nor a directory",
                src.display()
            )));
        }
    }
    Ok(())
}

fn chown(path: &Path, owner: Option<(u32, u32)>) -> std::io::Result<()> {
    match owner {
        Some((uid, gid)) => std::os::unix::fs::chown(path, Some(uid), Some(gid)),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fake_data(dir: &Path) -> PathBuf {
        let data = dir.join("data");
        std::fs::create_dir(&data).unwrap();
        std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o700)).unwrap();
        std::fs::write(data.join("PG_VERSION"), "15\n").unwrap();
        std::fs::create_dir(data.join("base")).unwrap();
        std::fs::write(data.join("base").join("1"), "x").unwrap();
        std::fs::set_permissions(
            data.join("base").join("1"),
            std::fs::Permissions::from_mode(0o600),
        )
        .unwrap();
        data
    }

    fn entry(root: &Path) -> Entry {
        Entry {
            path: root.join("initdb-test"),
        }
    }

    #[test]
    fn a_stored_directory_comes_back_with_its_files_and_modes() {
        let tmp = tempfile::tempdir().unwrap();
        let data = fake_data(tmp.path());
        let e = entry(&tmp.path().join("cache"));
        let restored = tmp.path().join("restored");
        assert!(!e.restore(&restored, None), "nothing stored yet");
        assert!(!restored.exists());
        e.store(&data);
        assert!(e.restore(&restored, None));
        assert_eq!(
            std::fs::read_to_string(restored.join("PG_VERSION")).unwrap(),
            "15\n"
        );
        assert_eq!(std::fs::read(restored.join("base/1")).unwrap(), b"x");
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&restored), 0o700);
        assert_eq!(mode(&restored.join("base/1")), 0o600);
        // No partial copy is left beside the entry.
        let names: Vec<String> = std::fs::read_dir(tmp.path().join("cache"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["initdb-test"]);
    }

    #[test]
    fn an_entry_without_pg_version_or_with_a_symlink_is_not_taken() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("cache");
        let e = entry(&root);
        // A directory that is not a data directory is not stored ...
        let not_data = tmp.path().join("not-data");
        std::fs::create_dir(&not_data).unwrap();
        e.store(&not_data);
        assert!(!e.path().exists());
        // ... and an entry holding a symlink is not restored, nor left
        // half-copied.
        std::fs::create_dir_all(&root).unwrap();
        copy_tree(&fake_data(tmp.path()), e.path(), None).unwrap();
        std::os::unix::fs::symlink("/nonexistent", e.path().join("pg_wal")).unwrap();
        let restored = tmp.path().join("restored");
        assert!(!e.restore(&restored, None));
        assert!(!restored.exists(), "a failed restore leaves nothing");
    }

    #[test]
    fn a_store_sweeps_entries_unused_for_a_month_and_abandoned_copies() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("cache");
        let long_ago = SystemTime::now() - UNUSED - Duration::from_secs(60);
        let made = |name: &str, when: SystemTime| {
            let dir = root.join(name);
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::File::open(&dir)
                .unwrap()
                .set_modified(when)
                .unwrap();
        };
        made("initdb-old", long_ago);
        made("initdb-recent", SystemTime::now());
        made(
            ".partial-killed",
            SystemTime::now() - ABANDONED - Duration::from_secs(60),
        );
        made(".partial-running", SystemTime::now());
        made("venv", long_ago);
        // Restoring an old entry makes it recent.
        let used = Entry {
            path: root.join("initdb-used"),
        };
        copy_tree(&fake_data(tmp.path()), used.path(), None).unwrap();
        std::fs::File::open(used.path())
            .unwrap()
            .set_modified(long_ago)
            .unwrap();
        assert!(used.restore(&tmp.path().join("restored"), None));
        entry(&root).store(&fake_data(&tmp.path().join("restored")));
        let mut names: Vec<String> = std::fs::read_dir(&root)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                ".partial-running",
                "initdb-recent",
                "initdb-test",
                "initdb-used",
                "venv"
            ]
        );
    }

    #[test]
    fn entries_differ_by_arguments() {
        let tmp = tempfile::tempdir().unwrap();
        let bin = tmp.path();
        for exe in ["initdb", "postgres"] {
            std::fs::write(bin.join(exe), exe).unwrap();
        }
        let a = Entry::new(tmp.path(), bin, &["-E", "UTF8"]).unwrap();
        let b = Entry::new(tmp.path(), bin, &["-E", "SQL_ASCII"]).unwrap();
        let a2 = Entry::new(tmp.path(), bin, &["-E", "UTF8"]).unwrap();
        assert_ne!(a.path(), b.path());
        assert_eq!(a.path(), a2.path());
        assert!(Entry::new(tmp.path(), &tmp.path().join("none"), &[]).is_none());
    }
}
