//! The equivalence suite on the bundled pair, as any project runs it on its
//! own (`schema_parity::suite`, where the tests, knobs and files are described).
use schema_parity::suite::{self, Options};

fn main() {
    suite::main(
        Options::from_env()
            .sqlite("migrations_sqlite")
            .pg("migrations_pg"),
    );
}
