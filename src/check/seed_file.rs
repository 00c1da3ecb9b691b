//! The suite's proptest seed files (`Plan::failure_seeds`): the seed of
//! every failing case, replayed first on the next run. The format is
//! proptest's own (`FileFailurePersistence`: a comment header, then one
//! `cc <seed> # shrinks to <value>` line per failure), so existing files
//! keep working; unlike proptest's, this writer prints nothing (proptest's
//! says "Saving this and future failures in …" on stderr at every failure).
//! A file that cannot be written fails the property (see [`SeedFile::error`]).

use std::any::Any;
use std::fmt::Debug;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use proptest::test_runner::{FailurePersistence, PersistedSeed};

use crate::error::Error;

/// proptest's header of a new seed file.
const HEADER: &str = "\
# Seeds for failure cases proptest has generated in the past. It is
# automatically read and these particular cases re-run before any
# novel cases are generated.
#
# It is recommended to check this file in to source control so that
# everyone who runs the test benefits from these saved cases.
";

/// One property's seed file.
#[derive(Debug, Clone)]
pub struct SeedFile {
    path: PathBuf,
    /// The first write that failed (shared by the runner's clones).
    failed: Arc<Mutex<Option<String>>>,
}

impl SeedFile {
    pub fn new(path: PathBuf) -> Self {
        SeedFile {
            path,
            failed: Arc::new(Mutex::new(None)),
        }
    }

    /// The error of a save that failed, if one did.
    pub fn error(&self) -> Option<Error> {
        let failed = self.failed.lock().unwrap_or_else(PoisonError::into_inner);
        failed.as_ref().map(|message| Error::Write {
            path: self.path.clone(),
            source: std::io::Error::other(message.clone()),
        })
    }

    fn append(&self, line: &str) -> std::io::Result<()> {
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let new = !self.path.is_file();
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .open(&self.path)?;
        let text = if new {
            format!("{HEADER}{line}")
        } else {
            line.to_string()
        };
        file.write_all(text.as_bytes())
    }
}

/// The seeds of a seed file's text; lines that hold none (comments, blank
/// or unreadable lines) are skipped.
fn seeds(text: &str) -> Vec<PersistedSeed> {
    text.lines()
        .filter_map(|line| {
            let line = line.split_once('#').map_or(line, |(seed, _)| seed).trim();
            line.parse().ok()
        })
        .collect()
}

/// A seed's line: the seed, then the shrunk value on one line.
fn line(seed: &PersistedSeed, value: &dyn Debug) -> String {
    let value = format!("{value:?}").replace(['\n', '\r'], " ");
    format!("{seed} # shrinks to {value}\n")
}

impl FailurePersistence for SeedFile {
    fn load_persisted_failures2(&self, _source_file: Option<&'static str>) -> Vec<PersistedSeed> {
        // A missing file is the usual case; an unreadable one replays nothing.
        std::fs::read_to_string(&self.path)
            .map(|text| seeds(&text))
            .unwrap_or_default()
    }

    fn save_persisted_failure2(
        &mut self,
        _source_file: Option<&'static str>,
        seed: PersistedSeed,
        shrunken_value: &dyn Debug,
    ) {
        if let Err(e) = self.append(&line(&seed, shrunken_value)) {
            let mut failed = self.failed.lock().unwrap_or_else(PoisonError::into_inner);
            failed.get_or_insert_with(|| e.to_string());
        }
    }

    fn box_clone(&self) -> Box<dyn FailurePersistence> {
        Box::new(self.clone())
    }

    fn eq(&self, other: &dyn FailurePersistence) -> bool {
        other
            .as_any()
            .downcast_ref::<Self>()
            .is_some_and(|o| o.path == self.path)
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// The seed file of (table, check, part) in `dir`.
pub fn path(dir: &Path, table: &str, check: &str, salt: &str) -> PathBuf {
    dir.join(match salt {
        "" => format!("{table}.{check}.txt"),
        _ => format!("{table}.{check}.{salt}.txt"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_are_read_back_as_written_and_other_lines_skipped() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("deep/t.round_trip.txt");
        let mut seeds_file = SeedFile::new(file.clone());
        let seed: PersistedSeed = format!("cc {}1", "0".repeat(63)).parse().unwrap();
        seeds_file.save_persisted_failure2(None, seed.clone(), &"two\nlines");
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(text.starts_with("# Seeds for failure cases"), "{text}");
        assert!(text.ends_with("# shrinks to \"two\\nlines\"\n"), "{text}");
        std::fs::write(&file, format!("{text}not a seed\n\n")).unwrap();
        assert_eq!(seeds_file.load_persisted_failures2(None), vec![seed]);
        assert!(seeds_file.error().is_none());
    }

    #[test]
    fn a_failed_save_is_an_error_naming_the_file() {
        let tmp = tempfile::tempdir().unwrap();
        // A folder where the file should be: it cannot be appended to.
        let file = tmp.path().join("t.txt");
        std::fs::create_dir(&file).unwrap();
        let mut seeds_file = SeedFile::new(file.clone());
        let seed: PersistedSeed = format!("cc {}1", "0".repeat(63)).parse().unwrap();
        seeds_file.save_persisted_failure2(None, seed, &1);
        let e = seeds_file
            .error()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("t.txt"), "{e}");
    }
}
