//! `impl ::feathers_runtime::Service for T`: the method list, the custom events, the
//! declared hooks and the dispatch shim. Empty events and hooks keep the trait's
//! defaults.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned, ToTokens};
use syn::spanned::Spanned;

use super::{dispatch, hooks};
use crate::model::{Service, Slot, Standard};

pub(crate) fn expand(service: &Service) -> TokenStream {
    let self_ty = &service.self_ty;
    let methods = methods_fn(service);
    let events = events_fn(service);
    let exposed = exposed_fn(service);
    let hooks = hooks::hooks_fn(service);
    let schemas = schemas_fn(service);
    let call = dispatch::call_fn(service);
    quote! {
        impl ::feathers_runtime::Service for #self_ty {
            #methods
            #events
            #exposed
            #hooks
            #schemas
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

/// `fn schemas`: the declared `result = T`, `data = T` and `patch = T`, then, for each
/// method, the schema of its data type and of the record it returns, for the types that derive `JsonSchema`
/// (the probe picks `None` for the others). Left out when there is nothing to ask.
fn schemas_fn(service: &Service) -> Option<TokenStream> {
    let mut steps = Vec::new();
    if let Some(ty) = &service.result {
        // Under the type's span: a type without `JsonSchema` is reported there.
        steps.push(quote_spanned! {ty.span()=>
            .with_result(::feathers_runtime::__private::Some(
                ::feathers_runtime::__private::Schema::result::<#ty>(),
            ))
        });
    }
    // Before the methods' own: a method's data type with a schema replaces these; one
    // without (`Value`) leaves them.
    if let Some(ty) = &service.data {
        for name in ["create", "update"] {
            steps.push(quote_spanned! {ty.span()=>
                .with_data(#name, ::feathers_runtime::__private::Some(
                    ::feathers_runtime::__private::Schema::data::<#ty>(),
                ))
            });
        }
    }
    let patch = match (&service.patch, &service.data) {
        (Some(ty), _) => Some(quote_spanned!(ty.span()=> #ty)),
        (None, Some(ty)) => {
            Some(quote_spanned!(ty.span()=> ::feathers_runtime::__private::Partial<#ty>))
        }
        (None, None) => None,
    };
    if let Some(ty) = patch {
        steps.push(quote_spanned! {ty.span()=>
            .with_data("patch", ::feathers_runtime::__private::Some(
                ::feathers_runtime::__private::Schema::data::<#ty>(),
            ))
        });
    }
    for method in &service.methods {
        let name = &method.name;
        for slot in &method.args {
            if let Slot::Data(ty) = slot {
                steps.push(quote! {
                    .with_data(#name, (&&::feathers_runtime::__private::Probe::<#ty>::new()).data_schema())
                });
            }
        }
        let returns_a_record = matches!(
            Standard::from_name(name),
            Some(
                Standard::Get
                    | Standard::Create
                    | Standard::Update
                    | Standard::Patch
                    | Standard::Remove
            )
        );
        if let (true, Some(ty)) = (returns_a_record, &method.output_ok) {
            if !mentions_impl(ty) {
                steps.push(quote! {
                    .with_result((&&::feathers_runtime::__private::Probe::<#ty>::new()).result_schema())
                });
            }
        }
    }
    if steps.is_empty() {
        return None;
    }
    Some(quote! {
        fn schemas(&self) -> ::feathers_runtime::__private::ServiceSchemas {
            #[allow(unused_imports)]
            use ::feathers_runtime::__private::{HasSchema as _, NoSchema as _};
            ::feathers_runtime::__private::ServiceSchemas::new() #(#steps)*
        }
    })
}

/// Whether a type has an `impl Trait` in it, which a turbofish cannot name.
fn mentions_impl(ty: &syn::Type) -> bool {
    ty.to_token_stream()
        .into_iter()
        .any(|token| matches!(token, proc_macro2::TokenTree::Ident(ident) if ident == "impl"))
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
