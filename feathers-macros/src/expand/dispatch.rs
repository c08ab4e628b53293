//! `Service::call`, the dispatch shim: one match arm per method that turns the call's
//! JSON id and data into the method's argument types, calls it, and turns its result
//! back into JSON. Unknown methods answer MethodNotAllowed.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};

use crate::model::{Service, ServiceMethod, Slot};

pub(crate) fn call_fn(service: &Service) -> TokenStream {
    let not_allowed = match &service.delegate {
        // Methods the block does not define go to the delegate.
        Some(field) => {
            let delegate = delegate_expr(field);
            quote_spanned! {field.span()=>
                ::feathers_runtime::__private::delegate_call(#delegate, ctx).await
            }
        }
        None => quote! {
            ::feathers_runtime::__private::Err(::feathers_runtime::__private::method_not_allowed(ctx))
        },
    };
    let body = if service.methods.is_empty() {
        not_allowed
    } else {
        let arms = service.methods.iter().map(arm);
        quote! {
            match ctx.method().as_str() {
                #(#arms)*
                _ => #not_allowed,
            }
        }
    };
    quote! {
        async fn call(
            &self,
            ctx: &mut ::feathers_runtime::HookContext,
        ) -> ::feathers_runtime::Result<::feathers_runtime::__private::Value> {
            #body
        }
    }
}

/// `"name" => { let id = ..?; let data = ..?; into_value(self.name(..).await) }`
fn arm(method: &ServiceMethod) -> TokenStream {
    let name = &method.name;
    let ident = &method.ident;
    let mut conversions = Vec::new();
    let mut call_args = Vec::new();
    for (index, slot) in method.args.iter().enumerate() {
        match slot {
            Slot::Id(ty) => {
                let var = format_ident!("__feathers_arg{}", index);
                conversions.push(quote! {
                    let #var = ::feathers_runtime::__private::id_arg::<#ty>(ctx)?;
                });
                call_args.push(quote!(#var));
            }
            Slot::Data(ty) => {
                let var = format_ident!("__feathers_arg{}", index);
                conversions.push(quote! {
                    let #var = ::feathers_runtime::__private::data_arg::<#ty>(ctx)?;
                });
                call_args.push(quote!(#var));
            }
            Slot::Params { by_ref, span } => call_args.push(if *by_ref {
                quote_spanned!(*span=> &ctx.params)
            } else {
                quote_spanned!(*span=> ::feathers_runtime::__private::params_arg(ctx))
            }),
            Slot::This { by_ref, span } => {
                let var = format_ident!("__feathers_arg{}", index);
                conversions.push(quote_spanned! {*span=>
                    let #var = ::feathers_runtime::__private::this_arg(ctx)?;
                });
                call_args.push(if *by_ref {
                    quote_spanned!(*span=> &#var)
                } else {
                    quote_spanned!(*span=> #var)
                });
            }
            Slot::App { by_ref, span } => call_args.push(if *by_ref {
                quote_spanned!(*span=> ctx.app())
            } else {
                quote_spanned!(*span=> ::feathers_runtime::__private::app_arg(ctx))
            }),
        }
    }
    // Under the return type's span: a return type that is not `Result<impl Serialize>`
    // is reported there.
    let output_span: Span = method.output_span;
    let call = quote_spanned! {output_span=>
        ::feathers_runtime::__private::into_value(self.#ident(#(#call_args),*).await)
    };
    quote! {
        #name => {
            #(#conversions)*
            #call
        }
    }
}

/// `&self.field`, checked to be a service, under the field name's span: a field that is
/// not a service is reported once, at `delegate = field`.
pub(crate) fn delegate_expr(field: &syn::Ident) -> TokenStream {
    quote_spanned! {field.span()=>
        ::feathers_runtime::__private::delegate(&self.#field)
    }
}
