//! Procedural macros for feathers-rs. Use them through `feathers_runtime`, which
//! re-exports them (`use feathers_runtime::prelude::*;`).
//!
//! The crate parses and checks; it decides nothing about routes, hook order or JSON.
//! `parse` turns the input into a `model`, reporting every problem to a `ctxt`;
//! `expand` turns the model into calls to `::feathers_runtime::__private`.
#![warn(missing_docs, unreachable_pub)]

mod args;
mod attrs;
mod ctxt;
mod expand;
mod hook_attr;
mod model;
mod parse;
mod service_path;
mod startup_fn;

use proc_macro::TokenStream;

use model::HookKind;

/// Makes the methods of an inherent impl block a Feathers service at `path`.
///
/// ```text
/// #[service("messages", events = ["typing"])]
/// #[before(log_call)]
/// impl Messages {
///     async fn find(&self, params: Params) -> Result<Vec<Message>> { .. }
///     async fn get(&self, id: u64) -> Result<Message> { .. }
///     #[after(protect("secret"))]
///     async fn create(&self, data: NewMessage, params: &Params) -> Result<Message> { .. }
///     #[method]
///     async fn archive(&self, data: Archive) -> Result<Value> { .. }
/// }
/// ```
///
/// (The README has complete, compiled examples; `ui-tests/tests/pass/` compiles them.)
///
/// - `find`, `get`, `create`, `update`, `patch` and `remove` are the standard methods,
///   with Feathers' arguments: `find(params)`, `get(id, params)`, `create(data, params)`,
///   `update(id, data, params)`, `patch(id, data, params)`, `remove(id, params)`.
///   `#[method]` marks a custom method, `(data, params)`. Other methods are left alone.
/// - Service methods are `async fn`s taking `&self`. An argument of type `Params` or
///   `&Params` receives the params, one of type `App` or `&App` the app; the others
///   receive the id and the data, in that order. Arguments a method does not use may
///   be left out. The id may be any `FromId` type (`Id`, `Option<Id>`, `u64`, `String`),
///   the data any `Deserialize` type; the method returns `Result<T>` with `T: Serialize`.
/// - `events = [..]` lists custom events; `register = false` leaves the service out of
///   `App::from_registered()` (add it with `App::builder().service(..)`). A registered
///   service is built with `Default`.
/// - A data type that derives `JsonSchema` is checked against its schema before any
///   hook runs, on every call; `result = Type` (or a typed return value that derives
///   it) names the records' schema, whose public fields are the only ones clients may
///   query. Types without the derive are not checked.
/// - With `delegate = field`, `data = NewMessage` names the data type of the `create`
///   and `update` the delegate answers, and `patch = Type` that of its `patch`
///   (`Partial<NewMessage>` by default): their data is checked as a method's own
///   would be. A method the block defines whose data type has a schema of its own
///   is checked against that one instead.
/// - Hook attributes on the block apply to every method, on a method to that method;
///   `#[resolve(f)]` adds a result resolver of the `result` type.
#[proc_macro_attribute]
pub fn service(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::service(args.into(), item.into()).into()
}

/// Marks a custom method of a `#[service]` block: `async fn name(&self, data, params)`.
#[proc_macro_attribute]
pub fn method(args: TokenStream, item: TokenStream) -> TokenStream {
    hook_attr::method(args.into(), item.into()).into()
}

/// Before hooks, `#[before(a, b("x"))]`, run in order before the method. On a
/// `#[service]` block (above or below `#[service]`) they run for every method, or,
/// with `on = [..]` first, for the methods it names (`#[before(on = ["update",
/// "patch"], only_themselves)]`, which is how a delegated method gets its own hooks);
/// on a service method, for that method. A hook is an `async fn(&mut HookContext) ->
/// Result<()>` or a value implementing `Hook`.
#[proc_macro_attribute]
pub fn before(args: TokenStream, item: TokenStream) -> TokenStream {
    hook_attr::hook(HookKind::Before, args.into(), item.into()).into()
}

/// After hooks, run in order after the method succeeded. Placed like [`macro@before`].
#[proc_macro_attribute]
pub fn after(args: TokenStream, item: TokenStream) -> TokenStream {
    hook_attr::hook(HookKind::After, args.into(), item.into()).into()
}

/// Error hooks, run when the method or a hook failed. Placed like [`macro@before`].
#[proc_macro_attribute]
pub fn error(args: TokenStream, item: TokenStream) -> TokenStream {
    hook_attr::hook(HookKind::Error, args.into(), item.into()).into()
}

/// Around hooks, `async fn(&mut HookContext, Next) -> Result<()>`, which run the rest
/// of the call with `next.run(ctx).await`. Placed like [`macro@before`].
#[proc_macro_attribute]
pub fn around(args: TokenStream, item: TokenStream) -> TokenStream {
    hook_attr::hook(HookKind::Around, args.into(), item.into()).into()
}

/// Result resolvers, `#[resolve(f)]` on a `#[service(.., result = Message)]` block:
/// after hooks that run `fn f(record: &mut Message, ctx: &HookContext)` on every
/// record of the result (computed and virtual fields). The compiler checks that `f`
/// takes the service's record type. Placed like [`macro@before`].
#[proc_macro_attribute]
pub fn resolve(args: TokenStream, item: TokenStream) -> TokenStream {
    hook_attr::hook(HookKind::Resolve, args.into(), item.into()).into()
}

/// App-wide hooks: `#[app_hooks] fn hooks() -> Hooks { Hooks::new().before(log) }`.
/// The function is called once when the app is built from registered services, and its
/// hooks run for every service.
#[proc_macro_attribute]
pub fn app_hooks(args: TokenStream, item: TokenStream) -> TokenStream {
    startup_fn::expand(&startup_fn::APP_HOOKS, args.into(), item.into()).into()
}

/// A function run once when the app is built from its registered services, to set up
/// channels, publishers and connection handlers:
///
/// ```text
/// #[setup]
/// fn channels(app: &App) {
///     app.on_connection(|connection, app| { app.channel("everybody").join(connection); });
///     app.publish(|_event, app| vec![app.channel("everybody")]);
/// }
/// ```
#[proc_macro_attribute]
pub fn setup(args: TokenStream, item: TokenStream) -> TokenStream {
    startup_fn::expand(&startup_fn::SETUP, args.into(), item.into()).into()
}
