//! Reading back what the service under test holds.

use feathers_core::{App, Params};
use serde_json::Value;

use crate::adapter::PATH;

/// Every record, through the pipeline with pagination off.
pub(crate) async fn all_records(app: &App) -> std::result::Result<Vec<Value>, String> {
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
