//! One finding per root cause (docs/reference.md, "What it checks": structure
//! explains, behaviour proves): a behavioural observation that a structural
//! difference explains — on the same table, about columns that difference
//! covers, of a kind that difference brings — is attached to it as evidence
//! (the checks that saw it, the shortest witness), whatever category the
//! observation was filed under. Only what nothing explains stands alone.

use crate::model::finding::{Category, CheckKind, Finding};

/// Attaches each behavioural finding to the finding that explains it, or
/// adds it as a root cause of its own.
///
/// The behavioural findings are taken in a fixed order — by table, column,
/// then the properties' own order (round_trip before constraint …) — not
/// in the order the workers' jobs finished: which property a standalone
/// root cause is filed under, and which of two equally short witnesses a
/// root cause keeps, must not depend on thread timing, or a fixed seed
/// would not give the same report.
pub fn merge(found: &mut Vec<Finding>, mut behavioural: Vec<Finding>) {
    behavioural.sort_by(|a, b| {
        (&a.table, a.columns.first(), a.check, &a.id).cmp(&(
            &b.table,
            b.columns.first(),
            b.check,
            &b.id,
        ))
    });
    for b in behavioural {
        match explaining(found, &b) {
            Some(i) => attach(&mut found[i], b),
            None => found.push(b),
        }
    }
}

/// The finding of `found` that explains `b`, the closest first: the same
/// finding met by another check (a trigger, by name), then a structural
/// difference of `b`'s own category, then one whose category brings `b`'s.
fn explaining(found: &[Finding], b: &Finding) -> Option<usize> {
    let rest = |id: &str| id.split_once('.').map(|(_, r)| r.to_string());
    if let Some(i) = found.iter().position(|s| rest(&s.id) == rest(&b.id)) {
        return Some(i);
    }
    let mut best: Option<(u8, usize)> = None;
    for (i, s) in found.iter().enumerate() {
        if s.table != b.table {
            continue;
        }
        let Some(rank) = rank(s, b) else { continue };
        if best.is_none_or(|(r, _)| rank < r) {
            best = Some((rank, i));
        }
    }
    if let Some((_, i)) = best {
        return Some(i);
    }
    // Nothing names the columns: a lone structural difference of the same
    // category on the table is the one.
    if b.columns.is_empty() {
        let same: Vec<usize> = found
            .iter()
            .enumerate()
            .filter(|(_, s)| is_structural(s) && s.table == b.table && s.category == b.category)
            .map(|(i, _)| i)
            .collect();
        if let [only] = same.as_slice() {
            return Some(*only);
        }
    }
    None
}

fn is_structural(f: &Finding) -> bool {
    matches!(f.check, CheckKind::Structure | CheckKind::SeedData)
}

/// How closely `s` explains `b` (lower is closer), or `None` when it does
/// not: `s` must cover `b`'s columns (a table-wide difference covers them
/// all; a column one side lacks explains whatever names it) and its
/// category must bring `b`'s. An earlier behavioural finding explains only
/// the same behaviour on the very same columns (the same root cause met by
/// another property).
fn rank(s: &Finding, b: &Finding) -> Option<u8> {
    if !is_structural(s) {
        let same =
            !b.columns.is_empty() && s.columns == b.columns && brings(s.category, b.category);
        return same.then_some(3);
    }
    let whole_table = matches!(s.category, Category::MissingTable | Category::ExtraTable);
    let lacking = matches!(s.category, Category::MissingColumn | Category::ExtraColumn);
    let covers = whole_table
        || (!b.columns.is_empty()
            && if lacking {
                b.columns.iter().any(|c| s.columns.contains(c))
            } else {
                b.columns.iter().all(|c| s.columns.contains(c))
            });
    if !covers {
        return None;
    }
    if s.category == b.category {
        Some(0)
    } else if brings(s.category, b.category) {
        Some(if whole_table || lacking { 2 } else { 1 })
    } else {
        None
    }
}

/// Whether a difference of category `s` brings observations of category
/// `b` on the columns it covers: the one table of which structural
/// difference explains which behaviour.
pub fn brings(s: Category, b: Category) -> bool {
    use Category as C;
    s == b
        || match s {
            // A table or column one side lacks: every statement naming it.
            C::MissingTable | C::ExtraTable | C::MissingColumn | C::ExtraColumn => true,
            // Automatic ids on one side only, or another key: NULL ids
            // refused, ids handed out differently, duplicates, explicit ids.
            C::PrimaryKey => matches!(
                b,
                C::Nullability | C::Unique | C::Default | C::Type | C::Other
            ),
            C::Unique => matches!(b, C::PrimaryKey),
            C::ForeignKey => matches!(b, C::OnDelete),
            C::OnDelete => matches!(b, C::ForeignKey),
            // A type holds other values: refused, or read back altered, or
            // compared otherwise (a unique key), or a bound one side checks.
            C::Type => matches!(b, C::Other | C::Check | C::Unique | C::Default),
            C::Check => matches!(b, C::Type),
            C::Default => matches!(b, C::Other),
            _ => false,
        }
}

/// Adds `b` to `s` as evidence: the check that saw it, and its witness
/// when `s` has none or a longer one.
fn attach(s: &mut Finding, b: Finding) {
    for c in std::iter::once(b.check).chain(b.seen_by) {
        if c != s.check && !s.seen_by.contains(&c) {
            s.seen_by.push(c);
        }
    }
    s.seen_by.sort();
    let size = |w: &crate::model::finding::Witness| {
        w.sqlite_sql
            .iter()
            .chain(&w.postgres_sql)
            .map(String::len)
            .sum::<usize>()
    };
    if let Some(w) = b.witness
        && s.witness.as_ref().is_none_or(|old| size(&w) < size(old))
    {
        s.witness = Some(w);
    }
}

/// The reverse of [`merge`]: a structural difference that behaviour
/// contradicts is a note, failing nothing (docs/reference.md, "What it checks"). Two
/// CHECKs on the same columns, each on one side only — the same rule
/// written two ways — that the constraint property probed (`agreed`: the
/// cases each (table, check) ran and did not discard) without one
/// disagreement become one note saying so.
pub fn contradicted(
    found: &mut Vec<Finding>,
    agreed: &std::collections::BTreeMap<(String, CheckKind), u64>,
) {
    let one_sided = |f: &Finding, sqlite: bool| {
        f.check == CheckKind::Structure
            && f.category == Category::Check
            && f.seen_by.is_empty()
            && f.witness.is_none()
            && !f.columns.is_empty()
            && if sqlite {
                f.postgres == "no such check"
            } else {
                f.sqlite == "no such check"
            }
    };
    let mut i = 0;
    while i < found.len() {
        let f = &found[i];
        let cases = agreed
            .get(&(f.table.clone(), CheckKind::Constraint))
            .copied()
            .unwrap_or(0);
        let pair = (one_sided(f, true) && cases > 0)
            .then(|| {
                found.iter().position(|g| {
                    one_sided(g, false) && g.table == f.table && g.columns == f.columns
                })
            })
            .flatten();
        let Some(j) = pair else {
            i += 1;
            continue;
        };
        let other = found.remove(j);
        if j < i {
            i -= 1;
        }
        let f = &mut found[i];
        f.message = format!(
            "{}.{}: the CHECK is written differently on each side ({} in SQLite, {} in PostgreSQL) but behaved the same over {cases} constraint cases: differs in text, behaves the same.",
            f.table,
            f.columns.join(", "),
            f.sqlite,
            other.postgres
        );
        f.postgres = other.postgres;
        f.severity = crate::model::finding::Severity::Note;
        f.pattern = None;
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn structural(category: Category, table: &str, cols: &[&str]) -> Finding {
        Finding::new(CheckKind::Structure, category, table, cols, "")
    }

    fn seen(check: CheckKind, category: Category, table: &str, cols: &[&str]) -> Finding {
        let mut f = Finding::new(check, category, table, cols, "");
        f.witness = Some(crate::model::finding::Witness {
            sqlite_sql: vec!["INSERT INTO t VALUES (1)".into()],
            postgres_sql: vec!["INSERT INTO t VALUES (1)".into()],
            sqlite_outcome: "ok".into(),
            postgres_outcome: "rejected".into(),
        });
        f
    }

    #[test]
    fn the_witness_kept_does_not_depend_on_which_job_finished_first() {
        use CheckKind as K;
        let with_outcome = |check, outcome: &str| {
            let mut f = seen(check, Category::Type, "loans", &["amount"]);
            if let Some(w) = f.witness.as_mut() {
                w.postgres_outcome = outcome.into();
            }
            f
        };
        let kept = |order: Vec<Finding>| {
            let mut found = vec![structural(Category::Type, "loans", &["amount"])];
            merge(&mut found, order);
            found[0].witness.clone()
        };
        // Two witnesses of one size: the same one is kept in either order.
        let a = with_outcome(K::RoundTrip, "rejected (a)");
        let b = with_outcome(K::Constraint, "rejected (b)");
        assert_eq!(
            kept(vec![a.clone(), b.clone()]),
            kept(vec![b, a]),
            "the witness kept follows the order the findings came in"
        );
    }

    #[test]
    fn structure_explains_behaviour_of_another_category() {
        use CheckKind as K;
        // Automatic ids in SQLite only: NULL ids refused by PostgreSQL.
        let mut found = vec![structural(Category::PrimaryKey, "loans", &["id"])];
        merge(
            &mut found,
            vec![
                seen(K::Constraint, Category::Nullability, "loans", &["id"]),
                seen(K::RoundTrip, Category::Nullability, "loans", &["id"]),
            ],
        );
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].seen_by, [K::RoundTrip, K::Constraint]);
        assert!(found[0].witness.is_some());
        // A foreign key SQLite alone has: the cascade that differs is it.
        let mut found = vec![structural(Category::ForeignKey, "loans", &["member_id"])];
        merge(
            &mut found,
            vec![seen(
                K::Cascade,
                Category::OnDelete,
                "loans",
                &["member_id"],
            )],
        );
        assert_eq!(found.len(), 1);
        // A column PostgreSQL lacks explains whatever statement names it.
        let mut found = vec![structural(Category::MissingColumn, "loans", &["fine"])];
        merge(
            &mut found,
            vec![
                seen(K::Constraint, Category::Check, "loans", &["fine"]),
                seen(
                    K::RoundTrip,
                    Category::MissingColumn,
                    "loans",
                    &["fine", "due"],
                ),
                seen(K::Default, Category::Default, "loans", &["fine"]),
            ],
        );
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].seen_by, [K::RoundTrip, K::Constraint, K::Default]);
    }

    #[test]
    fn what_nothing_explains_stands_alone() {
        use CheckKind as K;
        // Another column, another table, or a category the difference does
        // not bring: separate root causes.
        let mut found = vec![structural(Category::ForeignKey, "loans", &["member_id"])];
        merge(
            &mut found,
            vec![
                seen(K::Cascade, Category::OnDelete, "loans", &["book_id"]),
                seen(K::Cascade, Category::OnDelete, "holds", &["member_id"]),
                seen(K::Constraint, Category::Check, "loans", &["member_id"]),
            ],
        );
        assert_eq!(found.len(), 4);
        assert!(found.iter().all(|f| f.seen_by.is_empty()));
    }

    #[test]
    fn one_behaviour_met_by_several_properties_is_one_finding() {
        use CheckKind as K;
        // Without structure (`--checks` leaving it out): a column
        // PostgreSQL lacks, met by three properties.
        let mut found = Vec::new();
        merge(
            &mut found,
            vec![
                seen(K::RoundTrip, Category::MissingColumn, "loans", &["fine"]),
                seen(K::Constraint, Category::MissingColumn, "loans", &["fine"]),
                seen(K::Default, Category::MissingColumn, "loans", &["fine"]),
            ],
        );
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].check, K::RoundTrip);
        assert_eq!(found[0].seen_by, [K::Constraint, K::Default]);
        // The same, met in another order (the jobs finished otherwise).
        let mut found = Vec::new();
        merge(
            &mut found,
            vec![
                seen(K::Default, Category::MissingColumn, "loans", &["fine"]),
                seen(K::Constraint, Category::MissingColumn, "loans", &["fine"]),
                seen(K::RoundTrip, Category::MissingColumn, "loans", &["fine"]),
            ],
        );
        assert_eq!(found[0].check, K::RoundTrip);
        assert_eq!(found[0].seen_by, [K::Constraint, K::Default]);
    }

    #[test]
    fn the_shortest_witness_is_kept() {
        let mut s = structural(Category::Type, "t", &["c"]);
        let mut long = seen(CheckKind::RoundTrip, Category::Other, "t", &["c"]);
        if let Some(w) = long.witness.as_mut() {
            w.sqlite_sql.push("x".repeat(100));
        }
        let short = seen(CheckKind::Constraint, Category::Check, "t", &["c"]);
        let want = short.witness.clone();
        attach(&mut s, long);
        attach(&mut s, short);
        assert_eq!(s.witness, want);
    }

    #[test]
    fn a_check_written_two_ways_that_behaves_alike_is_a_note() {
        let check = |sqlite: &str, postgres: &str| {
            structural(Category::Check, "t", &["n"]).sides(sqlite, postgres)
        };
        let pair = || {
            vec![
                check("CHECK n BETWEEN 0 AND 9", "no such check"),
                check("no such check", "CHECK n <= 9 AND n >= 0"),
            ]
        };
        let mut agreed = std::collections::BTreeMap::new();
        // No constraint case ran on the table: nothing contradicts them.
        let mut found = pair();
        contradicted(&mut found, &agreed);
        assert_eq!(found.len(), 2);
        assert!(
            found
                .iter()
                .all(|f| f.severity == crate::model::finding::Severity::Error)
        );
        agreed.insert(("t".to_string(), CheckKind::Constraint), 40);
        let mut found = pair();
        contradicted(&mut found, &agreed);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].severity, crate::model::finding::Severity::Note);
        assert!(found[0].message.contains("over 40 constraint cases"));
        // One the constraint property saw differ stays an error.
        let mut found = pair();
        found[1].seen_by.push(CheckKind::Constraint);
        contradicted(&mut found, &agreed);
        assert_eq!(found.len(), 2);
    }
}
