//! Parsing `parity.toml`. Unknown keys are an error (a typo must not silently
//! disable an accepted difference), and every message names the file.

use std::path::Path;

use schema_parity_strategies::Generator;
use serde::Deserialize;

use crate::error::{Error, Result};
use crate::finding::{Category, Finding};

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Tables left out of every check.
    #[serde(default)]
    pub skip_tables: Vec<String>,
    /// Per-column declared mappings and value generators.
    #[serde(default, rename = "column")]
    pub columns: Vec<ColumnRule>,
    /// Accepted differences, each with its reason.
    #[serde(default, rename = "accept")]
    pub accepts: Vec<AcceptRule>,
    /// Mapping caveats (severity warning) fail the run too (`--strict`).
    #[serde(default)]
    pub strict: bool,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnRule {
    pub table: String,
    pub column: String,
    /// The PostgreSQL type this column maps to, declared intentionally
    /// (e.g. `TIMESTAMPTZ` for a TEXT column holding ISO timestamps).
    pub postgres_type: Option<String>,
    /// A realistic value generator (see `Generator::ALL`): most of the
    /// column's generated values are its, where the column holds them.
    pub generator: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AcceptRule {
    /// A table name, or `*` for every table.
    pub table: String,
    pub column: Option<String>,
    pub category: String,
    pub reason: String,
    /// Which check (default: any).
    pub check: Option<String>,
}

impl Config {
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Self::parse(&text, path)
    }

    pub fn parse(text: &str, path: &Path) -> Result<Self> {
        let err = |message: String| Error::Config {
            path: path.to_path_buf(),
            message,
        };
        let mut cfg: Config = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
            err(match line {
                Some(l) => format!("line {l}: {}", e.message()),
                None => e.message().to_string(),
            })
        })?;
        for a in &mut cfg.accepts {
            a.table = a.table.to_lowercase();
            a.column = a.column.as_ref().map(|c| c.to_lowercase());
            if Category::parse(&a.category).is_none() {
                return Err(err(format!(
                    "[[accept]] for table {}: unknown category `{}` (one of: {})",
                    a.table,
                    a.category,
                    Category::ALL.map(Category::name).join(", ")
                )));
            }
            if a.reason.trim().is_empty() {
                return Err(err(format!(
                    "[[accept]] for table {}: `reason` must say why the difference is accepted",
                    a.table
                )));
            }
            if let Some(c) = &a.check
                && crate::finding::CheckKind::parse(c).is_none()
            {
                return Err(err(format!(
                    "[[accept]] for table {}: unknown check `{c}`",
                    a.table
                )));
            }
        }
        for c in &mut cfg.columns {
            c.table = c.table.to_lowercase();
            c.column = c.column.to_lowercase();
            if let Some(g) = &c.generator
                && Generator::parse(g).is_none()
            {
                return Err(err(format!(
                    "[[column]] {}.{}: unknown generator `{g}` (one of: {})",
                    c.table,
                    c.column,
                    Generator::ALL.map(Generator::name).join(", ")
                )));
            }
        }
        cfg.skip_tables = cfg.skip_tables.iter().map(|t| t.to_lowercase()).collect();
        Ok(cfg)
    }

    pub fn skips(&self, table: &str) -> bool {
        self.skip_tables.iter().any(|t| t == table)
    }

    pub fn column_rule(&self, table: &str, column: &str) -> Option<&ColumnRule> {
        self.columns
            .iter()
            .find(|c| c.table == table && c.column == column)
    }

    /// The rule that accepts `f`, if any.
    pub fn accepting(&self, f: &Finding) -> Option<&AcceptRule> {
        self.accepts.iter().find(|a| {
            (a.table == f.table || a.table == "*")
                && a.category == f.category.name()
                && a.column
                    .as_ref()
                    .is_none_or(|c| f.columns.iter().any(|fc| fc == c))
                && a.check.as_ref().is_none_or(|c| c == f.check.name())
        })
    }

    /// Marks findings this config accepts.
    pub fn apply(&self, findings: &mut [Finding]) {
        for f in findings.iter_mut() {
            if f.accepted {
                continue; // already accepted (an engine quirk), with its own reason
            }
            if let Some(rule) = self.accepting(f) {
                f.accepted = true;
                f.reason = Some(rule.reason.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_are_errors_with_a_line() {
        let e = Config::parse("skip_tables = []\n[[accept]]\ntable = \"t\"\ncategory = \"type\"\nreason = \"x\"\ncolum = \"c\"\n", Path::new("p.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("p.toml") && e.contains("line 6") && e.contains("colum"),
            "{e}"
        );
    }

    #[test]
    fn generators_are_validated_and_the_message_lists_them() {
        let e = Config::parse(
            "[[column]]\ntable = \"t\"\ncolumn = \"c\"\ngenerator = \"e-mail\"\n",
            Path::new("p"),
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("unknown generator `e-mail`")
                && e.contains("email, name, first_name, last_name, username, url, phone, ip,")
                && e.contains("currency_code")
                && e.contains("hex"),
            "{e}"
        );
        for g in Generator::ALL {
            let ok = Config::parse(
                &format!(
                    "[[column]]\ntable = \"t\"\ncolumn = \"c\"\ngenerator = \"{}\"\n",
                    g.name()
                ),
                Path::new("p"),
            );
            assert!(ok.is_ok(), "{}", g.name());
        }
    }

    #[test]
    fn categories_and_reasons_are_validated() {
        assert!(
            Config::parse(
                "[[accept]]\ntable = \"t\"\ncategory = \"nope\"\nreason = \"x\"\n",
                Path::new("p")
            )
            .is_err()
        );
        assert!(
            Config::parse(
                "[[accept]]\ntable = \"t\"\ncategory = \"type\"\nreason = \" \"\n",
                Path::new("p")
            )
            .is_err()
        );
        let ok = Config::parse(
            "[[accept]]\ntable = \"T\"\ncolumn = \"C\"\ncategory = \"type\"\nreason = \"why\"\n",
            Path::new("p"),
        )
        .unwrap();
        assert_eq!(ok.accepts[0].table, "t");
    }
}
