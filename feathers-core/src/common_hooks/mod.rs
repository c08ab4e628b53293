//! Hooks most apps need: keep fields on the server ([`protect`]), keep methods internal
//! ([`disallow`]), records that belong to their author ([`owned_by`]), relations
//! loaded in batches ([`populate`]), fields the server sets ([`server_field`],
//! [`created_at`]), computed fields ([`resolve`]), and check data ([`require_fields`],
//! [`validate`]).

mod disallow;
mod names;
mod owner;
mod owner_only;
mod populate;
mod protect;
mod records;
mod resolve;
mod server_field;
mod validate;

pub use disallow::{disallow, Disallow};
pub use names::Names;
pub use owner::{owned_by, OwnedBy};
pub use owner_only::{owner_only, OwnerOnly};
pub use populate::{populate, Populate, POPULATE_BATCH};
pub use protect::{protect, Protect};
pub(crate) use records::omit_fields;
pub use resolve::{resolve, Resolve};
pub use server_field::{created_at, server_field, updated_at, ServerField};
pub use validate::{require_fields, validate, RequireFields, Validate};
