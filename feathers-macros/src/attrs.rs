//! Recognising the helper attributes by the last segment of their path, so that
//! `#[before]`, `#[feathers_runtime::before]` and a renamed import all count.

use syn::Attribute;

use crate::model::HookKind;

/// The last segment of an attribute's path, as a string.
fn last_segment(attr: &Attribute) -> Option<String> {
    attr.path()
        .segments
        .last()
        .map(|segment| segment.ident.to_string())
}

pub(crate) fn is_service(attr: &Attribute) -> bool {
    last_segment(attr).as_deref() == Some("service")
}

pub(crate) fn is_method(attr: &Attribute) -> bool {
    last_segment(attr).as_deref() == Some("method")
}

/// The hook kind of `#[before]`, `#[after]`, `#[error]` or `#[around]`.
pub(crate) fn hook_kind(attr: &Attribute) -> Option<HookKind> {
    last_segment(attr).as_deref().and_then(HookKind::from_name)
}

/// The first path segment of a hook attribute that `#[before]` and friends moved below
/// `#[service]`. Its path was resolved where the user wrote it; `#[service]` reads it
/// like any other hook attribute.
pub(crate) const MOVED: &str = "__feathers_moved";

/// True for a hook attribute moved below `#[service]`.
pub(crate) fn is_moved(attr: &Attribute) -> bool {
    attr.path()
        .segments
        .first()
        .is_some_and(|segment| segment.ident == MOVED)
}

/// True for `#[method]` and the hook attributes.
pub(crate) fn is_helper(attr: &Attribute) -> bool {
    is_method(attr) || hook_kind(attr).is_some()
}

/// The argument of the attributes `#[service]` emits only to have their paths resolved
/// (see `expand/helper_uses.rs`); an attribute with it expands to nothing.
pub(crate) const RESOLVE: &str = "__feathers_resolve";

/// True for the arguments `__feathers_resolve`.
pub(crate) fn is_resolve_marker(args: &proc_macro2::TokenStream) -> bool {
    let mut tokens = args.clone().into_iter();
    matches!(
        (tokens.next(), tokens.next()),
        (Some(proc_macro2::TokenTree::Ident(ident)), None) if ident == RESOLVE
    )
}
