//! The engine-neutral schema model: what introspection of either database
//! produces and what the structural diff compares. No I/O here.

mod objects;
mod value;

pub use objects::{
    Check, Column, Counts, DomainType, EnumType, FkAction, ForeignKey, Function, Index, IndexKey,
    KeyPart, PgObjects, Schema, SeedRows, Sequence, Table, Trigger, TriggerEvent, View, ViewColumn,
};
pub use value::Value;
