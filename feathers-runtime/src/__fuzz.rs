//! Entry points for the fuzz targets in `fuzz/` and the corpus regression tests: each
//! feeds arbitrary input to one parser the network reaches, and checks what must hold
//! whatever the input. Not a public API.

use serde_json::{Map, Value};

use feathers_query::{qs, Query, QueryOptions, Typing};
use feathers_transports::__fuzz as transports;

/// The query-string parser, with the default limits and with tight ones.
pub fn query_string(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for limits in [
        qs::QueryLimits::default(),
        qs::QueryLimits {
            depth: 2,
            parameter_limit: 5,
            array_limit: 3,
        },
    ] {
        if let Ok(parsed) = qs::parse(text, &limits) {
            // Whatever it parsed is a query the rest of the stack may be handed.
            let _ = Query::parse(
                &parsed,
                &QueryOptions {
                    paginate: None,
                    typing: Typing::QueryString,
                },
            );
        }
    }
}

/// One Engine.IO packet as a websocket frame carries it, and the Socket.IO packet
/// inside a message.
pub fn socketio_frame(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        transports::socketio_frame(text);
    }
}

/// A long-polling payload: Engine.IO packets separated by `\x1e`.
pub fn socketio_payload(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        transports::socketio_payload(text);
    }
}

/// One Primus frame, and the legacy `path::method` event form.
pub fn primus_frame(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        transports::primus_frame(text);
    }
}

/// A JSON query (`{"query": {...}, "records": [...]}` or just the query) through the
/// filters, the matcher, the sort and `$select`, with both typings.
pub fn query_json(data: &[u8]) {
    let Ok(value) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let (query, records) = match value {
        Value::Object(mut object) if object.contains_key("query") => {
            let query = match object.remove("query") {
                Some(Value::Object(query)) => query,
                _ => Map::new(),
            };
            let records = match object.remove("records") {
                Some(Value::Array(records)) => records,
                _ => Vec::new(),
            };
            (query, records)
        }
        Value::Object(query) => (query, vec![Value::Null]),
        _ => return,
    };
    for typing in [Typing::Strict, Typing::QueryString] {
        let options = QueryOptions {
            paginate: None,
            typing,
        };
        let Ok(parsed) = Query::parse(&query, &options) else {
            continue;
        };
        let mut matching: Vec<&Value> = records
            .iter()
            .filter(|record| parsed.matcher.matches(record))
            .collect();
        if let Some(sort) = &parsed.filters.sort {
            let mut all = matching.clone();
            sort.sort(&mut all);
            sort.sort_first(&mut matching, 3);
            // The first three of a partial sort are the first three of a full sort.
            for (partial, full) in matching.iter().zip(&all) {
                assert_eq!(
                    sort.compare(partial, full),
                    std::cmp::Ordering::Equal,
                    "partial and full sorts disagree"
                );
            }
        }
        if let Some(fields) = &parsed.filters.select {
            for record in &matching {
                let _ = feathers_query::select(record, fields, "id");
            }
        }
    }
}
