//! Hooks: `authenticate` for services that need a login, `hash_password` for the
//! users service, and the guard authentication puts on the users service itself.

mod authenticate;
mod hash_password;
mod users_service;

pub use authenticate::{authenticate, Authenticate};
pub use hash_password::{hash_password, HashPassword};
pub(crate) use users_service::UsersServiceGuard;
