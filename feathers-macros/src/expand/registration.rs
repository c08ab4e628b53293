//! The service's identity and startup registration: `impl NamedService` (its path) and
//! one `inventory::submit!` that lets `App::from_registered()` build it with `Default`.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned, ToTokens};
use syn::spanned::Spanned;

use crate::model::Service;

pub(crate) fn named_service(service: &Service) -> TokenStream {
    let self_ty = &service.self_ty;
    let path = &service.path;
    quote! {
        impl ::feathers_runtime::NamedService for #self_ty {
            const PATH: &'static str = #path;
        }
    }
}

/// Nothing with `register = false`.
pub(crate) fn submit(service: &Service) -> Option<TokenStream> {
    if !service.register {
        return None;
    }
    let self_ty = &service.self_ty;
    let path = &service.path;
    let type_name = type_name(service);
    // Under the self type's span: a service without `Default` is reported there.
    let make = quote_spanned! {self_ty.span()=>
        <#self_ty as ::core::default::Default>::default()
    };
    Some(quote! {
        ::feathers_runtime::__private::inventory::submit! {
            ::feathers_runtime::__private::ServiceRegistration {
                path: #path,
                type_name: ::core::concat!(::core::module_path!(), "::", #type_name),
                make: {
                    fn __feathers_make() -> ::feathers_runtime::__private::Arc<dyn ::feathers_runtime::__private::ErasedService> {
                        ::feathers_runtime::__private::Arc::new(#make)
                    }
                    __feathers_make
                },
            }
        }
    })
}

/// The self type as written, without the spaces token printing adds.
fn type_name(service: &Service) -> String {
    service
        .self_ty
        .to_token_stream()
        .to_string()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}
