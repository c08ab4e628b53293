//! The adapter conformance suite: cases written as data in the JSON files of `cases/`,
//! run through the full pipeline (`app.service("people")?.find(..)`) against any adapter
//! an [`AdapterFactory`] builds. An adapter's tests run all of it with one call:
//!
//! ```
//! use feathers_conformance::AdapterOptions;
//! use feathers_core::{App, Result};
//! use feathers_memory::{AdapterBuilder, MemoryService};
//!
//! fn memory(path: &str, options: &AdapterOptions) -> Result<App> {
//!     let service = MemoryService::new().with_adapter_options(options.clone());
//!     App::builder().service_at(path, service).build()
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! feathers_conformance::run_all(&memory).await.assert_passed();
//! # }
//! ```
//!
//! or one file at a time with [`run_file`], to keep failures apart.
//!
//! # The case format
//!
//! A file holds `{"description", "service"?, "fixtures", "cases": [..]}`. Before each
//! case a fresh service is built with the file's `service` options, overridden field by
//! field by the case's, and the `fixtures` (the case's own, if given) are created one by
//! one through the pipeline. A case is:
//!
//! ```json
//! {"name": "...", "typing": "both" | "json" | "url",
//!  "service": {"id": "_id", "paginate": {"default": 2, "max": 3}, "multi": true | ["patch"], "events": ["x"]},
//!  "call": {"method": "find", "id": .., "data": .., "query": {..}},
//!  "expect": {"result" | "names" | "unordered_names" | "page" | "count" | "error" | "store" | "unchanged" | "events": ..}}
//! ```
//!
//! * `{"$id": "Doug"}` anywhere in a call or an expectation stands for the id of the
//!   fixture named Doug, as the adapter assigned it; `{"$id_text": "Doug"}` for that id
//!   as a string (as REST paths and query strings carry it).
//! * `typing` "both" (the default) runs the case twice: as given (a JSON transport) and
//!   as REST would send it, with every scalar of the query turned into a string,
//!   `params.query_from_url` set and the id as a string; both must give the expected
//!   answer. "json" runs only the first, "url" only the second, with the query as given.
//! * `result`: the exact answer, except that records expected without the id field are
//!   compared without it (the field must still be there). `names`: the `name` of each
//!   record of the answer (an array, or a page's `data`), in order; `unordered_names`
//!   the same as a set. `page`: `{total, limit, skip}` and optionally `names`. `count`:
//!   how many records. `error`: `{name, message?, message_starts_with?, data?}`.
//!   `store`: the names of all records afterwards (as a set). `unchanged`: the records
//!   are exactly what they were before the call. `events`: the events the call emitted,
//!   in order.

#![warn(missing_docs, unreachable_pub)]

mod adapter;
mod case;
mod check;
mod records;
mod report;
mod runner;
mod substitution;

pub use adapter::{AdapterFactory, PATH};
pub use case::CASE_FILES;
pub use feathers_core::adapter::AdapterOptions;
pub use report::Report;
pub use runner::{run_all, run_file};
pub use substitution::as_query_string;
