//! Where a SQLite statement ends, as SQLite's own tokenizer says: it knows
//! that a `;` inside `CREATE TRIGGER … BEGIN … END` does not end one.

/// Whether `sql` ends with a complete statement
/// (<https://sqlite.org/c3ref/complete.html>). Text holding a NUL cannot
/// be asked about and counts as complete.
pub fn is_complete(sql: &str) -> bool {
    let Ok(c) = std::ffi::CString::new(sql) else {
        return true;
    };
    // SAFETY: `c` is a valid NUL-terminated string for the duration of the call;
    // sqlite3_complete only reads it.
    unsafe { rusqlite::ffi::sqlite3_complete(c.as_ptr()) != 0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trigger_body_is_complete_only_at_its_end() {
        assert!(is_complete("SELECT 1;"));
        assert!(!is_complete("SELECT 1"));
        assert!(!is_complete(
            "CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE a SET x = 1;"
        ));
        assert!(is_complete(
            "CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE a SET x = 1; END;"
        ));
    }
}
