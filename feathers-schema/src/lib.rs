//! Schemas for feathers-rs services, from their Rust types.
//!
//! A data type that derives [`JsonSchema`] states its rules next to its fields with
//! `#[schemars(..)]` attributes: `length(min, max)`, `range(min, max)`, `email`,
//! `url`, `regex(pattern)`, `required`, and serde's own (`rename`, `default`,
//! `deny_unknown_fields`, `skip_deserializing` for fields the server sets). The
//! runtime checks every `create`, `update`, `patch` and custom method's data against
//! its type's schema before any hook runs, on every transport, and answers what
//! Feathers 5 answers: a 400 `BadRequest` "validation failed" whose `data` lists each
//! [`Problem`] as Ajv does.
//!
//! Why schemars: it reads the serde attributes the types already carry, so the schema
//! is the shape serde accepts, not a second description that can drift from it; and
//! its JSON Schema is what the TypeScript and OpenAPI tools take. The data is checked
//! by the `jsonschema` crate against that same schema, so what is documented is what
//! is enforced.

mod partial;
#[doc(hidden)]
pub mod probe;
mod problem;
mod query;
mod schema;
mod services;

pub use partial::Partial;
pub use problem::Problem;
pub use query::{query_schema, OPERATORS, TEXT_OPERATORS};
pub use schema::{Schema, MAX_PROBLEMS};
pub use schemars::{self, JsonSchema};
pub use services::ServiceSchemas;
