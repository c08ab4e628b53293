//! What a browser needs besides the API: a static web page ([`static_files`]) with
//! caching, compression and security headers, and CORS ([`cors`]) for pages served
//! from other origins, and their [`WebSettings`].

pub(crate) mod cors;
pub(crate) mod security_headers;
mod settings;
pub(crate) mod static_files;

pub use settings::{WebBuilderExt, WebSettings};
