//! Functions registered through inventory and run once when the app is built from its
//! registered services: `#[app_hooks] fn() -> Hooks` (hooks for every service) and
//! `#[setup] fn(&App)`, returning `()` or `Result<()>` (channels, publishers, connection
//! handlers).

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{Item, ItemFn, ReturnType};

use crate::ctxt::Ctxt;

/// What one kind of startup function looks like and how it is registered.
pub(crate) struct StartupFn {
    attribute: &'static str,
    /// The signature users write, for messages.
    signature: &'static str,
    /// How many arguments the function takes (`&App`, or none).
    arguments: usize,
    /// The registration type in `__private` and its field holding the function.
    registration: &'static str,
    field: &'static str,
}

pub(crate) const APP_HOOKS: StartupFn = StartupFn {
    attribute: "app_hooks",
    signature: "#[app_hooks] fn hooks() -> Hooks { .. }",
    arguments: 0,
    registration: "AppHooksRegistration",
    field: "make",
};

pub(crate) const SETUP: StartupFn = StartupFn {
    attribute: "setup",
    signature: "#[setup] fn channels(app: &App) -> Result<()> { .. }",
    arguments: 1,
    registration: "SetupRegistration",
    field: "run",
};

pub(crate) fn expand(kind: &StartupFn, args: TokenStream, item: TokenStream) -> TokenStream {
    let mut cx = Ctxt::new();
    let attribute = kind.attribute;
    if !args.is_empty() {
        cx.error_spanned_by(&args, format!("#[{attribute}] takes no arguments"));
    }
    let func = match syn::parse2::<Item>(item.clone()) {
        Ok(Item::Fn(func)) => Some(func),
        Ok(_) => {
            cx.error_at(
                Span::call_site(),
                format!("#[{attribute}] goes on a function: {}", kind.signature),
            );
            None
        }
        Err(error) => {
            cx.syn_error(error);
            None
        }
    };
    let submit = func.as_ref().and_then(|func| {
        check(kind, func, &mut cx);
        (!cx.has_errors()).then(|| submit(kind, func))
    });
    let errors = cx.into_compile_errors();
    quote! {
        #item
        #submit
        #errors
    }
}

/// A plain function, called once at startup.
fn check(kind: &StartupFn, func: &ItemFn, cx: &mut Ctxt) {
    let attribute = kind.attribute;
    let sig = &func.sig;
    if let Some(asyncness) = &sig.asyncness {
        cx.error_spanned_by(
            asyncness,
            format!("#[{attribute}] functions cannot be async; they run once, at startup"),
        );
    }
    if sig.inputs.len() != kind.arguments {
        let expected = match kind.arguments {
            0 => "take no arguments".to_owned(),
            _ => "take one argument, `app: &App`".to_owned(),
        };
        let span = if sig.inputs.is_empty() {
            sig.paren_token.span.join()
        } else {
            sig.inputs.span()
        };
        cx.error_at(
            span,
            format!("#[{attribute}] functions {expected}: {}", kind.signature),
        );
    }
    if !sig.generics.params.is_empty() {
        cx.error_spanned_by(
            &sig.generics,
            format!("#[{attribute}] functions cannot be generic"),
        );
    } else if let Some(where_clause) = &sig.generics.where_clause {
        cx.error_spanned_by(
            where_clause,
            format!("#[{attribute}] functions cannot have a where clause"),
        );
    }
    if let Some(unsafety) = &sig.unsafety {
        cx.error_spanned_by(
            unsafety,
            format!("#[{attribute}] functions cannot be unsafe"),
        );
    }
}

fn submit(kind: &StartupFn, func: &ItemFn) -> TokenStream {
    let name = func.sig.ident.unraw().to_string();
    // The function, named under its return type's span (or its arguments' for setup):
    // a function of the wrong type is reported there.
    let span = match (&func.sig.output, kind.arguments) {
        (ReturnType::Type(_, ty), 0) => ty.span(),
        (_, 0) => func.sig.ident.span(),
        _ => func.sig.inputs.span(),
    };
    let mut function = func.sig.ident.clone();
    function.set_span(span);
    let registration = syn::Ident::new(kind.registration, Span::call_site());
    let field = syn::Ident::new(kind.field, Span::call_site());
    if kind.arguments == 1 {
        // A set-up function returns `()` or `Result<()>`; the registration holds one
        // signature, so a small wrapper reads either.
        let returned = match &func.sig.output {
            ReturnType::Type(_, ty) => ty.span(),
            ReturnType::Default => func.sig.ident.span(),
        };
        let outcome = quote::quote_spanned! {returned=>
            ::feathers_runtime::__private::setup_result(#function(app))
        };
        return quote! {
            ::feathers_runtime::__private::inventory::submit! {
                ::feathers_runtime::__private::#registration {
                    name: ::core::concat!(::core::module_path!(), "::", #name),
                    #field: {
                        fn __feathers_setup(
                            app: &::feathers_runtime::App,
                        ) -> ::feathers_runtime::Result<()> {
                            #outcome
                        }
                        __feathers_setup
                    },
                }
            }
        };
    }
    quote! {
        ::feathers_runtime::__private::inventory::submit! {
            ::feathers_runtime::__private::#registration {
                name: ::core::concat!(::core::module_path!(), "::", #name),
                #field: #function,
            }
        }
    }
}
