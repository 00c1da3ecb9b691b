//! What a SQLite column's collation makes equal that PostgreSQL keeps apart.

/// What a SQLite column's collation makes equal that PostgreSQL keeps apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Collation {
    /// `COLLATE NOCASE`: 'abc' = 'ABC'.
    Nocase,
    /// `COLLATE RTRIM`: 'abc' = 'abc '.
    Rtrim,
}

/// The collation difference of one column, if any. NOCASE matches a
/// `citext` column or a `lower(col)` key (the port's usual spelling of
/// it); RTRIM has no PostgreSQL counterpart. A NOCASE column in a SQLite
/// unique key is the unique-key comparison's business (its finding already
/// says "case-insensitive in SQLite but case-sensitive in PostgreSQL").
pub fn collation_difference(
    sc: &crate::model::schema::Column,
    pc: &crate::model::schema::Column,
    st: &crate::model::schema::Table,
    pt: &crate::model::schema::Table,
) -> Option<Collation> {
    fn nocase_key<'a>(
        keys: impl IntoIterator<Item = &'a crate::model::schema::Index>,
        column: &str,
    ) -> bool {
        keys.into_iter().any(|ix| {
            ix.key.parts.iter().any(|p| {
                matches!(p, crate::model::schema::KeyPart::Column { name, nocase: true, .. } if name == column)
            })
        })
    }
    match sc.collation.as_deref() {
        Some("NOCASE")
            if !pc.nocase()
                && !nocase_key(pt.uniques.iter().chain(&pt.indexes), &sc.name)
                && !nocase_key(&st.uniques, &sc.name) =>
        {
            Some(Collation::Nocase)
        }
        Some("RTRIM") => Some(Collation::Rtrim),
        _ => None,
    }
}
