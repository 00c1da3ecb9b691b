//! Migration folders in every layout we read: detecting the layout, ordering
//! the files as their tool does, and cutting each file into statements with
//! their lines.

mod dump;
pub mod layout;
mod sections;
mod set;
mod split;
mod version;

pub use layout::Layout;
pub use set::{Body, Migration, MigrationSet, load};
pub use split::{FileStatement, split};
pub use version::Version;
