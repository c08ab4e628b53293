//! `Service::hooks`: the hook attributes as a `Hooks` value. Impl-level hooks become
//! `.before(h)`, method-level ones `.before_on("create", h)`, in source order.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Ident, Type};

use crate::model::{Hook, HookKind, Service};

pub(crate) fn hooks_fn(service: &Service) -> Option<TokenStream> {
    let no_hooks =
        service.hooks.is_empty() && service.methods.iter().all(|method| method.hooks.is_empty());
    if no_hooks {
        return None;
    }
    let result = service.result.as_ref();
    let for_all = service.hooks.iter().map(|hook| add(hook, None, result));
    let for_one = service.methods.iter().flat_map(|method| {
        method
            .hooks
            .iter()
            .map(move |hook| add(hook, Some(&method.name), result))
    });
    Some(quote! {
        fn hooks(&self) -> ::feathers_runtime::Hooks {
            ::feathers_runtime::Hooks::new()
                #(#for_all)*
                #(#for_one)*
        }
    })
}

/// `.before(hook(expr))`, `.before_on("method", hook(expr))` (a hook on a method), or
/// `.before_on(["a", "b"], hook(expr))` (`on = [..]`). The expression keeps
/// its own span, and `__private::hook` has a plain signature, so a value that is not a
/// hook is reported at the expression with a short note. A resolver is an after hook
/// whose record type is the service's `result` (parsing dropped resolvers without one).
fn add(hook: &Hook, method: Option<&String>, result: Option<&Type>) -> TokenStream {
    let expr = &hook.expr;
    // The check call carries the expression's span too, so the compiler's "required by
    // this call" label lands on the hook rather than on `#[service]`.
    let span = expr.span();
    let (kind, check) = match hook.kind {
        HookKind::Around => (
            "around",
            quote_spanned!(span=> ::feathers_runtime::__private::around_hook),
        ),
        HookKind::Before | HookKind::After | HookKind::Error => (
            hook.kind.name(),
            quote_spanned!(span=> ::feathers_runtime::__private::hook),
        ),
        HookKind::Resolve => (
            "after",
            quote_spanned!(span=> ::feathers_runtime::__private::resolver::<#result, _>),
        ),
    };
    if let Some(names) = &hook.methods {
        let adder = Ident::new(&format!("{kind}_on"), Span::call_site());
        return quote!(.#adder([#(#names),*], #check(#expr)));
    }
    match method {
        None => {
            let adder = Ident::new(kind, Span::call_site());
            quote!(.#adder(#check(#expr)))
        }
        Some(method) => {
            let adder = Ident::new(&format!("{kind}_on"), Span::call_site());
            quote!(.#adder(#method, #check(#expr)))
        }
    }
}
