//! A value read back from either engine, before the type mapping interprets it.

/// What a cell holds, as close to the engine's own representation as a
/// driver-neutral enum allows. PostgreSQL values arrive as text plus the
/// column's type; [`crate::mapping`] turns both sides into comparable form.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

impl Value {
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// An SQL literal for this value, valid on both engines for the plain
    /// storage classes (blobs use the engine-specific syntax given).
    pub fn to_sql_literal(&self, blob_hex_prefix: BlobSyntax) -> String {
        match self {
            Value::Null => "NULL".to_string(),
            Value::Integer(i) => i.to_string(),
            Value::Real(f) => {
                if f.is_finite() {
                    format!("{f:?}")
                } else {
                    format!("'{f}'")
                }
            }
            Value::Text(s) => format!("'{}'", s.replace('\'', "''")),
            Value::Blob(b) => {
                let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
                match blob_hex_prefix {
                    BlobSyntax::Sqlite => format!("X'{hex}'"),
                    BlobSyntax::Postgres => format!("'\\x{hex}'::bytea"),
                }
            }
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub enum BlobSyntax {
    Sqlite,
    Postgres,
}

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Null => write!(f, "NULL"),
            Value::Integer(i) => write!(f, "{i}"),
            Value::Real(x) => write!(f, "{x:?}"),
            Value::Text(s) => write!(f, "'{s}'"),
            Value::Blob(b) => {
                write!(f, "x'")?;
                for x in b {
                    write!(f, "{x:02x}")?;
                }
                write!(f, "'")
            }
        }
    }
}
