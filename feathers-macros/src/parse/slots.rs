//! Which argument of a service method receives what: `Params`/`&Params` the params,
//! `App`/`&App` the app, `ServiceRef`/`&ServiceRef` the service's own handle (for its
//! events), and the other arguments the id and the data, in Feathers' order. Arguments a method does not need may be left out.

use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{FnArg, PatType, Token, Type};

use crate::ctxt::Ctxt;
use crate::model::{Layout, Slot, ValueSlot};

/// A type the dispatch recognises by its last path segment.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Known {
    Params,
    App,
    This,
}

impl Known {
    fn name(self) -> &'static str {
        match self {
            Known::Params => "Params",
            Known::App => "App",
            Known::This => "ServiceRef",
        }
    }
}

/// The slot of each typed argument (the receiver is skipped), or `None` when an
/// argument has no place (reported).
pub(crate) fn assign(
    layout: Layout,
    method: &str,
    inputs: &Punctuated<FnArg, Token![,]>,
    cx: &mut Ctxt,
) -> Option<Vec<Slot>> {
    let mut free = layout.value_slots().iter().copied();
    let mut seen: Vec<Known> = Vec::new();
    let mut slots = Vec::new();
    let mut ok = true;
    for input in inputs {
        let FnArg::Typed(arg) = input else { continue };
        match assign_one(arg, layout, method, &mut free, &mut seen, cx) {
            Some(slot) => slots.push(slot),
            None => ok = false,
        }
    }
    ok.then_some(slots)
}

fn assign_one(
    arg: &PatType,
    layout: Layout,
    method: &str,
    free: &mut impl Iterator<Item = ValueSlot>,
    seen: &mut Vec<Known>,
    cx: &mut Ctxt,
) -> Option<Slot> {
    let ty = &*arg.ty;
    if let Some((known, by_ref, mutable)) = known_type(ty) {
        let name = known.name();
        if mutable {
            cx.error_spanned_by(
                ty,
                format!(
                    "take `{name}` or `&{name}`; a service method cannot change the call's {name}"
                ),
            );
            return None;
        }
        if seen.contains(&known) {
            cx.error_spanned_by(
                arg,
                format!("`{method}` already has a `{name}` argument; this one has no place"),
            );
            return None;
        }
        seen.push(known);
        return Some(match known {
            Known::Params => Slot::Params {
                by_ref,
                span: ty.span(),
            },
            Known::App => Slot::App {
                by_ref,
                span: ty.span(),
            },
            Known::This => Slot::This {
                by_ref,
                span: ty.span(),
            },
        });
    }
    let Some(slot) = free.next() else {
        cx.error_spanned_by(
            arg,
            format!(
                "`{method}` takes {}; this argument has no place",
                layout.describe()
            ),
        );
        return None;
    };
    match ty {
        Type::Reference(_) => {
            cx.error_spanned_by(
                ty,
                format!(
                    "the {} argument is passed by value; remove the `&`",
                    slot.name()
                ),
            );
            None
        }
        Type::ImplTrait(_) => {
            cx.error_spanned_by(
                ty,
                format!(
                    "the {} argument needs a concrete type, not `impl Trait`",
                    slot.name()
                ),
            );
            None
        }
        _ => Some(match slot {
            ValueSlot::Id => Slot::Id(ty.clone()),
            ValueSlot::Data => Slot::Data(ty.clone()),
        }),
    }
}

/// `Params`, `&Params`, `App` or `&App` (by the last path segment), with whether it is
/// a reference and whether that reference is mutable.
fn known_type(ty: &Type) -> Option<(Known, bool, bool)> {
    let (inner, by_ref, mutable) = match ty {
        Type::Reference(reference) => (&*reference.elem, true, reference.mutability.is_some()),
        other => (other, false, false),
    };
    let Type::Path(path) = inner else { return None };
    if path.qself.is_some() {
        return None;
    }
    let last = path.path.segments.last()?;
    if !last.arguments.is_none() {
        return None;
    }
    let known = if last.ident == "Params" {
        Known::Params
    } else if last.ident == "App" {
        Known::App
    } else if last.ident == "ServiceRef" {
        Known::This
    } else {
        return None;
    };
    Some((known, by_ref, mutable))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Standard;
    use quote::ToTokens;
    use syn::{parse_quote, Signature};

    fn slots(layout: Layout, sig: Signature) -> Result<Vec<String>, Vec<String>> {
        let mut cx = Ctxt::new();
        let assigned = assign(layout, &sig.ident.to_string(), &sig.inputs, &mut cx);
        match (assigned, cx.into_error()) {
            (Some(slots), None) => Ok(slots.iter().map(describe).collect()),
            (_, Some(error)) => Err(error.into_iter().map(|e| e.to_string()).collect()),
            (None, None) => panic!("no slots and no error"),
        }
    }

    fn describe(slot: &Slot) -> String {
        match slot {
            Slot::Id(ty) => format!("id: {}", ty.to_token_stream()),
            Slot::Data(ty) => format!("data: {}", ty.to_token_stream()),
            Slot::Params { by_ref, .. } => {
                format!("params{}", if *by_ref { " by ref" } else { "" })
            }
            Slot::App { by_ref, .. } => format!("app{}", if *by_ref { " by ref" } else { "" }),
            Slot::This { by_ref, .. } => {
                format!("this{}", if *by_ref { " by ref" } else { "" })
            }
        }
    }

    const GET: Layout = Layout::Standard(Standard::Get);
    const PATCH: Layout = Layout::Standard(Standard::Patch);
    const FIND: Layout = Layout::Standard(Standard::Find);

    #[test]
    fn fills_id_and_data_in_layout_order() {
        let sig = parse_quote!(async fn patch(&self, id: Option<Id>, data: Value, params: Params));
        assert_eq!(
            slots(PATCH, sig),
            Ok(vec![
                "id: Option < Id >".into(),
                "data: Value".into(),
                "params".into()
            ])
        );
    }

    #[test]
    fn params_and_app_go_anywhere_and_may_be_references() {
        let sig =
            parse_quote!(async fn get(&self, p: &feathers_runtime::Params, app: App, id: u64));
        assert_eq!(
            slots(GET, sig),
            Ok(vec!["params by ref".into(), "app".into(), "id: u64".into()])
        );
    }

    #[test]
    fn arguments_may_be_left_out() {
        assert_eq!(slots(FIND, parse_quote!(async fn find(&self))), Ok(vec![]));
        let sig = parse_quote!(async fn patch(&self, id: u64));
        assert_eq!(slots(PATCH, sig), Ok(vec!["id: u64".into()]));
    }

    #[test]
    fn an_extra_argument_has_no_place() {
        let sig = parse_quote!(async fn get(&self, id: Id, data: Value));
        let errors = slots(GET, sig).expect_err("an error");
        assert_eq!(
            errors,
            ["`get` takes (id, params); this argument has no place"]
        );
        let sig = parse_quote!(async fn find(&self, query: Value));
        let errors = slots(FIND, sig).expect_err("an error");
        assert_eq!(
            errors,
            ["`find` takes (params); this argument has no place"]
        );
    }

    #[test]
    fn params_twice_and_mutable_params_are_errors() {
        let sig = parse_quote!(async fn find(&self, a: Params, b: &Params));
        let errors = slots(FIND, sig).expect_err("an error");
        assert!(
            errors[0].contains("already has a `Params` argument"),
            "{errors:?}"
        );
        let sig = parse_quote!(async fn find(&self, a: &mut Params));
        assert!(slots(FIND, sig).is_err());
    }

    #[test]
    fn id_and_data_are_taken_by_value() {
        let sig = parse_quote!(async fn get(&self, id: &Id));
        let errors = slots(GET, sig).expect_err("an error");
        assert!(
            errors[0].contains("the id argument is passed by value"),
            "{errors:?}"
        );
    }

    #[test]
    fn a_params_type_with_generics_is_data() {
        let sig = parse_quote!(async fn create(&self, data: Params<Custom>));
        let layout = Layout::Standard(Standard::Create);
        assert_eq!(
            slots(layout, sig),
            Ok(vec!["data: Params < Custom >".into()])
        );
    }
}
