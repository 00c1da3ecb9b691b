//! How findings spell keys: their columns, and a key as a sentence says it.

use crate::model::schema::{IndexKey, KeyPart};

/// A key's columns (an expression part as its text).
pub fn key_columns(k: &IndexKey) -> Vec<String> {
    k.parts
        .iter()
        .map(|p| match p {
            KeyPart::Column { name, .. } => name.clone(),
            KeyPart::Expr { text, .. } => text.clone(),
        })
        .collect()
}

pub fn describe_key(k: &IndexKey) -> String {
    let parts: Vec<String> = k
        .parts
        .iter()
        .map(|p| match p {
            KeyPart::Column { name, nocase, desc } => format!(
                "{name}{}{}",
                if *nocase { " (case-insensitive)" } else { "" },
                if *desc { " DESC" } else { "" }
            ),
            KeyPart::Expr { text, desc } => format!("{text}{}", if *desc { " DESC" } else { "" }),
        })
        .collect();
    match &k.predicate {
        Some(p) => format!("({}) WHERE {p}", parts.join(", ")),
        None => format!("({})", parts.join(", ")),
    }
}
