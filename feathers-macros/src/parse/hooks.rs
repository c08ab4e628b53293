//! Hook attributes on the impl block and on methods: taken off the item, read into
//! hook expressions in source order.

use syn::Attribute;

use crate::args::parse_hook_list;
use crate::attrs;
use crate::ctxt::Ctxt;
use crate::model::{Hook, HookKind};

/// Removes the hook attributes from `item_attrs` and returns them, in source order.
pub(crate) fn take_hook_attrs(item_attrs: &mut Vec<Attribute>) -> Vec<(HookKind, Attribute)> {
    let mut taken = Vec::new();
    item_attrs.retain(|attr| match attrs::hook_kind(attr) {
        Some(kind) => {
            taken.push((kind, attr.clone()));
            false
        }
        None => true,
    });
    taken
}

/// Removes the hook attributes from `item_attrs` and reads their hooks.
pub(crate) fn collect(item_attrs: &mut Vec<Attribute>, cx: &mut Ctxt) -> Vec<Hook> {
    read(take_hook_attrs(item_attrs), cx)
}

/// The hooks of already taken attributes.
pub(crate) fn read(taken: Vec<(HookKind, Attribute)>, cx: &mut Ctxt) -> Vec<Hook> {
    taken
        .into_iter()
        .flat_map(|(kind, attr)| {
            parse_hook_list(&attr, kind, cx)
                .into_iter()
                .map(move |expr| Hook { kind, expr })
        })
        .collect()
}
