//! The parsed service: what `#[service]` found in the impl block, already checked.
//! Parsing builds it (parse/), expansion reads it (expand/).

use proc_macro2::Span;
use syn::{Expr, Ident, LitStr, Type};

/// One `#[service(..)]` impl block.
pub(crate) struct Service {
    /// The type the impl block is for.
    pub(crate) self_ty: Type,
    /// The service path literal, checked.
    pub(crate) path: LitStr,
    /// Custom events, in declaration order.
    pub(crate) events: Vec<LitStr>,
    /// Whether to register the service through inventory (`register = false` turns it off).
    pub(crate) register: bool,
    /// `delegate = field`: the field whose `Service` answers the methods the block
    /// does not define.
    pub(crate) delegate: Option<syn::Ident>,
    /// `methods = [..]`: the methods clients may call; `None` exposes every method.
    pub(crate) exposed: Option<Vec<LitStr>>,
    /// `result = Type`: the type of the records.
    pub(crate) result: Option<Type>,
    /// `data = Type`: the data of the delegate's `create` and `update`.
    pub(crate) data: Option<Type>,
    /// `patch = Type`: the data of the delegate's `patch` (`Partial<data>` when only
    /// `data` is given).
    pub(crate) patch: Option<Type>,
    /// Hooks for every method, in source order.
    pub(crate) hooks: Vec<Hook>,
    /// The service methods, in source order. Methods that failed a check are left out.
    pub(crate) methods: Vec<ServiceMethod>,
}

/// A standard or custom method of the service.
pub(crate) struct ServiceMethod {
    /// The Rust method name.
    pub(crate) ident: Ident,
    /// The name clients call it by.
    pub(crate) name: String,
    /// The arguments, in the order the method declares them.
    pub(crate) args: Vec<Slot>,
    /// Where a wrong return type is reported: the return type, or the name when the
    /// method returns nothing.
    pub(crate) output_span: Span,
    /// `T` of a return type written `Result<T>` (any path ending in `Result`).
    pub(crate) output_ok: Option<Type>,
    /// Hooks for this method only, in source order.
    pub(crate) hooks: Vec<Hook>,
}

/// The six standard methods, recognised by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Standard {
    Find,
    Get,
    Create,
    Update,
    Patch,
    Remove,
}

impl Standard {
    pub(crate) fn from_name(name: &str) -> Option<Standard> {
        Some(match name {
            "find" => Standard::Find,
            "get" => Standard::Get,
            "create" => Standard::Create,
            "update" => Standard::Update,
            "patch" => Standard::Patch,
            "remove" => Standard::Remove,
            _ => return None,
        })
    }
}

/// How a method's arguments are laid out, as in Feathers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Layout {
    Standard(Standard),
    /// `#[method]`: `(data, params)`.
    Custom,
}

impl Layout {
    /// The value slots (besides params) in order.
    pub(crate) fn value_slots(self) -> &'static [ValueSlot] {
        use ValueSlot::{Data, Id};
        match self {
            Layout::Standard(Standard::Find) => &[],
            Layout::Standard(Standard::Get | Standard::Remove) => &[Id],
            Layout::Standard(Standard::Create) | Layout::Custom => &[Data],
            Layout::Standard(Standard::Update | Standard::Patch) => &[Id, Data],
        }
    }

    /// The layout as Feathers writes it: `(id, data, params)`.
    pub(crate) fn describe(self) -> String {
        let mut names: Vec<&str> = self.value_slots().iter().map(|slot| slot.name()).collect();
        names.push("params");
        format!("({})", names.join(", "))
    }
}

/// The id or the data argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ValueSlot {
    Id,
    Data,
}

impl ValueSlot {
    pub(crate) fn name(self) -> &'static str {
        match self {
            ValueSlot::Id => "id",
            ValueSlot::Data => "data",
        }
    }
}

/// What one argument of a service method receives.
#[derive(Clone, Debug)]
pub(crate) enum Slot {
    /// The id, converted with `FromId` into the declared type.
    Id(Type),
    /// The data, deserialised into the declared type.
    Data(Type),
    /// The params, by value or by reference. `span` is the argument type's: a type
    /// named `Params` that is not feathers' is reported there.
    Params { by_ref: bool, span: Span },
    /// The app, by value or by reference, like `Params`.
    App { by_ref: bool, span: Span },
    /// The service's own handle (`ServiceRef`), to emit its events; like `Params`.
    This { by_ref: bool, span: Span },
}

/// The kinds of hook attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum HookKind {
    Before,
    After,
    Error,
    Around,
    /// `#[resolve(f)]`: an after hook resolving the records as the `result` type.
    Resolve,
}

impl HookKind {
    pub(crate) const ALL: [HookKind; 5] = [
        HookKind::Before,
        HookKind::After,
        HookKind::Error,
        HookKind::Around,
        HookKind::Resolve,
    ];

    /// The attribute's name, which (but for `resolve`) is also the `Hooks` method for
    /// every method.
    pub(crate) fn name(self) -> &'static str {
        match self {
            HookKind::Before => "before",
            HookKind::After => "after",
            HookKind::Error => "error",
            HookKind::Around => "around",
            HookKind::Resolve => "resolve",
        }
    }

    pub(crate) fn from_name(name: &str) -> Option<HookKind> {
        HookKind::ALL.into_iter().find(|kind| kind.name() == name)
    }
}

/// One hook expression from a hook attribute.
pub(crate) struct Hook {
    pub(crate) kind: HookKind,
    /// A path (`log_call`) or a call (`require_fields("text")`).
    pub(crate) expr: Expr,
    /// `on = ["create", "patch"]` at the head of an impl-level attribute: the methods
    /// the hook is for; `None` for every method (or, on a method, for that one).
    pub(crate) methods: Option<Vec<LitStr>>,
}

pub(crate) use feathers_rules::RESERVED_METHOD_NAMES;
