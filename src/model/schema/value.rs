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

    /// A value read from SQLite as the literal the strategies and the
    /// mapping write.
    pub fn lit(&self) -> schema_parity_strategies::Lit {
        use schema_parity_strategies::Lit;
        match self {
            Value::Null => Lit::Null,
            Value::Integer(i) => Lit::Int(*i),
            Value::Real(f) => Lit::Real(*f),
            Value::Text(s) => Lit::Text(s.clone()),
            Value::Blob(b) => Lit::Blob(b.clone()),
        }
    }
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
