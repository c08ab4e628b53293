//! The adapter conformance suite: cases written as data in the JSON files of this
//! folder, run through the full pipeline (`app.service("people")?.find(..)`) against any
//! adapter an [`AdapterFactory`] builds. The memory adapter runs it in `tests/adapter.rs`;
//! SQL adapters include this module (`#[path = ".../tests/conformance/mod.rs"] mod
//! conformance;`) and pass their own factory.
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

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use feathers_runtime::memory::Multi;
use feathers_runtime::query::Paginate;
use feathers_runtime::{App, Error, Id, Map, Params, Result, Value};
use serde::Deserialize;

/// The options a case asks of the service under test.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdapterOptions {
    pub id_field: String,
    pub paginate: Option<Paginate>,
    pub multi: Multi,
    pub events: Vec<String>,
}

/// Builds an app with a fresh, empty service of the adapter under test at `path`.
pub trait AdapterFactory: Sync {
    fn app(&self, path: &str, options: &AdapterOptions) -> Result<App>;
}

impl<F> AdapterFactory for F
where
    F: Fn(&str, &AdapterOptions) -> Result<App> + Sync,
{
    fn app(&self, path: &str, options: &AdapterOptions) -> Result<App> {
        self(path, options)
    }
}

/// The service path the suite uses.
pub const PATH: &str = "people";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SuiteFile {
    #[allow(dead_code)]
    description: String,
    #[serde(default)]
    service: ServiceSpec,
    #[serde(default)]
    fixtures: Vec<Value>,
    cases: Vec<Case>,
}

#[derive(Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ServiceSpec {
    id: Option<String>,
    paginate: Option<Value>,
    multi: Option<Value>,
    events: Option<Vec<String>>,
}

impl ServiceSpec {
    fn merged(&self, over: Option<&ServiceSpec>) -> ServiceSpec {
        let Some(over) = over else {
            return self.clone();
        };
        ServiceSpec {
            id: over.id.clone().or_else(|| self.id.clone()),
            paginate: over.paginate.clone().or_else(|| self.paginate.clone()),
            multi: over.multi.clone().or_else(|| self.multi.clone()),
            events: over.events.clone().or_else(|| self.events.clone()),
        }
    }

    fn options(&self) -> std::result::Result<AdapterOptions, String> {
        let paginate = match &self.paginate {
            None | Some(Value::Null) | Some(Value::Bool(false)) => None,
            Some(Value::Object(p)) => Some(Paginate {
                default: p.get("default").and_then(Value::as_u64),
                max: p.get("max").and_then(Value::as_u64),
            }),
            Some(other) => return Err(format!("bad paginate {other}")),
        };
        let multi = match &self.multi {
            None | Some(Value::Null) => Multi::Off,
            Some(Value::Bool(all)) => Multi::from(*all),
            Some(Value::Array(names)) => {
                let names: Vec<&str> = names.iter().filter_map(Value::as_str).collect();
                Multi::from(names)
            }
            Some(other) => return Err(format!("bad multi {other}")),
        };
        Ok(AdapterOptions {
            id_field: self.id.clone().unwrap_or_else(|| "id".to_owned()),
            paginate,
            multi,
            events: self.events.clone().unwrap_or_default(),
        })
    }
}

#[derive(Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum TypingSpec {
    #[default]
    Both,
    Json,
    Url,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    #[serde(default)]
    typing: TypingSpec,
    service: Option<ServiceSpec>,
    fixtures: Option<Vec<Value>>,
    call: Call,
    expect: Expect,
}

#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Call {
    method: String,
    #[serde(default)]
    id: Value,
    #[serde(default)]
    data: Value,
    #[serde(default)]
    query: Map<String, Value>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    result: Option<Value>,
    names: Option<Vec<Value>>,
    unordered_names: Option<Vec<Value>>,
    page: Option<Value>,
    count: Option<usize>,
    error: Option<ExpectedError>,
    store: Option<Vec<Value>>,
    #[serde(default)]
    unchanged: bool,
    events: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedError {
    name: String,
    message: Option<String>,
    message_starts_with: Option<String>,
    data: Option<Value>,
}

/// What one run of a file found: the runs made and the failures, one line each.
#[derive(Debug, Default)]
pub struct Report {
    pub runs: usize,
    pub failures: Vec<String>,
}

impl Report {
    /// Panics listing every failure, if there is any.
    pub fn assert_passed(&self) {
        assert!(self.runs > 0, "no case ran");
        assert!(
            self.failures.is_empty(),
            "{} of {} conformance runs failed:\n{}",
            self.failures.len(),
            self.runs,
            self.failures.join("\n")
        );
    }
}

/// The folder of the data files: this file's folder, also when another crate
/// includes it with `#[path]` (`file!()` is relative to an ancestor of the
/// including crate's manifest folder).
pub fn data_dir() -> std::path::PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .ancestors()
        .map(|base| base.join(file!()))
        .find(|path| path.exists())
        .and_then(|path| path.parent().map(Path::to_path_buf))
        .unwrap_or_else(|| manifest.join("tests/conformance"))
}

/// Runs every case of one data file against the adapter `factory` builds.
pub async fn run_file(file: &str, factory: &dyn AdapterFactory) -> Report {
    let mut report = Report::default();
    let path = data_dir().join(file);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(err) => {
            report.failures.push(format!("{file}: cannot read: {err}"));
            return report;
        }
    };
    let suite: SuiteFile = match serde_json::from_str(&text) {
        Ok(suite) => suite,
        Err(err) => {
            report
                .failures
                .push(format!("{file}: invalid case file: {err}"));
            return report;
        }
    };
    for case in &suite.cases {
        let variants: &[bool] = match case.typing {
            TypingSpec::Both => &[false, true],
            TypingSpec::Json => &[false],
            TypingSpec::Url => &[true],
        };
        for &from_url in variants {
            report.runs += 1;
            let label = format!(
                "{file} / {} [{}]",
                case.name,
                if from_url { "url" } else { "json" }
            );
            if let Err(why) = run_case(
                &suite,
                case,
                from_url,
                case.typing == TypingSpec::Both,
                factory,
            )
            .await
            {
                report.failures.push(format!("{label}: {why}"));
            }
        }
    }
    report
}

type Outcome = std::result::Result<(), String>;

async fn run_case(
    suite: &SuiteFile,
    case: &Case,
    from_url: bool,
    convert: bool,
    factory: &dyn AdapterFactory,
) -> Outcome {
    let options = suite.service.merged(case.service.as_ref()).options()?;
    let app = factory
        .app(PATH, &options)
        .map_err(|e| format!("factory failed: {e}"))?;
    let service = app.service(PATH).map_err(|e| e.to_string())?;
    let mut ids = HashMap::new();
    for fixture in case.fixtures.as_ref().unwrap_or(&suite.fixtures) {
        let created = service
            .create(fixture.clone(), Params::default())
            .await
            .map_err(|e| format!("creating fixture {fixture}: {e}"))?;
        if let (Some(name), Some(id)) = (
            created.get("name").and_then(Value::as_str),
            created.get(&options.id_field),
        ) {
            ids.insert(name.to_owned(), id.clone());
        }
    }
    let resolve = |value: &Value| resolve_ids(value, &ids);
    let before = all_records(&app).await?;

    let mut query = resolve(&Value::Object(case.call.query.clone()))?;
    let mut id = resolve(&case.call.id)?;
    if from_url && convert {
        query = as_query_string(&query);
        id = match id {
            Value::Number(n) => Value::String(n.to_string()),
            other => other,
        };
    }
    let Value::Object(query) = query else {
        return Err("the query must be an object".into());
    };
    let params = Params {
        query_from_url: from_url,
        ..Params::with_query(query)
    };
    let id = Id::from_value(&id).map_err(|e| format!("bad id in the case: {e}"))?;
    let data = resolve(&case.call.data)?;

    let events = Arc::new(Mutex::new(Vec::new()));
    let sink = events.clone();
    let listener = service.on_any(move |event| {
        if let Ok(mut events) = sink.lock() {
            events.push(event.event.clone());
        }
    });
    let outcome = match case.call.method.as_str() {
        "find" => service.find(params).await,
        "get" => match id {
            Some(id) => service.get(id, params).await,
            None => Err(Error::general("get needs an id in the case")),
        },
        "create" => service.create(data, params).await,
        "update" => match id {
            Some(id) => service.update(id, data, params).await,
            None => {
                let method = feathers_runtime::Method::Update;
                service
                    .call(method, None, data, params)
                    .await
                    .map(|ctx| ctx.result.unwrap_or(Value::Null))
            }
        },
        "patch" => service.patch(id, data, params).await,
        "remove" => service.remove(id, params).await,
        other => return Err(format!("unknown method '{other}' in the case")),
    };
    service.off(listener);
    let emitted = events.lock().map(|e| e.clone()).unwrap_or_default();
    check(
        &case.expect,
        outcome,
        &options.id_field,
        &resolve,
        &app,
        &before,
        &emitted,
    )
    .await
}

async fn check(
    expect: &Expect,
    outcome: Result<Value>,
    id_field: &str,
    resolve: &dyn Fn(&Value) -> std::result::Result<Value, String>,
    app: &App,
    before: &[Value],
    emitted: &[String],
) -> Outcome {
    match (&expect.error, outcome) {
        (Some(expected), Ok(value)) => {
            return Err(format!(
                "expected a {} error, got the answer {value}",
                expected.name
            ))
        }
        (None, Err(err)) => return Err(format!("unexpected error {}", err.to_json())),
        (Some(expected), Err(err)) => check_error(expected, &err, resolve)?,
        (None, Ok(value)) => check_answer(expect, &value, id_field, resolve)?,
    }
    if let Some(names) = &expect.store {
        let after = all_records(app).await?;
        let mut actual: Vec<String> = after.iter().map(|r| r["name"].to_string()).collect();
        let mut wanted: Vec<String> = names.iter().map(Value::to_string).collect();
        actual.sort();
        wanted.sort();
        if actual != wanted {
            return Err(format!("store holds {actual:?}, expected {wanted:?}"));
        }
    }
    if expect.unchanged {
        let after = all_records(app).await?;
        if after != before {
            return Err(format!(
                "records changed:\n  before {}\n  after  {}",
                Value::Array(before.to_vec()),
                Value::Array(after)
            ));
        }
    }
    if let Some(events) = &expect.events {
        if emitted != events.as_slice() {
            return Err(format!("events {emitted:?}, expected {events:?}"));
        }
    }
    Ok(())
}

fn check_error(
    expected: &ExpectedError,
    err: &Error,
    resolve: &dyn Fn(&Value) -> std::result::Result<Value, String>,
) -> Outcome {
    let actual = err.to_json();
    if err.name() != expected.name {
        return Err(format!("expected a {} error, got {actual}", expected.name));
    }
    if let Some(message) = &expected.message {
        if err.message() != message {
            return Err(format!("expected the message {message:?}, got {actual}"));
        }
    }
    if let Some(prefix) = &expected.message_starts_with {
        if !err.message().starts_with(prefix.as_str()) {
            return Err(format!(
                "expected a message starting {prefix:?}, got {actual}"
            ));
        }
    }
    if let Some(data) = &expected.data {
        let data = resolve(data)?;
        if err.data() != Some(&data) {
            return Err(format!("expected the error data {data}, got {actual}"));
        }
    }
    Ok(())
}

fn check_answer(
    expect: &Expect,
    value: &Value,
    id_field: &str,
    resolve: &dyn Fn(&Value) -> std::result::Result<Value, String>,
) -> Outcome {
    let records = match value {
        Value::Array(items) => Some(items.as_slice()),
        Value::Object(page) => page
            .get("data")
            .and_then(Value::as_array)
            .map(Vec::as_slice),
        _ => None,
    };
    let names = || -> std::result::Result<Vec<Value>, String> {
        let records = records.ok_or_else(|| format!("expected records, got {value}"))?;
        Ok(records
            .iter()
            .map(|r| r.get("name").cloned().unwrap_or(Value::Null))
            .collect())
    };
    if let Some(expected) = &expect.result {
        let expected = resolve(expected)?;
        let actual = without_unexpected_ids(value, &expected, id_field)?;
        if actual != expected {
            return Err(format!("answer {value}, expected {expected}"));
        }
    }
    if let Some(expected) = &expect.names {
        let actual = names()?;
        if &actual != expected {
            return Err(format!(
                "names {}, expected {}",
                Value::Array(actual),
                Value::Array(expected.clone())
            ));
        }
    }
    if let Some(expected) = &expect.unordered_names {
        let mut actual: Vec<String> = names()?.iter().map(Value::to_string).collect();
        let mut wanted: Vec<String> = expected.iter().map(Value::to_string).collect();
        actual.sort();
        wanted.sort();
        if actual != wanted {
            return Err(format!(
                "names {actual:?}, expected {wanted:?} in any order"
            ));
        }
    }
    if let Some(count) = expect.count {
        let actual = records.map(<[Value]>::len);
        if actual != Some(count) {
            return Err(format!("expected {count} records, got {value}"));
        }
    }
    if let Some(Value::Object(page)) = &expect.page {
        let Value::Object(actual) = value else {
            return Err(format!("expected a page, got {value}"));
        };
        for key in ["total", "limit", "skip"] {
            if let Some(expected) = page.get(key) {
                if actual.get(key) != Some(expected) {
                    return Err(format!(
                        "page {key} is {:?}, expected {expected} in {value}",
                        actual.get(key)
                    ));
                }
            }
        }
        let keys: Vec<&String> = actual.keys().collect();
        if keys.len() != 4
            || !["total", "limit", "skip", "data"]
                .iter()
                .all(|k| actual.contains_key(*k))
        {
            return Err(format!(
                "a page has exactly total, limit, skip and data; got {keys:?}"
            ));
        }
        if let Some(Value::Array(expected)) = page.get("names") {
            let actual = names()?;
            if &actual != expected {
                return Err(format!(
                    "page names {}, expected {}",
                    Value::Array(actual),
                    Value::Array(expected.clone())
                ));
            }
        }
    }
    Ok(())
}

/// The answer with the id field removed from every record whose expected form has
/// none; the field must be there. Records are the answer itself, the items of an
/// array answer, or the items of a page's `data`.
fn without_unexpected_ids(
    actual: &Value,
    expected: &Value,
    id_field: &str,
) -> std::result::Result<Value, String> {
    let records = |items: &[Value], wanted: &[Value]| {
        if items.len() != wanted.len() {
            return Ok(Value::Array(items.to_vec()));
        }
        items
            .iter()
            .zip(wanted)
            .map(|(item, want)| without_unexpected_id(item, want, id_field))
            .collect::<std::result::Result<Vec<_>, _>>()
            .map(Value::Array)
    };
    match (actual, expected) {
        (Value::Array(items), Value::Array(wanted)) => records(items, wanted),
        (Value::Object(page), Value::Object(wanted))
            if page.contains_key("total") && page.contains_key("data") =>
        {
            let mut page = page.clone();
            if let (Some(Value::Array(items)), Some(Value::Array(want))) =
                (page.get("data"), wanted.get("data"))
            {
                let data = records(items, want)?;
                page.insert("data".into(), data);
            }
            Ok(Value::Object(page))
        }
        _ => without_unexpected_id(actual, expected, id_field),
    }
}

fn without_unexpected_id(
    actual: &Value,
    expected: &Value,
    id_field: &str,
) -> std::result::Result<Value, String> {
    match (actual, expected) {
        (Value::Object(record), Value::Object(wanted)) if !wanted.contains_key(id_field) => {
            if !record.contains_key(id_field) {
                return Err(format!("the record {actual} has no '{id_field}' field"));
            }
            let mut record = record.clone();
            record.remove(id_field);
            Ok(Value::Object(record))
        }
        _ => Ok(actual.clone()),
    }
}

/// Every record, through the pipeline with pagination off.
async fn all_records(app: &App) -> std::result::Result<Vec<Value>, String> {
    let mut params = Params::default();
    params.extra.insert("paginate".into(), Value::Bool(false));
    let found = app
        .service(PATH)
        .map_err(|e| e.to_string())?
        .find(params)
        .await
        .map_err(|e| format!("listing the records: {e}"))?;
    match found {
        Value::Array(records) => Ok(records),
        other => Err(format!(
            "find with params.paginate = false answered {other}"
        )),
    }
}

/// Replaces `{"$id": "Doug"}` with the id of the fixture named Doug.
fn resolve_ids(value: &Value, ids: &HashMap<String, Value>) -> std::result::Result<Value, String> {
    Ok(match value {
        Value::Object(map)
            if map.len() == 1 && (map.contains_key("$id") || map.contains_key("$id_text")) =>
        {
            let (key, name) = map
                .iter()
                .next()
                .map(|(k, v)| (k.as_str(), v.as_str().unwrap_or_default()))
                .unwrap_or_default();
            let id = ids
                .get(name)
                .cloned()
                .ok_or_else(|| format!("no fixture named {name:?}"))?;
            match (key, id) {
                ("$id_text", Value::Number(n)) => Value::String(n.to_string()),
                (_, id) => id,
            }
        }
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| Ok((k.clone(), resolve_ids(v, ids)?)))
                .collect::<std::result::Result<Map<_, _>, String>>()?,
        ),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| resolve_ids(v, ids))
                .collect::<std::result::Result<_, _>>()?,
        ),
        other => other.clone(),
    })
}

/// The query as a URL query string delivers it: every scalar a string (`qs` sends
/// `null` as an empty value).
pub fn as_query_string(value: &Value) -> Value {
    match value {
        Value::Null => Value::String(String::new()),
        Value::Bool(b) => Value::String(b.to_string()),
        Value::Number(n) => Value::String(n.to_string()),
        Value::String(s) => Value::String(s.clone()),
        Value::Array(items) => Value::Array(items.iter().map(as_query_string).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), as_query_string(v)))
                .collect(),
        ),
    }
}
