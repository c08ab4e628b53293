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
    let hooks = hooks::hooks_fn(service);
    let call = dispatch::call_fn(service);
    quote! {
        impl ::feathers_runtime::Service for #self_ty {
            #methods
            #events
            #hooks
            #call
        }
    }
}

fn methods_fn(service: &Service) -> TokenStream {
    let names = service.methods.iter().map(|method| &method.name);
    quote! {
        fn methods(&self) -> ::feathers_runtime::__private::Vec<::feathers_runtime::Method> {
            ::feathers_runtime::__private::methods(&[#(#names),*])
        }
    }
}

fn events_fn(service: &Service) -> Option<TokenStream> {
    if service.events.is_empty() {
        return None;
    }
    let events = &service.events;
    Some(quote! {
        fn events(&self) -> ::feathers_runtime::__private::Vec<::feathers_runtime::__private::String> {
            ::feathers_runtime::__private::events(&[#(#events),*])
        }
    })
}
