use schema_parity::suite::{self, Options};

fn main() {
    suite::main(
        Options::from_env()
            .sqlite("migrations/sqlite")
            .pg("migrations/pg"),
    );
}
