//! The runner: builds a fresh service for each case, creates its fixtures, makes the
//! call (once as JSON, once as a URL would carry it) and hands the result to the checkers.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use feathers_core::{Error, Id, Params};
use serde_json::Value;

use crate::adapter::{AdapterFactory, PATH};
use crate::case::{Case, SuiteFile, TypingSpec, CASE_FILES};
use crate::check::{check, Outcome};
use crate::records::all_records;
use crate::report::Report;
use crate::substitution::{as_query_string, resolve_ids};

/// Runs every case of every file against the adapter `factory` builds.
pub async fn run_all(factory: &dyn AdapterFactory) -> Report {
    let mut report = Report::default();
    for (file, _) in CASE_FILES {
        let one = run_file(file, factory).await;
        report.runs += one.runs;
        report.failures.extend(one.failures);
    }
    report
}

/// Runs every case of one case file (`"find.json"`, see [`CASE_FILES`]) against the
/// adapter `factory` builds.
pub async fn run_file(file: &str, factory: &dyn AdapterFactory) -> Report {
    let mut report = Report::default();
    let Some((_, text)) = CASE_FILES.iter().find(|(name, _)| *name == file) else {
        report.failures.push(format!("{file}: no such case file"));
        return report;
    };
    let suite: SuiteFile = match serde_json::from_str(text) {
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

/// One run of a case: a fresh service, the fixtures, the call in the form `from_url`
/// asks (its scalars turned to strings when `convert`), then the checks.
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
                let method = feathers_core::Method::Update;
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
