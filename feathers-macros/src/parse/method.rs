//! One method of a `#[service]` block: is it a service method, and is it one the
//! dispatch shim can call?

use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{Attribute, FnArg, ImplItemFn, Meta, ReturnType, Type, TypeReference};

use super::{hooks, slots};
use crate::attrs;
use crate::ctxt::Ctxt;
use crate::model::{Layout, ServiceMethod, Standard, RESERVED_METHOD_NAMES};

/// Reads one method, removing `#[method]` and hook attributes from it. `None` for a
/// helper method, and for a service method that failed a check (already reported).
pub(crate) fn parse(func: &mut ImplItemFn, cx: &mut Ctxt) -> Option<ServiceMethod> {
    let markers = take_method_markers(&mut func.attrs);
    let hook_attrs = hooks::take_hook_attrs(&mut func.attrs);
    let name = func.sig.ident.unraw().to_string();

    let layout = match (Standard::from_name(&name), markers.first()) {
        (Some(standard), marker) => {
            if let Some(marker) = marker {
                cx.error_spanned_by(
                    marker,
                    format!("`{name}` is a standard method; standard methods need no #[method]"),
                );
            }
            Layout::Standard(standard)
        }
        (None, Some(_)) => Layout::Custom,
        (None, None) => {
            // A helper method: hooks cannot attach to it.
            for (kind, attr) in &hook_attrs {
                cx.error_spanned_by(
                    attr,
                    format!(
                        "#[{}] goes on a service method (find, get, create, update, patch, \
                         remove or a #[method]) or on the impl block; `{name}` is none of these",
                        kind.name()
                    ),
                );
            }
            return None;
        }
    };

    let mut ok = check_markers(&markers, cx);
    if layout == Layout::Custom && RESERVED_METHOD_NAMES.contains(&name.as_str()) {
        cx.error_spanned_by(
            &func.sig.ident,
            format!("`{name}` is reserved by Feathers and cannot be the name of a custom method"),
        );
        ok = false;
    }
    ok &= check_signature(func, cx);
    let args = slots::assign(layout, &name, &func.sig.inputs, cx);
    let mut hooks = hooks::read(hook_attrs, cx);
    for hook in &mut hooks {
        if let Some(names) = hook.methods.take() {
            let message = "`on = [..]` chooses methods for a hook on the impl block; a hook \
                           on a method is for that method";
            match names.first() {
                Some(name) => cx.error_spanned_by(name, message),
                None => cx.error_spanned_by(&hook.expr, message),
            }
        }
    }

    let output_span = match &func.sig.output {
        ReturnType::Type(_, ty) => ty.span(),
        ReturnType::Default => func.sig.ident.span(),
    };
    let output_ok = match &func.sig.output {
        ReturnType::Type(_, ty) => ok_type(ty),
        ReturnType::Default => None,
    };
    match args {
        Some(args) if ok => Some(ServiceMethod {
            ident: func.sig.ident.clone(),
            name,
            args,
            output_span,
            output_ok,
            hooks,
        }),
        _ => None,
    }
}

/// `T` of `Result<T>` or `Result<T, E>` (any path whose last segment is `Result`).
fn ok_type(ty: &syn::Type) -> Option<syn::Type> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last()?;
    if last.ident != "Result" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    args.args.iter().find_map(|arg| match arg {
        syn::GenericArgument::Type(ty) => Some(ty.clone()),
        _ => None,
    })
}

fn take_method_markers(func_attrs: &mut Vec<Attribute>) -> Vec<Attribute> {
    let mut markers = Vec::new();
    func_attrs.retain(|attr| {
        let marker = attrs::is_method(attr);
        if marker {
            markers.push(attr.clone());
        }
        !marker
    });
    markers
}

/// `#[method]` takes no arguments and is written once.
fn check_markers(markers: &[Attribute], cx: &mut Ctxt) -> bool {
    let mut ok = true;
    for marker in markers {
        if let Meta::List(list) = &marker.meta {
            cx.error_spanned_by(&list.tokens, "#[method] takes no arguments");
            ok = false;
        } else if let Meta::NameValue(name_value) = &marker.meta {
            cx.error_spanned_by(&name_value.value, "#[method] takes no arguments");
            ok = false;
        }
    }
    if let Some(second) = markers.get(1) {
        cx.error_spanned_by(second, "duplicate #[method]");
        ok = false;
    }
    ok
}

/// `async fn name(&self, ..)`, not generic, not unsafe, no ABI.
fn check_signature(func: &ImplItemFn, cx: &mut Ctxt) -> bool {
    let sig = &func.sig;
    let mut ok = true;
    if sig.asyncness.is_none() {
        let fn_token = &sig.fn_token;
        let ident = &sig.ident;
        cx.error_spanned_by(
            quote::quote!(#fn_token #ident),
            format!("service methods must be async: `async fn {}`", sig.ident),
        );
        ok = false;
    }
    if let Some(unsafety) = &sig.unsafety {
        cx.error_spanned_by(unsafety, "service methods cannot be unsafe");
        ok = false;
    }
    if let Some(abi) = &sig.abi {
        cx.error_spanned_by(abi, "service methods cannot declare an ABI");
        ok = false;
    }
    // Lifetime parameters are harmless; type and const parameters have no value the
    // dispatch could choose.
    let has_type_params = sig
        .generics
        .params
        .iter()
        .any(|param| !matches!(param, syn::GenericParam::Lifetime(_)));
    if has_type_params {
        cx.error_spanned_by(
            &sig.generics,
            "service methods cannot have generic parameters; the dispatch needs concrete types",
        );
        ok = false;
    } else if let Some(where_clause) = &sig.generics.where_clause {
        cx.error_spanned_by(where_clause, "service methods cannot have a where clause");
        ok = false;
    }
    ok & check_receiver(func, cx)
}

/// The receiver is `&self`: a service is shared by concurrent calls.
fn check_receiver(func: &ImplItemFn, cx: &mut Ctxt) -> bool {
    let ident = &func.sig.ident;
    let Some(FnArg::Receiver(receiver)) = func.sig.inputs.first() else {
        cx.error_spanned_by(
            ident,
            format!("service methods take `&self`: `async fn {ident}(&self, ..)`"),
        );
        return false;
    };
    let is_ref_self = matches!(
        &*receiver.ty,
        Type::Reference(TypeReference { mutability: None, elem, .. })
            if matches!(&**elem, Type::Path(path) if path.qself.is_none() && path.path.is_ident("Self"))
    );
    if is_ref_self {
        return true;
    }
    let message = if receiver.mutability.is_some() && receiver.reference.is_some() {
        "service methods take `&self`, not `&mut self`: a service is shared by concurrent \
         calls, so keep mutable state behind a lock (a `Mutex`, say)"
    } else if receiver.reference.is_none() && receiver.colon_token.is_none() {
        "service methods take `&self`, not `self`: a service is shared by concurrent calls"
    } else {
        "service methods take `&self`"
    };
    cx.error_spanned_by(receiver, message);
    false
}
