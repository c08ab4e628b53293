//! `#[service]` input -> [`Service`] model. Every check lives here and reports to the
//! [`Ctxt`]; what passes its checks goes into the model, what fails is left out, so the
//! expansion never repeats an error the checks already reported.

mod hooks;
mod method;
mod slots;

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use syn::{ImplItem, Item, ItemImpl, LitStr, Path};

use crate::args::ServiceArgs;
use crate::attrs;
use crate::ctxt::Ctxt;
use crate::model::{Service, ServiceMethod};

/// What `#[service]` read: the user's item, helper attributes removed, to emit again in
/// any case, and the service model when the block can be a service at all.
pub(crate) struct Parsed {
    pub(crate) item: TokenStream,
    pub(crate) service: Option<Service>,
    /// The paths of the helper attributes the user wrote in the block.
    pub(crate) helper_paths: Vec<Path>,
}

pub(crate) fn service(args: TokenStream, item: TokenStream, cx: &mut Ctxt) -> Parsed {
    let args = ServiceArgs::parse(args, cx);
    let mut item_impl = match syn::parse2::<Item>(item.clone()) {
        Ok(Item::Impl(item_impl)) => item_impl,
        Ok(_) => {
            cx.error_at(
                Span::call_site(),
                "#[service] goes on an impl block: #[service(\"messages\")] impl Messages { .. }",
            );
            return Parsed {
                item,
                service: None,
                helper_paths: Vec::new(),
            };
        }
        Err(error) => {
            cx.syn_error(error);
            return Parsed {
                item,
                service: None,
                helper_paths: Vec::new(),
            };
        }
    };
    let helper_paths = helper_paths(&item_impl);
    let block_ok = check_block(&item_impl, cx);
    let mut hooks = hooks::collect(&mut item_impl.attrs, cx);
    let mut methods: Vec<ServiceMethod> = item_impl
        .items
        .iter_mut()
        .filter_map(|impl_item| match impl_item {
            ImplItem::Fn(func) => method::parse(func, cx),
            ImplItem::Const(item) => {
                reject_helper_attrs(&mut item.attrs, cx);
                None
            }
            ImplItem::Type(item) => {
                reject_helper_attrs(&mut item.attrs, cx);
                None
            }
            ImplItem::Macro(item) => {
                reject_helper_attrs(&mut item.attrs, cx);
                None
            }
            _ => None,
        })
        .collect();
    if let Some(exposed) = &args.exposed {
        check_method_names(
            "methods = [..]",
            exposed,
            &methods,
            args.delegate.is_some(),
            cx,
        );
    }
    for names in hooks.iter().filter_map(|hook| hook.methods.as_ref()) {
        check_method_names("on = [..]", names, &methods, args.delegate.is_some(), cx);
    }
    if args.result.is_none() {
        reject_resolvers(&mut hooks, cx);
        for method in &mut methods {
            reject_resolvers(&mut method.hooks, cx);
        }
    }
    if args.delegate.is_none() {
        for ty in args.data.iter().chain(&args.patch) {
            cx.error_spanned_by(
                ty,
                "`data = ..` and `patch = ..` type the data of the methods a delegate \
                 answers: add `delegate = field`, or write the type in the method",
            );
        }
    }
    let service = match args.path {
        Some(path) if block_ok => Some(Service {
            self_ty: (*item_impl.self_ty).clone(),
            path,
            events: args.events,
            register: args.register,
            delegate: args.delegate,
            result: args.result,
            data: args.data,
            patch: args.patch,
            exposed: args.exposed,
            hooks,
            methods,
        }),
        _ => None,
    };
    Parsed {
        item: item_impl.into_token_stream(),
        service,
        helper_paths,
    }
}

/// Each name in `methods = [..]` or in a hook's `on = [..]` (`list` says which) must
/// be a method the service can have: one the block defines, or, with a delegate, any
/// name (the delegate's own are known at startup, where an unknown one stops the app).
fn check_method_names(
    list: &str,
    names: &[LitStr],
    methods: &[ServiceMethod],
    delegated: bool,
    cx: &mut Ctxt,
) {
    for name in names {
        let value = name.value();
        let defined = methods.iter().any(|method| method.name == value);
        if !defined && !delegated {
            cx.error_spanned_by(
                name,
                format!(
                    "`{value}` is not a method of this service; `{list}` lists methods \
                     the block defines (or its delegate's, with `delegate = field`)"
                ),
            );
        }
    }
}

/// The paths of `#[method]` and hook attributes as the user wrote them on the block
/// and its items (not those moved below `#[service]`, already resolved).
fn helper_paths(item_impl: &ItemImpl) -> Vec<Path> {
    let item_attrs = item_impl.items.iter().flat_map(|item| match item {
        ImplItem::Fn(item) => item.attrs.as_slice(),
        ImplItem::Const(item) => item.attrs.as_slice(),
        ImplItem::Type(item) => item.attrs.as_slice(),
        ImplItem::Macro(item) => item.attrs.as_slice(),
        _ => &[],
    });
    item_impl
        .attrs
        .iter()
        .chain(item_attrs)
        .filter(|attr| attrs::is_helper(attr) && !attrs::is_moved(attr))
        .map(|attr| attr.path().clone())
        .collect()
}

/// The impl block itself: inherent and not generic.
fn check_block(item_impl: &ItemImpl, cx: &mut Ctxt) -> bool {
    let mut ok = true;
    if let Some((_, trait_path, _)) = &item_impl.trait_ {
        cx.error_spanned_by(
            trait_path,
            "#[service] goes on an inherent impl block (`impl Messages { .. }`), not on a trait impl",
        );
        ok = false;
    }
    let generics = &item_impl.generics;
    if !generics.params.is_empty() {
        cx.error_spanned_by(
            generics,
            "#[service] cannot be used on a generic impl block; implement the service for a concrete type",
        );
        ok = false;
    } else if let Some(where_clause) = &generics.where_clause {
        cx.error_spanned_by(
            where_clause,
            "#[service] cannot be used on an impl block with a where clause",
        );
        ok = false;
    }
    ok
}

/// `#[resolve(f)]` resolves the records as the `result = Type` of the service; without
/// one it is an error at the resolver, and left out.
fn reject_resolvers(hooks: &mut Vec<crate::model::Hook>, cx: &mut Ctxt) {
    hooks.retain(|hook| {
        let resolver = hook.kind == crate::model::HookKind::Resolve;
        if resolver {
            cx.error_spanned_by(
                &hook.expr,
                "#[resolve] works on the service's record type: name it with \
                 #[service(.., result = Message)]",
            );
        }
        !resolver
    });
}

/// `#[method]` and hook attributes belong on methods; on a const, type or macro of the
/// block they are an error (and are removed, so they do not expand on their own).
fn reject_helper_attrs(item_attrs: &mut Vec<syn::Attribute>, cx: &mut Ctxt) {
    item_attrs.retain(|attr| {
        let helper = attrs::is_helper(attr);
        if helper {
            cx.error_spanned_by(attr, "this attribute goes on a service method");
        }
        !helper
    });
}
