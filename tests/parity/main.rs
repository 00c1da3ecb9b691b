//! The equivalence suite on the bundled pair, as any project runs it on its
//! own (`schema_parity::suite`, where the tests, knobs and files are described).
use schema_parity::suite::{self, Options};

/// The allocator the `schema-parity` binary uses (see Cargo.toml).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    suite::main(
        Options::from_env()
            .sqlite("migrations_sqlite")
            .pg("migrations_pg"),
    );
}
