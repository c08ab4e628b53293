//! Attribute arguments: `#[service("path", events = [..], register = false)]` and the
//! hook lists of `#[before(a, b(1))]` and friends.

use proc_macro2::{Span, TokenStream};
use syn::parse::{ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{Attribute, Expr, Ident, Lit, LitBool, LitStr, Meta, Token};

use crate::ctxt::Ctxt;
use crate::model::HookKind;
use crate::service_path;

/// The arguments of `#[service(..)]`. Every problem is reported to the `Ctxt`; what
/// could be read is kept, so the rest of the block is still checked.
pub(crate) struct ServiceArgs {
    /// The path literal; `None` when it is missing. A malformed path is reported and
    /// kept, so the service is still generated and uses of it report nothing more.
    pub(crate) path: Option<LitStr>,
    pub(crate) events: Vec<LitStr>,
    pub(crate) register: bool,
    /// `delegate = store`: a field of the service whose `Service` answers the methods
    /// the block does not define.
    pub(crate) delegate: Option<Ident>,
    /// `methods = ["find", "archive"]`: the methods clients may call.
    pub(crate) exposed: Option<Vec<LitStr>>,
    /// `result = Message`: the type of the service's records, whose schema says what
    /// clients see and may query.
    pub(crate) result: Option<syn::Type>,
    /// `data = NewMessage`: the data type of the `create` and `update` the delegate
    /// answers.
    pub(crate) data: Option<syn::Type>,
    /// `patch = MessagePatch`: the data type of the delegate's `patch`; by default
    /// `Partial<data>`.
    pub(crate) patch: Option<syn::Type>,
}

const STANDARD_EVENTS: [&str; 4] = ["created", "updated", "patched", "removed"];

impl ServiceArgs {
    pub(crate) fn parse(tokens: TokenStream, cx: &mut Ctxt) -> ServiceArgs {
        let mut args = ServiceArgs {
            path: None,
            events: Vec::new(),
            register: true,
            delegate: None,
            exposed: None,
            result: None,
            data: None,
            patch: None,
        };
        let parser = |input: ParseStream<'_>| parse_into(input, &mut args, cx);
        if let Err(error) = parser.parse2(tokens) {
            cx.syn_error(error);
        }
        args
    }
}

fn parse_into(input: ParseStream<'_>, args: &mut ServiceArgs, cx: &mut Ctxt) -> syn::Result<()> {
    if input.is_empty() {
        cx.error_at(
            Span::call_site(),
            "#[service] needs the service path: #[service(\"messages\")]",
        );
        return Ok(());
    }
    // False only when the path is missing and the arguments start with a key.
    let mut need_comma = true;
    if input.peek(LitStr) {
        let path: LitStr = input.parse()?;
        if let Err(why) = service_path::check(&path.value()) {
            cx.error_spanned_by(&path, why);
        }
        args.path = Some(path);
    } else {
        let message =
            "#[service] takes the service path first, as a string literal: #[service(\"messages\")]";
        if input.peek(Ident) && input.peek2(Token![=]) {
            // The path is missing; the key-value arguments are read below.
            let key: Ident = input.fork().parse()?;
            cx.error_spanned_by(key, message);
            need_comma = false;
        } else {
            let not_a_path: Expr = input.parse()?;
            cx.error_spanned_by(not_a_path, message);
        }
    }
    let mut seen: Vec<String> = Vec::new();
    while !input.is_empty() {
        if need_comma {
            input.parse::<Token![,]>()?;
            if input.is_empty() {
                break;
            }
        }
        need_comma = true;
        let key: Ident = input.parse()?;
        input.parse::<Token![=]>()?;
        let name = key.to_string();
        let duplicate = seen.contains(&name);
        if duplicate {
            cx.error_spanned_by(&key, format!("duplicate argument `{name}`"));
        }
        seen.push(name.clone());
        match name.as_str() {
            "events" => {
                let events = parse_events(input, cx)?;
                if !duplicate {
                    args.events = events;
                }
            }
            "register" => {
                let value: LitBool = input
                    .parse()
                    .map_err(|error| syn::Error::new(error.span(), "expected `true` or `false`"))?;
                if !duplicate {
                    args.register = value.value;
                }
            }
            "delegate" => {
                let field: Ident = input.parse().map_err(|error| {
                    syn::Error::new(
                        error.span(),
                        "expected a field name: `delegate = store` for `self.store`",
                    )
                })?;
                if !duplicate {
                    args.delegate = Some(field);
                }
            }
            "result" => {
                let ty: syn::Type = input.parse().map_err(|error| {
                    syn::Error::new(
                        error.span(),
                        "expected a type: `result = Message`, the type of the records",
                    )
                })?;
                if !duplicate {
                    args.result = Some(ty);
                }
            }
            "data" | "patch" => {
                let ty: syn::Type = input.parse().map_err(|error| {
                    syn::Error::new(
                        error.span(),
                        format!("expected a type: `{name} = NewMessage`, the type of the data"),
                    )
                })?;
                if !duplicate {
                    let slot = if name == "data" {
                        &mut args.data
                    } else {
                        &mut args.patch
                    };
                    *slot = Some(ty);
                }
            }
            "methods" => {
                let methods = parse_method_names(input, cx)?;
                if !duplicate {
                    args.exposed = Some(methods);
                }
            }
            _ => {
                cx.error_spanned_by(
                    &key,
                    format!(
                        "unknown argument `{name}`; #[service] takes the path, \
                         `events = [..]`, `register = false`, `delegate = field`, \
                         `methods = [..]`, `result = Type`, `data = Type` and `patch = Type`"
                    ),
                );
                input.parse::<Expr>()?;
            }
        }
    }
    Ok(())
}

/// `["typing", "stopped"]`: string literals naming custom events.
fn parse_events(input: ParseStream<'_>, cx: &mut Ctxt) -> syn::Result<Vec<LitStr>> {
    let content;
    syn::bracketed!(content in input);
    let items = Punctuated::<Expr, Token![,]>::parse_terminated(&content)?;
    let mut events: Vec<LitStr> = Vec::new();
    for item in items {
        let event = match item {
            Expr::Lit(syn::ExprLit {
                lit: Lit::Str(event),
                ..
            }) => event,
            other => {
                cx.error_spanned_by(
                    other,
                    "an event name is a string literal: events = [\"typing\"]",
                );
                continue;
            }
        };
        let name = event.value();
        if name.is_empty() {
            cx.error_spanned_by(&event, "an event name cannot be empty");
        } else if STANDARD_EVENTS.contains(&name.as_str()) {
            cx.error_spanned_by(
                &event,
                format!("`{name}` is a standard event and is always sent; list only custom events"),
            );
        } else if events.iter().any(|seen| seen.value() == name) {
            cx.error_spanned_by(&event, format!("the event `{name}` is listed twice"));
        } else {
            events.push(event);
        }
    }
    Ok(events)
}

/// `["find", "archive"]`: string literals naming methods, each once.
fn parse_method_names(input: ParseStream<'_>, cx: &mut Ctxt) -> syn::Result<Vec<LitStr>> {
    let content;
    syn::bracketed!(content in input);
    let items = Punctuated::<Expr, Token![,]>::parse_terminated(&content)?;
    let mut names: Vec<LitStr> = Vec::new();
    for item in items {
        let Expr::Lit(syn::ExprLit {
            lit: Lit::Str(name),
            ..
        }) = item
        else {
            cx.error_spanned_by(
                item,
                "a method name is a string literal: methods = [\"find\", \"archive\"]",
            );
            continue;
        };
        if names.iter().any(|seen| seen.value() == name.value()) {
            cx.error_spanned_by(
                &name,
                format!("the method `{}` is listed twice", name.value()),
            );
        } else {
            names.push(name);
        }
    }
    Ok(names)
}

/// The hooks of one hook attribute, `#[before(a, b("x"))]`, in source order.
/// An attribute without hooks is an error at the attribute.
pub(crate) fn parse_hook_list(attr: &Attribute, kind: HookKind, cx: &mut Ctxt) -> Vec<Expr> {
    let no_hooks = format!(
        "#[{name}] needs at least one hook: #[{name}(my_hook)]",
        name = kind.name()
    );
    match &attr.meta {
        Meta::List(list) => {
            match list.parse_args_with(Punctuated::<Expr, Token![,]>::parse_terminated) {
                Ok(hooks) if hooks.is_empty() => {
                    cx.error_spanned_by(attr, no_hooks);
                    Vec::new()
                }
                Ok(hooks) => hooks.into_iter().collect(),
                Err(error) => {
                    cx.syn_error(error);
                    Vec::new()
                }
            }
        }
        Meta::Path(_) | Meta::NameValue(_) => {
            cx.error_spanned_by(attr, no_hooks);
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn parse(tokens: TokenStream) -> (ServiceArgs, Vec<String>) {
        let mut cx = Ctxt::new();
        let args = ServiceArgs::parse(tokens, &mut cx);
        let errors = cx
            .into_error()
            .map(|error| error.into_iter().map(|e| e.to_string()).collect())
            .unwrap_or_default();
        (args, errors)
    }

    #[test]
    fn reads_path_events_and_register() {
        let (args, errors) = parse(quote!(
            "messages",
            events = ["typing", "stopped"],
            register = false,
        ));
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(args.path.map(|p| p.value()).as_deref(), Some("messages"));
        let events: Vec<String> = args.events.iter().map(LitStr::value).collect();
        assert_eq!(events, ["typing", "stopped"]);
        assert!(!args.register);
    }

    #[test]
    fn registers_by_default() {
        let (args, errors) = parse(quote!("messages"));
        assert!(errors.is_empty(), "{errors:?}");
        assert!(args.register);
        assert!(args.events.is_empty());
    }

    #[test]
    fn reports_duplicate_and_unknown_keys_together() {
        let (args, errors) = parse(quote!("m", events = ["a"], events = ["b"], colour = 1));
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[0].contains("duplicate argument `events`"));
        assert!(errors[1].contains("unknown argument `colour`"));
        // The first occurrence wins.
        assert_eq!(args.events[0].value(), "a");
    }

    #[test]
    fn reports_a_missing_or_malformed_path() {
        let (_, errors) = parse(quote!(events = ["a"]));
        assert!(
            errors[0].contains("takes the service path first"),
            "{errors:?}"
        );
        let (args, errors) = parse(quote!("a//b"));
        assert!(args.path.is_some());
        assert!(errors[0].contains("empty segment"), "{errors:?}");
    }

    #[test]
    fn rejects_standard_duplicate_and_non_string_events() {
        let (args, errors) = parse(quote!("m", events = ["created", "x", "x", 3]));
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert_eq!(args.events.len(), 1);
    }
}
