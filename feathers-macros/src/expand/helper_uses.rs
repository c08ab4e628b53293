//! `#[service]` consumes `#[method]` and the hook attributes written in its block, so
//! the compiler never resolves their paths: an explicit import
//! (`use feathers_runtime::{before, method};`) would be reported unused, and a missing
//! one not reported at all. For each path the block used, this emits
//!
//! ```text
//! #[before(__feathers_resolve)] const _: () = ();
//! ```
//!
//! which the compiler resolves like the user's attribute (at its span, with the usual
//! "consider importing" help when it is missing), and which expands to nothing.

use proc_macro2::TokenStream;
use quote::{quote, ToTokens};
use syn::{Ident, Path};

use crate::attrs::RESOLVE;

pub(crate) fn expand(paths: &[Path]) -> TokenStream {
    let mut seen: Vec<String> = Vec::new();
    let mut items = TokenStream::new();
    for path in paths {
        let written = path.to_token_stream().to_string();
        if seen.contains(&written) {
            continue;
        }
        seen.push(written);
        let marker = Ident::new(RESOLVE, proc_macro2::Span::call_site());
        items.extend(quote! {
            #[#path(#marker)]
            const _: () = ();
        });
    }
    items
}
