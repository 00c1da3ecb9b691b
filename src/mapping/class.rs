//! What SQLite stores in a column, from its declared type: the SQLite half
//! of every pairing.

/// What SQLite will store in a column, from its declared type
/// (affinity rules: <https://sqlite.org/datatype3.html#determination_of_column_affinity>,
/// refined by the conventional type names that imply a meaning).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SqliteClass {
    Integer,
    Real,
    Text,
    Blob,
    Numeric,
    Boolean,
    Temporal,
    Json,
}

/// A declared type's name without its modifier, upper case (`VARCHAR` for
/// `varchar(20)`): SQLite type names ignore letter case.
pub fn base_name(declared: &str) -> String {
    let upper = declared.to_ascii_uppercase();
    upper.split('(').next().unwrap_or("").trim().to_string()
}

pub fn sqlite_class(declared: &str) -> SqliteClass {
    let t = declared.to_ascii_uppercase();
    match base_name(declared).as_str() {
        "BOOLEAN" | "BOOL" => return SqliteClass::Boolean,
        "DATETIME" | "TIMESTAMP" | "TIMESTAMPTZ" | "DATE" | "TIME" => {
            return SqliteClass::Temporal;
        }
        "JSON" | "JSONB" => return SqliteClass::Json,
        _ => {}
    }
    if t.contains("INT") {
        SqliteClass::Integer
    } else if t.contains("CHAR") || t.contains("CLOB") || t.contains("TEXT") {
        SqliteClass::Text
    } else if t.contains("BLOB") || t.is_empty() {
        SqliteClass::Blob
    } else if t.contains("REAL") || t.contains("FLOA") || t.contains("DOUB") {
        SqliteClass::Real
    } else {
        SqliteClass::Numeric
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn affinity_follows_sqlite_rules() {
        assert_eq!(sqlite_class("INTEGER"), SqliteClass::Integer);
        assert_eq!(sqlite_class("VARCHAR(20)"), SqliteClass::Text);
        assert_eq!(sqlite_class(""), SqliteClass::Blob);
        assert_eq!(sqlite_class("DOUBLE"), SqliteClass::Real);
        assert_eq!(sqlite_class("DATETIME"), SqliteClass::Temporal);
        assert_eq!(sqlite_class("DECIMAL(10,2)"), SqliteClass::Numeric);
    }
}
