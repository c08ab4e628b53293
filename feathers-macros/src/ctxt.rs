//! The error accumulator: every check reports here and parsing carries on, so one run
//! of the macro reports every mistake it can find, each at its own span.

use std::fmt::Display;

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;

/// Errors collected while parsing and checking one macro input.
#[derive(Default)]
pub(crate) struct Ctxt {
    errors: Vec<syn::Error>,
}

impl Ctxt {
    pub(crate) fn new() -> Ctxt {
        Ctxt::default()
    }

    /// An error spanning `tokens` (from their first token to their last).
    pub(crate) fn error_spanned_by(&mut self, tokens: impl ToTokens, message: impl Display) {
        self.errors.push(syn::Error::new_spanned(tokens, message));
    }

    /// An error at one span.
    pub(crate) fn error_at(&mut self, span: Span, message: impl Display) {
        self.errors.push(syn::Error::new(span, message));
    }

    /// An error syn already built (a parse error, say).
    pub(crate) fn syn_error(&mut self, error: syn::Error) {
        self.errors.push(error);
    }

    pub(crate) fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    /// All errors as one, or `None` when there were none.
    pub(crate) fn into_error(self) -> Option<syn::Error> {
        self.errors.into_iter().reduce(|mut combined, next| {
            combined.combine(next);
            combined
        })
    }

    /// All errors as `compile_error!` invocations (nothing when there were none).
    pub(crate) fn into_compile_errors(self) -> TokenStream {
        self.into_error()
            .map(|error| error.to_compile_error())
            .unwrap_or_default()
    }
}
