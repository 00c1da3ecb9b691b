//! The engine-neutral schema model: what introspection of either database
//! produces and what the structural diff compares. No I/O here.

mod model;
mod value;

pub use model::{
    Check, Column, Counts, FkAction, ForeignKey, Index, IndexKey, KeyPart, Schema, SeedRows, Table,
    Trigger, TriggerEvent,
};
pub use value::{BlobSyntax, Value};
