//! Reading back what the service under test holds.

use feathers_core::{App, PaginationOverride, Params};
use serde_json::Value;

use crate::adapter::PATH;

/// Every record, through the pipeline with pagination off.
pub(crate) async fn all_records(app: &App) -> std::result::Result<Vec<Value>, String> {
    let params = Params {
        paginate: Some(PaginationOverride::Off),
        ..Params::default()
    };
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
