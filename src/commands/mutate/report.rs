//! The mutation report: per operator and overall — mutants, killed,
//! survived (each with its SQL), equivalent, not applicable, and killed by
//! the behavioural checks alone. Rendered as text, JSON or Markdown.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::time::Duration;

use serde::Serialize;

use super::operators::{Mutant, Operator};

/// How a mutant ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Killed,
    Survived,
    /// No observable difference is possible (the reason is in `note`).
    Equivalent,
    /// The change could not be applied to this database (e.g. seed rows violate it).
    NotApplicable,
}

/// What one mutant's check run showed.
#[derive(Debug, Clone, Serialize)]
pub struct MutantResult {
    pub mutant: Mutant,
    pub status: Status,
    pub killed_by_structure: bool,
    pub killed_by_behaviour: bool,
    /// Ids of the findings that killed it.
    pub findings: Vec<String>,
    pub note: Option<String>,
    pub millis: u64,
}

impl MutantResult {
    /// Killed or survived, and not a mutant whose behaviour provably
    /// cannot differ (its operator's equivalence note), unless the
    /// behavioural checks killed it all the same.
    fn can_change_behaviour(&self) -> bool {
        matches!(self.status, Status::Killed | Status::Survived)
            && (self.mutant.equivalent.is_none() || self.killed_by_behaviour)
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct OperatorStats {
    pub mutants: usize,
    pub killed: usize,
    pub survived: usize,
    pub equivalent: usize,
    pub not_applicable: usize,
    /// Killed by the behavioural checks (structure not needed).
    pub killed_by_behaviour: usize,
    /// Killed or survived, and able to change what data does: not a mutant
    /// whose behaviour provably cannot differ (a structural difference in
    /// text only, e.g. case folding on a column whose CHECK admits one case)
    /// — unless the behavioural checks killed it anyway, which disproves
    /// the claim.
    pub behaviour_killable: usize,
    /// Whether the operator can change what data does (else behaviour
    /// cannot be expected to kill it).
    pub changes_behaviour: bool,
}

impl OperatorStats {
    fn add(&mut self, r: &MutantResult) {
        self.mutants += 1;
        match r.status {
            Status::Killed => self.killed += 1,
            Status::Survived => self.survived += 1,
            Status::Equivalent => self.equivalent += 1,
            Status::NotApplicable => self.not_applicable += 1,
        }
        if r.killed_by_behaviour {
            self.killed_by_behaviour += 1;
        }
        if r.can_change_behaviour() {
            self.behaviour_killable += 1;
        }
    }

    /// Mutants that could be killed: neither equivalent nor inapplicable.
    pub fn killable(&self) -> usize {
        self.killed + self.survived
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct MutationReport {
    pub schema_version: u32,
    pub available: usize,
    pub cases: u32,
    pub duration_ms: u64,
    pub ms_per_mutant: f64,
    pub overall: OperatorStats,
    /// Over behaviour-changing operators only.
    pub behaviour_only_kill_rate: f64,
    pub kill_rate: f64,
    pub operators: BTreeMap<String, OperatorStats>,
    pub results: Vec<MutantResult>,
}

fn rate(num: usize, den: usize) -> f64 {
    if den == 0 {
        return 1.0;
    }
    #[expect(clippy::cast_precision_loss, reason = "percentages")]
    let r = num as f64 / den as f64;
    r
}

impl MutationReport {
    pub fn new(
        results: Vec<MutantResult>,
        available: usize,
        cases: u32,
        duration: Duration,
    ) -> Self {
        let mut operators: BTreeMap<String, OperatorStats> = BTreeMap::new();
        let mut overall = OperatorStats {
            changes_behaviour: true,
            ..OperatorStats::default()
        };
        let (mut beh_killable, mut beh_killed) = (0, 0);
        for r in &results {
            let op = r.mutant.operator;
            let s = operators
                .entry(op.name().to_string())
                .or_insert_with(|| OperatorStats {
                    changes_behaviour: op.changes_behaviour(),
                    ..OperatorStats::default()
                });
            s.add(r);
            overall.add(r);
            if op.changes_behaviour() && r.can_change_behaviour() {
                beh_killable += 1;
                if r.killed_by_behaviour {
                    beh_killed += 1;
                }
            }
        }
        let ms = u64::try_from(duration.as_millis()).unwrap_or(u64::MAX);
        #[expect(clippy::cast_precision_loss, reason = "reporting")]
        let per = if results.is_empty() {
            0.0
        } else {
            ms as f64 / results.len() as f64
        };
        MutationReport {
            schema_version: 1,
            available,
            cases,
            duration_ms: ms,
            ms_per_mutant: per,
            kill_rate: rate(overall.killed, overall.killable()),
            behaviour_only_kill_rate: rate(beh_killed, beh_killable),
            overall,
            operators,
            results,
        }
    }

    /// Behaviour-changing mutants the behavioural checks missed (only the
    /// structural check killed them): where the property suite is weak.
    pub fn structure_only_kills(&self) -> impl Iterator<Item = &MutantResult> {
        self.results.iter().filter(|m| {
            m.status == Status::Killed
                && !m.killed_by_behaviour
                && m.mutant.operator.changes_behaviour()
                && m.can_change_behaviour()
        })
    }

    /// Mutants whose behaviour provably cannot differ: not killed at all,
    /// or killed by the structural check only.
    pub fn behaviour_equivalents(&self) -> impl Iterator<Item = &MutantResult> {
        self.results.iter().filter(|m| {
            m.mutant.equivalent.is_some()
                && matches!(m.status, Status::Equivalent | Status::Killed)
                && !m.killed_by_behaviour
        })
    }

    pub fn survivors(&self) -> impl Iterator<Item = &MutantResult> {
        self.results.iter().filter(|r| r.status == Status::Survived)
    }
}

/// `--format` for `mutate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MutateFormat {
    Text,
    Json,
    Markdown,
}

pub fn render(r: &MutationReport, format: MutateFormat) -> String {
    match format {
        MutateFormat::Json => serde_json::to_string_pretty(r)
            .map(|s| s + "\n")
            .unwrap_or_default(),
        MutateFormat::Text => text(r),
        MutateFormat::Markdown => markdown(r),
    }
}

fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

fn text(r: &MutationReport) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:<22} {:>7} {:>6} {:>8} {:>5} {:>5} {:>9}",
        "operator", "mutants", "killed", "survived", "equiv", "n/a", "by-behav."
    );
    for (name, o) in &r.operators {
        let _ = writeln!(
            s,
            "{name:<22} {:>7} {:>6} {:>8} {:>5} {:>5} {:>9}",
            o.mutants, o.killed, o.survived, o.equivalent, o.not_applicable, o.killed_by_behaviour
        );
    }
    let o = &r.overall;
    let _ = writeln!(
        s,
        "{:<22} {:>7} {:>6} {:>8} {:>5} {:>5} {:>9}",
        "total",
        o.mutants,
        o.killed,
        o.survived,
        o.equivalent,
        o.not_applicable,
        o.killed_by_behaviour
    );
    let _ = writeln!(
        s,
        "\nbehavioural checks alone kill {} of behaviour-changing mutants (with the structural check, which is scored against its own operators: {} of killable mutants); {:.0} ms per mutant, {} cases per (table, property)",
        pct(r.behaviour_only_kill_rate),
        pct(r.kill_rate),
        r.ms_per_mutant,
        r.cases
    );
    let lists: [(&str, Vec<&MutantResult>); 2] = [
        (
            "killed by structure only",
            r.structure_only_kills().collect(),
        ),
        ("survived", r.survivors().collect()),
    ];
    for (label, ms) in lists {
        for m in ms {
            let _ = writeln!(
                s,
                "{label}: {} on {} — {}",
                m.mutant.operator.name(),
                m.mutant.table,
                m.mutant.sql.join("; ")
            );
        }
    }
    for m in r.behaviour_equivalents() {
        let _ = writeln!(
            s,
            "equivalent: {} — {}",
            m.mutant.sql.join("; "),
            m.note.as_deref().unwrap_or("")
        );
    }
    s
}

fn markdown(r: &MutationReport) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "| operator | mutants | killed | survived | equivalent | not applicable | killed by behaviour alone |"
    );
    let _ = writeln!(s, "|---|---:|---:|---:|---:|---:|---:|");
    for (name, o) in &r.operators {
        let beh = if o.changes_behaviour {
            format!("{}/{}", o.killed_by_behaviour, o.behaviour_killable)
        } else {
            format!(
                "{}/{} (structure-only operator)",
                o.killed_by_behaviour,
                o.killable()
            )
        };
        let _ = writeln!(
            s,
            "| `{name}` | {} | {} | {} | {} | {} | {beh} |",
            o.mutants, o.killed, o.survived, o.equivalent, o.not_applicable
        );
    }
    let o = &r.overall;
    let _ = writeln!(
        s,
        "| **total** | {} | {} | {} | {} | {} | {} |",
        o.mutants, o.killed, o.survived, o.equivalent, o.not_applicable, o.killed_by_behaviour
    );
    let _ = writeln!(
        s,
        "\nBehavioural checks alone: **{}** of behaviour-changing mutants (with the structural check, scored against its own operators: {} of killable mutants). {:.0} ms per mutant ({} cases per table and property).",
        pct(r.behaviour_only_kill_rate),
        pct(r.kill_rate),
        r.ms_per_mutant,
        r.cases
    );
    let survivors: Vec<&MutantResult> = r.survivors().collect();
    if !survivors.is_empty() {
        let _ = writeln!(s, "\nSurvivors:\n");
        for m in survivors {
            let _ = writeln!(
                s,
                "- `{}` on `{}`: `{}`",
                m.mutant.operator.name(),
                m.mutant.table,
                m.mutant.sql.join("; ")
            );
        }
    }
    let missed: Vec<&MutantResult> = r.structure_only_kills().collect();
    if !missed.is_empty() {
        let _ = writeln!(
            s,
            "\n<details><summary>Behaviour-changing mutants only the structural check killed ({})</summary>\n",
            missed.len()
        );
        for m in missed {
            let _ = writeln!(
                s,
                "- `{}` on `{}`: `{}`",
                m.mutant.operator.name(),
                m.mutant.table,
                m.mutant.sql.join("; ")
            );
        }
        let _ = writeln!(s, "\n</details>");
    }
    let eq: Vec<&MutantResult> = r.behaviour_equivalents().collect();
    if !eq.is_empty() {
        let _ = writeln!(
            s,
            "\nEquivalent mutants (no observable difference is possible; \"killed by structure\" where the structural check still sees the text differ):\n"
        );
        for m in eq {
            let by = if m.status == Status::Killed {
                " (killed by structure)"
            } else {
                ""
            };
            let _ = writeln!(
                s,
                "- `{}`{by}: {}",
                m.mutant.sql.join("; "),
                m.note.as_deref().unwrap_or("")
            );
        }
    }
    s
}

/// All operators, for `--operators` defaults.
pub fn all_operators() -> Vec<Operator> {
    Operator::ALL.to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::mutate::operators::Mutant;

    fn result(op: Operator, status: Status, structure: bool, behaviour: bool) -> MutantResult {
        MutantResult {
            mutant: Mutant {
                operator: op,
                table: "t".into(),
                column: Some("c".into()),
                sql: vec![format!("ALTER TABLE t -- {}", op.name())],
                equivalent: None,
            },
            status,
            killed_by_structure: structure,
            killed_by_behaviour: behaviour,
            findings: Vec::new(),
            note: None,
            millis: 1,
        }
    }

    #[test]
    fn rates_and_lists_separate_behaviour_from_structure() {
        let r = MutationReport::new(
            vec![
                result(Operator::DropNotNull, Status::Killed, true, true),
                result(Operator::DropDefault, Status::Killed, true, false),
                result(Operator::DropIndex, Status::Killed, true, false),
                result(Operator::DropCheck, Status::Survived, false, false),
            ],
            4,
            8,
            Duration::from_millis(40),
        );
        assert!((r.kill_rate - 0.75).abs() < 1e-9);
        // drop_index changes no behaviour: out of the behavioural rate.
        assert!((r.behaviour_only_kill_rate - 1.0 / 3.0).abs() < 1e-9);
        let missed: Vec<&str> = r
            .structure_only_kills()
            .map(|m| m.mutant.operator.name())
            .collect();
        assert_eq!(missed, ["drop_default"]);
        let md = render(&r, MutateFormat::Markdown);
        assert!(md.contains("only the structural check killed (1)"), "{md}");
        assert!(
            md.contains("Survivors:") && md.contains("-- drop_check"),
            "{md}"
        );
        let text = render(&r, MutateFormat::Text);
        assert!(
            text.contains("killed by structure only: drop_default on t"),
            "{text}"
        );
    }

    #[test]
    fn a_mutant_whose_behaviour_cannot_differ_leaves_the_behavioural_rate_unless_behaviour_kills_it()
     {
        let claimed = |structure: bool, behaviour: bool| {
            let mut r = result(
                Operator::ToggleUniqueCase,
                Status::Killed,
                structure,
                behaviour,
            );
            r.mutant.equivalent = Some("one case only".into());
            r.note.clone_from(&r.mutant.equivalent);
            r
        };
        let r = MutationReport::new(
            vec![
                result(Operator::DropNotNull, Status::Killed, true, true),
                claimed(true, false),
                result(Operator::DropCheck, Status::Killed, true, false),
            ],
            3,
            8,
            Duration::from_millis(30),
        );
        // drop_not_null killed by behaviour, drop_check not: 1 of 2; the
        // claimed-equivalent toggle is out of the rate and the miss list.
        assert!((r.behaviour_only_kill_rate - 0.5).abs() < 1e-9);
        let missed: Vec<&str> = r
            .structure_only_kills()
            .map(|m| m.mutant.operator.name())
            .collect();
        assert_eq!(missed, ["drop_check"]);
        let md = render(&r, MutateFormat::Markdown);
        assert!(
            md.contains("| `toggle_unique_case` | 1 | 1 | 0 | 0 | 0 | 0/0 |")
                && md.contains("(killed by structure): one case only"),
            "{md}"
        );
        // Behaviour killing a claimed-equivalent mutant disproves the claim:
        // it counts as behaviour-changing.
        let r = MutationReport::new(
            vec![claimed(true, true), claimed(true, false)],
            2,
            8,
            Duration::from_millis(20),
        );
        assert!((r.behaviour_only_kill_rate - 1.0).abs() < 1e-9);
        assert_eq!(r.operators["toggle_unique_case"].behaviour_killable, 1);
    }
}
