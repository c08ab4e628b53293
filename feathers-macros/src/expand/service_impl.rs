//! `impl ::feathers_runtime::Service for T`: the method list, the custom events, the
//! declared hooks and the dispatch shim. Empty events and hooks keep the trait's
//! defaults.

use proc_macro2::TokenStream;
use quote::quote;

use super::{dispatch, hooks};
use crate::model::Service;

pub(crate) fn expand(service: &Service) -> TokenStream {
    let self_ty = &service.self_ty;
    let methods = methods_fn(service);
    let events = events_fn(service);
    let exposed = exposed_fn(service);
    let hooks = hooks::hooks_fn(service);
    let call = dispatch::call_fn(service);
    quote! {
        impl ::feathers_runtime::Service for #self_ty {
            #methods
            #events
            #exposed
            #hooks
            #call
        }
    }
}

fn methods_fn(service: &Service) -> TokenStream {
    let names = service.methods.iter().map(|method| &method.name);
    let list = match &service.delegate {
        Some(field) => {
            let delegate = dispatch::delegate_expr(field);
            quote!(::feathers_runtime::__private::methods_with(&[#(#names),*], #delegate))
        }
        None => quote!(::feathers_runtime::__private::methods(&[#(#names),*])),
    };
    quote! {
        fn methods(&self) -> ::feathers_runtime::__private::Vec<::feathers_runtime::Method> {
            #list
        }
    }
}

fn events_fn(service: &Service) -> Option<TokenStream> {
    let events = &service.events;
    let list = match &service.delegate {
        Some(field) => {
            let delegate = dispatch::delegate_expr(field);
            quote!(::feathers_runtime::__private::events_with(&[#(#events),*], #delegate))
        }
        None if events.is_empty() => return None,
        None => quote!(::feathers_runtime::__private::events(&[#(#events),*])),
    };
    Some(quote! {
        fn events(&self) -> ::feathers_runtime::__private::Vec<::feathers_runtime::__private::String> {
            #list
        }
    })
}

fn exposed_fn(service: &Service) -> Option<TokenStream> {
    let names = service.exposed.as_ref()?;
    Some(quote! {
        fn exposed(
            &self,
        ) -> ::feathers_runtime::__private::Option<::feathers_runtime::__private::Vec<::feathers_runtime::Method>> {
            ::feathers_runtime::__private::Some(::feathers_runtime::__private::methods(&[#(#names),*]))
        }
    })
}
