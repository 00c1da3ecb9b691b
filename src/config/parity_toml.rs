//! What `parity.toml` says, parsed and validated: [`Config`] with its
//! [`AcceptRule`]s and [`ColumnRule`]s. Unknown keys are an error (a typo
//! must not silently disable an accepted difference), and every message
//! names the file.

use std::path::Path;

use schema_parity_strategies::Generator;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::finding::{Category, Finding};

/// What an error about rules naming unknown tables ends with.
const ANOTHER_PAIR: &str = "is this parity.toml for another pair? pass --config";

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
    /// Shrinking steps a failing case gets before its witness is taken as
    /// it is (`None`: the checks' own default; 0: no shrinking).
    #[serde(default)]
    pub max_shrink_iters: Option<u32>,
    /// Seconds a failing case may spend shrinking (`None`: the checks' own
    /// default; 0: no time limit).
    #[serde(default)]
    pub max_shrink_secs: Option<u64>,
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

/// An `[[accept]]` block. Serialized as the report lists an unused one
/// (`inputs.unused_accepts`), with the keys it has in the file.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AcceptRule {
    /// A table name, or `*` for every table.
    pub table: String,
    pub column: Option<String>,
    /// Which check (default: any).
    pub check: Option<String>,
    pub category: String,
    pub reason: String,
}

/// The rule's keys as the file spells them, reason aside:
/// `table = "t", column = "c", check = "structure", category = "type"`.
impl std::fmt::Display for AcceptRule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "table = {:?}", self.table)?;
        if let Some(c) = &self.column {
            write!(f, ", column = {c:?}")?;
        }
        if let Some(c) = &self.check {
            write!(f, ", check = {c:?}")?;
        }
        write!(f, ", category = {:?}", self.category)
    }
}

impl AcceptRule {
    /// Whether this rule accepts `f`.
    pub fn matches(&self, f: &Finding) -> bool {
        (self.table == f.table || self.table == "*")
            && self.category == f.category.name()
            && self
                .column
                .as_ref()
                .is_none_or(|c| f.columns.iter().any(|fc| fc == c))
            && self.check.as_ref().is_none_or(|c| c == f.check.name())
    }
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
                && crate::model::finding::CheckKind::parse(c).is_none()
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
        self.accepts.iter().find(|a| a.matches(f))
    }

    /// The accept rules among `judged` that match none of `seen`: listed
    /// in the report as unused (they fail nothing). `judged` says which
    /// rules this run could have matched at all (their table and check were
    /// in it), so that `--only` or `--checks` do not make the others look
    /// unused.
    pub fn unused_accepts<'a>(
        &self,
        seen: impl IntoIterator<Item = &'a Finding>,
        judged: impl Fn(&AcceptRule) -> bool,
    ) -> Vec<AcceptRule> {
        let mut unused: Vec<&AcceptRule> = self.accepts.iter().filter(|a| judged(a)).collect();
        for f in seen {
            unused.retain(|a| !a.matches(f));
        }
        unused.into_iter().cloned().collect()
    }

    /// Every rule naming a table `known` does not know, as the file spells
    /// it (`[[accept]] table = "t"`), in file order; `*` is every table.
    pub fn unknown_tables(&self, known: impl Fn(&str) -> bool) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut note = |rule: String| {
            if !out.contains(&rule) {
                out.push(rule);
            }
        };
        for t in self.skip_tables.iter().filter(|t| !known(t)) {
            note(format!("skip_tables `{t}`"));
        }
        for c in self.columns.iter().filter(|c| !known(&c.table)) {
            note(format!("[[column]] `{}.{}`", c.table, c.column));
        }
        for a in self
            .accepts
            .iter()
            .filter(|a| a.table != "*" && !known(&a.table))
        {
            note(format!("[[accept]] table `{}`", a.table));
        }
        out
    }

    /// Fails when a rule names a table neither schema has (`known` says
    /// which tables they have): such a config was most likely written for
    /// another pair, and its rules would silently apply to nothing.
    /// `path` is the file the rules came from, for the message.
    pub fn check_tables(&self, path: &Path, known: impl Fn(&str) -> bool) -> Result<()> {
        let unknown = self.unknown_tables(known);
        if unknown.is_empty() {
            return Ok(());
        }
        Err(Error::Config {
            path: path.to_path_buf(),
            message: format!(
                "{} {} neither schema has; {ANOTHER_PAIR}",
                unknown.join(", "),
                if unknown.len() == 1 {
                    "names a table"
                } else {
                    "name tables"
                }
            ),
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
    fn rules_naming_unknown_tables_are_refused_and_wildcards_are_not() {
        let cfg = Config::parse(
            "skip_tables = [\"gone\", \"t\"]\n\
             [[column]]\ntable = \"old\"\ncolumn = \"c\"\ngenerator = \"email\"\n\
             [[accept]]\ntable = \"*\"\ncategory = \"other\"\nreason = \"x\"\n\
             [[accept]]\ntable = \"Other\"\ncategory = \"type\"\nreason = \"x\"\n",
            Path::new("p.toml"),
        )
        .unwrap();
        let known = |t: &str| t == "t";
        assert_eq!(
            cfg.unknown_tables(known),
            [
                "skip_tables `gone`",
                "[[column]] `old.c`",
                "[[accept]] table `other`"
            ]
        );
        let e = cfg
            .check_tables(Path::new("p.toml"), known)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("p.toml")
                && e.contains("`old.c`")
                && e.contains("is this parity.toml for another pair? pass --config"),
            "{e}"
        );
        assert!(cfg.check_tables(Path::new("p.toml"), |_| true).is_ok());
    }

    #[test]
    fn an_accept_matching_no_finding_is_unused() {
        let cfg = Config::parse(
            "[[accept]]\ntable = \"t\"\ncolumn = \"c\"\ncategory = \"type\"\nreason = \"used\"\n\
             [[accept]]\ntable = \"t\"\ncolumn = \"d\"\ncategory = \"type\"\nreason = \"unused\"\n\
             [[accept]]\ntable = \"u\"\ncategory = \"type\"\nreason = \"out of the run\"\n",
            Path::new("p"),
        )
        .unwrap();
        let f = Finding::new(
            crate::model::finding::CheckKind::Structure,
            Category::Type,
            "t",
            &["c"],
            "",
        );
        let unused = cfg.unused_accepts([&f], |a| a.table != "u");
        let reasons: Vec<&str> = unused.iter().map(|a| a.reason.as_str()).collect();
        assert_eq!(reasons, ["unused"]);
        assert_eq!(
            unused[0].to_string(),
            "table = \"t\", column = \"d\", category = \"type\""
        );
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
