//! Which `parity.toml` a run reads when none is named: the one that belongs
//! to its inputs. The search starts at the inputs' nearest common folder
//! and goes upward, stopping at the repository root (a folder holding
//! `.git`, a directory or a worktree's file) or, outside any repository, at
//! the filesystem root. The current directory plays no part: run from one
//! project against another's folders, the first project's accepts (say a
//! wildcard) must not hide the second one's differences.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

use super::FILE_NAME;

/// The `parity.toml` nearest to `inputs` (each a file or a folder), or
/// `None`: see the module documentation. An input that cannot be resolved
/// (it does not exist) is an error naming it.
pub fn find(inputs: &[&Path]) -> Result<Option<PathBuf>> {
    let mut folders = Vec::with_capacity(inputs.len());
    for input in inputs {
        let path = std::fs::canonicalize(input).map_err(|source| Error::Read {
            path: input.to_path_buf(),
            source,
        })?;
        let folder = match path.parent() {
            Some(parent) if !path.is_dir() => parent.to_path_buf(),
            _ => path,
        };
        folders.push(folder);
    }
    let Some(start) = common_folder(&folders) else {
        return Ok(None);
    };
    Ok(search_upward(&start))
}

/// The deepest folder every one of `folders` (absolute) is in.
fn common_folder(folders: &[PathBuf]) -> Option<PathBuf> {
    let (first, rest) = folders.split_first()?;
    let mut common = first.clone();
    while !rest.iter().all(|f| f.starts_with(&common)) {
        if !common.pop() {
            return None;
        }
    }
    Some(common)
}

/// `parity.toml` in `start` or the folders above it, up to and including
/// the repository root.
fn search_upward(start: &Path) -> Option<PathBuf> {
    for folder in start.ancestors() {
        let candidate = folder.join(FILE_NAME);
        if candidate.is_file() {
            return Some(candidate);
        }
        if folder.join(".git").exists() {
            return None;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(path: &Path) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, "").unwrap();
    }

    #[test]
    fn the_common_folder_is_the_deepest_one_holding_every_input() {
        let p = |s: &str| PathBuf::from(s);
        assert_eq!(
            common_folder(&[p("/a/b/sqlite"), p("/a/b/pg")]),
            Some(p("/a/b"))
        );
        assert_eq!(common_folder(&[p("/a/b"), p("/a/b")]), Some(p("/a/b")));
        assert_eq!(common_folder(&[p("/a/b/c"), p("/a/bc")]), Some(p("/a")));
        assert_eq!(common_folder(&[p("/x"), p("/y")]), Some(p("/")));
    }

    #[test]
    fn the_nearest_file_above_the_inputs_is_found() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().canonicalize().unwrap();
        touch(&root.join("proj/.git"));
        touch(&root.join("proj/parity.toml"));
        touch(&root.join("proj/db/sqlite/001_a.sql"));
        touch(&root.join("proj/db/pg/001_a.sql"));
        let (sq, pg) = (root.join("proj/db/sqlite"), root.join("proj/db/pg"));
        assert_eq!(
            find(&[&sq, &pg]).unwrap(),
            Some(root.join("proj/parity.toml"))
        );
        // Nearer wins; a file input counts as its folder.
        touch(&root.join("proj/db/parity.toml"));
        assert_eq!(
            find(&[&sq.join("001_a.sql"), &pg]).unwrap(),
            Some(root.join("proj/db/parity.toml"))
        );
    }

    #[test]
    fn the_search_stops_at_the_repository_root() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().canonicalize().unwrap();
        touch(&root.join("parity.toml"));
        // A worktree's `.git` is a file: it bounds the repository too.
        touch(&root.join("proj/.git"));
        std::fs::create_dir_all(root.join("proj/sqlite")).unwrap();
        std::fs::create_dir_all(root.join("proj/pg")).unwrap();
        let found = find(&[&root.join("proj/sqlite"), &root.join("proj/pg")]).unwrap();
        assert_eq!(found, None);
    }

    #[test]
    fn a_missing_input_is_named() {
        let e = find(&[Path::new("/nonexistent/sqlite")])
            .unwrap_err()
            .to_string();
        assert!(e.contains("/nonexistent/sqlite"), "{e}");
    }
}
