//! What a statement did on one engine: the engines define it (see
//! [`crate::engine::Outcome`]); the checks name it here too.

pub use crate::engine::{Outcome, RejectionKind};
