//! Hook attributes on the impl block and on methods: taken off the item, read into
//! hook expressions in source order.

use syn::{Attribute, Expr, ExprLit, Lit, LitStr};

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
    let mut hooks = Vec::new();
    for (kind, attr) in taken {
        let mut exprs = parse_hook_list(&attr, kind, cx);
        let methods = take_method_filter(&mut exprs, cx);
        if methods.is_some() && exprs.is_empty() {
            cx.error_spanned_by(
                &attr,
                format!(
                    "#[{name}(on = [..], ..)] needs at least one hook after the methods",
                    name = kind.name()
                ),
            );
        }
        if methods.as_ref().is_some_and(Vec::is_empty) {
            // Reported already; left out so the expansion adds no errors of its own.
            continue;
        }
        hooks.extend(exprs.into_iter().map(|expr| Hook {
            kind,
            expr,
            methods: methods.clone(),
        }));
    }
    hooks
}

/// `on = ["create", "patch"]` as the first item of a hook list: the method names,
/// taken off the list. Anything but string literals in brackets is an error.
fn take_method_filter(exprs: &mut Vec<Expr>, cx: &mut Ctxt) -> Option<Vec<LitStr>> {
    let Some(Expr::Assign(assign)) = exprs.first() else {
        return None;
    };
    let is_on = matches!(&*assign.left, Expr::Path(path) if path.path.is_ident("on"));
    if !is_on {
        return None;
    }
    let Expr::Assign(assign) = exprs.remove(0) else {
        return None;
    };
    let shape = "`on = [..]` lists method names: on = [\"create\", \"patch\"]";
    let Expr::Array(array) = *assign.right else {
        cx.error_spanned_by(&assign.right, shape);
        return Some(Vec::new());
    };
    let mut names: Vec<LitStr> = Vec::new();
    let listed_nothing = array.elems.is_empty();
    for item in array.elems {
        match item {
            Expr::Lit(ExprLit {
                lit: Lit::Str(name),
                ..
            }) => {
                if names.iter().any(|seen| seen.value() == name.value()) {
                    cx.error_spanned_by(&name, format!("`{}` is listed twice", name.value()));
                } else {
                    names.push(name);
                }
            }
            other => cx.error_spanned_by(other, shape),
        }
    }
    if listed_nothing {
        cx.error_at(
            array.bracket_token.span.join(),
            "`on = [..]` needs at least one method",
        );
    }
    Some(names)
}
