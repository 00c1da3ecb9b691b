//! The registry: every behavioural property, one file each under
//! `properties/`, in the order they run and are listed (`--checks`, the
//! suite's tests, `mutate`, the benches). A new property is its file, its
//! `mod` line and its line in [`PROPERTIES`].

mod cascade;
mod constraint;
mod default;
mod round_trip;
mod sequence;

use crate::model::finding::CheckKind;

use super::property::Property;

/// The behavioural properties, in their order.
pub static PROPERTIES: &[&dyn Property] = &[
    &round_trip::RoundTrip,
    &constraint::Constraint,
    &cascade::Cascade,
    &default::Defaults,
    &sequence::Sequence,
];

/// The property that is `check`, when it is a behavioural one.
pub fn property(check: CheckKind) -> Option<&'static dyn Property> {
    PROPERTIES.iter().copied().find(|p| p.kind() == check)
}

/// Every check in the order runs and listings use: `structure`, the
/// properties, `seed_data`.
pub fn checks() -> Vec<CheckKind> {
    std::iter::once(CheckKind::Structure)
        .chain(PROPERTIES.iter().map(|p| p.kind()))
        .chain(std::iter::once(CheckKind::SeedData))
        .collect()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::model::finding::CheckKind;

    /// A `CheckKind` variant with no property in the registry (or listed
    /// twice) would be a check nothing runs.
    #[test]
    fn every_check_is_structure_seed_data_or_one_registered_property() {
        assert_eq!(super::checks(), CheckKind::ALL.to_vec());
    }

    /// What keeps `check/` free of import loops: the framework (every file
    /// of `check/` but the registry, the dispatcher and `mod.rs`) imports
    /// no property, the registry or the dispatcher, and nothing in
    /// `check/` imports `commands`, the layer above.
    #[test]
    fn the_framework_imports_no_property_and_check_imports_no_command() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/check");
        let code = |path: &Path| -> String {
            std::fs::read_to_string(path)
                .unwrap_or_default()
                .lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .collect::<Vec<_>>()
                .join("\n")
        };
        let mut files = vec![dir.clone()];
        let mut seen = 0;
        while let Some(path) = files.pop() {
            if path.is_dir() {
                files.extend(
                    std::fs::read_dir(&path)
                        .into_iter()
                        .flatten()
                        .flatten()
                        .map(|e| e.path()),
                );
                continue;
            }
            let text = code(&path);
            // (Spelled in two halves so that this file does not match.)
            let commands = concat!("crate", "::commands");
            assert!(
                !text.contains(commands),
                "{} imports {commands}",
                path.display()
            );
            let name = path.strip_prefix(&dir).unwrap_or(&path);
            let framework = name.parent() == Some(Path::new(""))
                && !["properties.rs", "jobs.rs", "mod.rs"]
                    .iter()
                    .any(|f| name == Path::new(f));
            if framework {
                seen += 1;
                for above in ["properties::", "jobs::"] {
                    assert!(!text.contains(above), "{} imports {above}", name.display());
                }
            }
        }
        assert!(
            seen > 5,
            "found {seen} framework files in {}",
            dir.display()
        );
    }
}
