//! Hooks: `authenticate` for services that need a login, `hash_password` for the
//! users service.

mod authenticate;
mod hash_password;

pub use authenticate::{authenticate, Authenticate};
pub use hash_password::{hash_password, HashPassword};
