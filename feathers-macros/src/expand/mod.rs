//! The expansion of `#[service]`, piece by piece. Reading [`service`] top to bottom
//! gives the shape of the generated code:
//!
//! ```text
//! impl Messages { .. }                            the user's block, helper attributes removed
//! impl ::feathers_runtime::Service for Messages   methods, events, hooks, call (dispatch shim)
//! impl ::feathers_runtime::NamedService for ..    the path
//! inventory::submit! { ServiceRegistration }      unless register = false
//! #[before(__feathers_resolve)] const _: () = ();  the helper attributes' paths, resolved
//! compile_error!(..)                              one per mistake found
//! ```
//!
//! Every path is absolute (`::feathers_runtime::..`, `::core::..`) so the expansion
//! works under `#![no_implicit_prelude]`.

mod dispatch;
mod helper_uses;
mod hooks;
mod registration;
mod service_impl;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ctxt::Ctxt;
use crate::model::Service;
use crate::parse;

/// `#[service(args)] item`. Fail-soft: the user's block is always emitted again, and
/// whatever passed its checks is still generated, so one mistake gives one error.
pub(crate) fn service(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut cx = Ctxt::new();
    let parsed = parse::service(args, item, &mut cx);
    let user_block = parsed.item;
    let generated = parsed.service.as_ref().map(generate);
    let helper_uses = helper_uses::expand(&parsed.helper_paths);
    let errors = cx.into_compile_errors();
    quote! {
        #user_block
        #generated
        #helper_uses
        #errors
    }
}

fn generate(service: &Service) -> TokenStream {
    let service_impl = service_impl::expand(service);
    let named_service = registration::named_service(service);
    let submit = registration::submit(service);
    quote! {
        #service_impl
        #named_service
        #submit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_mistake_gives_one_error_and_the_rest_is_still_generated() {
        let out = service(
            quote!("messages"),
            quote! {
                impl Messages {
                    fn find(&self) -> Result<Vec<u8>> { Ok(Vec::new()) }
                    #[before(check)]
                    async fn get(&self, id: u64) -> Result<u64> { Ok(id) }
                }
            },
        )
        .to_string();
        assert_eq!(out.matches("compile_error").count(), 1, "{out}");
        assert!(out.contains("service methods must be async"), "{out}");
        // The user's block, without the hook attribute.
        assert!(out.starts_with("impl Messages"), "{out}");
        assert!(!out.contains("# [before (check)]"), "{out}");
        // The Service impl, with the method that passed its checks only.
        assert!(out.contains("methods (& [\"get\"])"), "{out}");
        assert!(out.contains("\"get\" =>"), "{out}");
        assert!(!out.contains("\"find\" =>"), "{out}");
    }

    #[test]
    fn every_mistake_is_reported() {
        let out = service(
            quote!("a//b", colour = 1),
            quote! {
                impl<T> Messages<T> {
                    async fn get(&mut self) -> Result<u64> { Ok(1) }
                    #[method]
                    async fn emit(&self) -> Result<u64> { Ok(1) }
                }
            },
        )
        .to_string();
        assert_eq!(out.matches("compile_error").count(), 5, "{out}");
        // Nothing is generated for a generic block.
        assert!(!out.contains("feathers_runtime :: Service for"), "{out}");
    }

    #[test]
    fn registration_follows_the_register_argument() {
        let block = quote!(impl Messages {});
        let registered = service(quote!("m"), block.clone()).to_string();
        assert!(registered.contains("inventory :: submit"), "{registered}");
        let unregistered = service(quote!("m", register = false), block).to_string();
        assert!(
            !unregistered.contains("inventory :: submit"),
            "{unregistered}"
        );
        assert!(
            unregistered.contains("NamedService for Messages"),
            "{unregistered}"
        );
    }
}
