//! `resolve(f)`: computed and virtual fields on results, written against the record
//! type.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

use super::records::records_mut;
use crate::context::HookContext;
use crate::error::{Error, Result};
use crate::hooks::Hook;

/// An after hook that runs `resolver` on every record of the result, read as a `T`
/// (single records, arrays and pages alike): Feathers 5's result resolver, with the
/// record typed. The fields of the `T` it leaves are written back into the record, so
/// a field such as `#[serde(default)] preview: Option<String>` is computed here and
/// reaches clients, events included; fields of the record that `T` does not have are
/// kept as they are. A record that does not read as a `T` is a 500, logged with
/// serde's reason.
///
/// With `#[resolve(f)]` on a `#[service(.., result = T)]` impl block, the compiler
/// checks that `f` resolves the service's own record type.
///
/// A resolver is plain code run for each record: it has the call (`ctx`: the caller,
/// the query, the app) but cannot await. Relations are [`populate`](super::populate)'s,
/// which loads them for a whole page with one query, where an awaiting resolver per
/// record would make one query per record.
///
/// ```
/// # use feathers_core::common_hooks::resolve;
/// # use feathers_core::{HookContext, Hooks};
/// # use serde::{Deserialize, Serialize};
/// #[derive(Serialize, Deserialize)]
/// struct Message {
///     text: String,
///     #[serde(default)]
///     words: usize,
/// }
///
/// fn count_words(message: &mut Message, _ctx: &HookContext) {
///     message.words = message.text.split_whitespace().count();
/// }
///
/// let hooks = Hooks::new().after(resolve(count_words));
/// ```
pub fn resolve<T, F>(resolver: F) -> Resolve<T>
where
    T: Serialize + DeserializeOwned + 'static,
    F: Fn(&mut T, &HookContext) + Send + Sync + 'static,
{
    Resolve {
        resolver: Arc::new(resolver),
        record: PhantomData,
    }
}

/// A resolver of records of type `T`, shared.
type Resolver<T> = Arc<dyn Fn(&mut T, &HookContext) + Send + Sync>;

/// The hook made by [`resolve`].
pub struct Resolve<T> {
    resolver: Resolver<T>,
    record: PhantomData<fn() -> T>,
}

impl<T> Clone for Resolve<T> {
    fn clone(&self) -> Resolve<T> {
        Resolve {
            resolver: Arc::clone(&self.resolver),
            record: PhantomData,
        }
    }
}

impl<T> fmt::Debug for Resolve<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Resolve")
            .field("record", &std::any::type_name::<T>())
            .finish_non_exhaustive()
    }
}

impl<T: Serialize + DeserializeOwned + 'static> Resolve<T> {
    fn resolve_all(&self, value: &mut Value, ctx: &HookContext) -> Result<()> {
        for record in records_mut(value) {
            self.resolve_one(record, ctx)?;
        }
        Ok(())
    }

    fn resolve_one(&self, record: &mut Map<String, Value>, ctx: &HookContext) -> Result<()> {
        let mut typed = T::deserialize(&*record).map_err(|reason| {
            tracing::error!(
                service = %ctx.path(),
                record = std::any::type_name::<T>(),
                %reason,
                "a record does not read as the type its resolver takes"
            );
            Error::general("The record could not be resolved")
        })?;
        (self.resolver)(&mut typed, ctx);
        match serde_json::to_value(typed) {
            Ok(Value::Object(resolved)) => {
                record.extend(resolved);
                Ok(())
            }
            Ok(_) => Ok(()),
            Err(reason) => {
                tracing::error!(service = %ctx.path(), %reason, "a resolved record does not serialize");
                Err(Error::general("The record could not be resolved"))
            }
        }
    }
}

impl<T: Serialize + DeserializeOwned + 'static> Hook for Resolve<T> {
    async fn run(&self, ctx: &mut HookContext) -> Result<()> {
        // Taken out for the length of the loop, so that the resolver can read the call.
        if let Some(mut result) = ctx.result.take() {
            let outcome = self.resolve_all(&mut result, ctx);
            ctx.result = Some(result);
            outcome?;
        }
        if let Some(mut shown) = ctx.dispatch.take() {
            let outcome = self.resolve_all(&mut shown, ctx);
            ctx.dispatch = Some(shown);
            outcome?;
        }
        Ok(())
    }
}
