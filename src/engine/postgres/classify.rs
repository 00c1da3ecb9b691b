//! Why PostgreSQL refused a statement, from its SQLSTATE
//! (<https://www.postgresql.org/docs/current/errcodes-appendix.html>).

use crate::engine::RejectionKind;

/// The reason for a failure with `sqlstate` (empty: not the server's).
pub fn classify(sqlstate: &str) -> RejectionKind {
    match sqlstate {
        "23502" => RejectionKind::NotNull,
        "23505" => RejectionKind::Unique,
        "23503" => RejectionKind::ForeignKey,
        "23514" => RejectionKind::Check,
        "22001" => RejectionKind::Length,
        "22021" | "22P05" | "54000" => RejectionKind::Encoding,
        "42703" => RejectionKind::MissingColumn,
        "22003" | "22P02" | "22007" | "22008" | "22023" | "22018" | "42804" | "22P03" => {
            RejectionKind::TypeRange
        }
        _ => RejectionKind::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_states_translate() {
        assert_eq!(classify("23502"), RejectionKind::NotNull);
        assert_eq!(classify("23505"), RejectionKind::Unique);
        assert_eq!(classify("23503"), RejectionKind::ForeignKey);
        assert_eq!(classify("23514"), RejectionKind::Check);
        assert_eq!(classify("22003"), RejectionKind::TypeRange);
        assert_eq!(classify("22001"), RejectionKind::Length);
        assert_eq!(classify("22021"), RejectionKind::Encoding);
        assert_eq!(classify("42601"), RejectionKind::Other);
    }
}
