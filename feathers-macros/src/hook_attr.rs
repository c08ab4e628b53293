//! `#[before]`, `#[after]`, `#[error]`, `#[around]` and `#[method]` when they expand on
//! their own. Inside a `#[service]` block they never do: `#[service]` expands first and
//! reads them. So expanding on its own means one of two things:
//!
//! - a hook attribute written above `#[service]` on the impl block: it moves itself (and
//!   any other hook attribute above `#[service]`) just below `#[service]`, in source
//!   order, where `#[service]` will read it;
//! - an attribute used outside a `#[service]` block: an error at the attribute.
//!
//! The one exception is `#[before(__feathers_resolve)]`, which `#[service]` emits so the
//! compiler resolves the attribute's path; it expands to nothing.

use proc_macro2::{Span, TokenStream};
use quote::{quote, ToTokens};
use syn::parse::Parser;
use syn::{Attribute, Ident, Item, ItemImpl};

use crate::attrs;
use crate::model::HookKind;

pub(crate) fn hook(kind: HookKind, args: TokenStream, item: TokenStream) -> TokenStream {
    if attrs::is_resolve_marker(&args) {
        return TokenStream::new();
    }
    match syn::parse2::<Item>(item.clone()) {
        Ok(Item::Impl(item_impl)) if item_impl.attrs.iter().any(attrs::is_service) => {
            move_below_service(kind, args, item_impl)
        }
        _ => {
            let message = format!(
                "#[{}] can only be used on a #[service] impl block or on a service method inside one",
                kind.name()
            );
            with_error(item, &message)
        }
    }
}

pub(crate) fn method(args: TokenStream, item: TokenStream) -> TokenStream {
    if attrs::is_resolve_marker(&args) {
        return TokenStream::new();
    }
    with_error(
        item,
        "#[method] can only be used on a method inside a #[service] impl block",
    )
}

/// The item unchanged, and an error at the attribute.
fn with_error(item: TokenStream, message: &str) -> TokenStream {
    let error = syn::Error::new(Span::call_site(), message).to_compile_error();
    quote!(#item #error)
}

fn move_below_service(kind: HookKind, args: TokenStream, mut item_impl: ItemImpl) -> TokenStream {
    let Some(service_at) = item_impl.attrs.iter().position(attrs::is_service) else {
        return item_impl.into_token_stream();
    };
    // Hook attributes between this one and #[service] follow this one.
    let mut moved = rebuild(kind, args);
    let mut kept = Vec::new();
    for (index, attr) in item_impl.attrs.drain(..).enumerate() {
        if index < service_at && attrs::hook_kind(&attr).is_some() {
            moved.push(attr);
        } else {
            kept.push(attr);
        }
    }
    let service_at = kept.iter().position(attrs::is_service).unwrap_or_default();
    kept.splice(service_at + 1..service_at + 1, moved);
    item_impl.attrs = kept;
    item_impl.into_token_stream()
}

/// This attribute again, `#[__feathers_moved::before(args)]`, spanned at the original
/// attribute so that `#[service]` reports problems with it there.
fn rebuild(kind: HookKind, args: TokenStream) -> Vec<Attribute> {
    let moved = Ident::new(attrs::MOVED, Span::call_site());
    let name = Ident::new(kind.name(), Span::call_site());
    let tokens = if args.is_empty() {
        quote!(#[#moved::#name])
    } else {
        quote!(#[#moved::#name(#args)])
    };
    // An attribute built from a name and tokens that already parsed as attribute
    // arguments always parses.
    Attribute::parse_outer.parse2(tokens).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attr_names(tokens: TokenStream) -> Vec<String> {
        let item: ItemImpl = syn::parse2(tokens).expect("an impl block");
        item.attrs
            .iter()
            .map(|attr| attr.to_token_stream().to_string().replace(' ', ""))
            .collect()
    }

    #[test]
    fn hooks_above_service_move_below_it_in_source_order() {
        let item = quote! {
            #[after(b)]
            #[doc = "kept"]
            #[feathers_runtime::before(c)]
            #[service("x")]
            #[before(d)]
            impl X {}
        };
        let moved = hook(HookKind::Before, quote!(a), item);
        assert_eq!(
            attr_names(moved),
            [
                "#[doc=\"kept\"]",
                "#[service(\"x\")]",
                "#[__feathers_moved::before(a)]",
                "#[after(b)]",
                "#[feathers_runtime::before(c)]",
                "#[before(d)]",
            ]
        );
    }

    #[test]
    fn outside_a_service_the_item_is_kept_with_one_error() {
        let out = hook(HookKind::Around, quote!(a), quote!(impl X {}));
        let text = out.to_string();
        assert!(text.starts_with("impl X"), "{text}");
        assert_eq!(text.matches("compile_error").count(), 1, "{text}");
        assert!(text.contains("#[around] can only be used"), "{text}");
    }

    #[test]
    fn the_resolve_marker_expands_to_nothing() {
        let marker = Ident::new(attrs::RESOLVE, Span::call_site());
        assert!(hook(
            HookKind::Error,
            quote!(#marker),
            quote!(
                const _: () = ();
            )
        )
        .is_empty());
        assert!(method(
            quote!(#marker),
            quote!(
                const _: () = ();
            )
        )
        .is_empty());
    }
}
