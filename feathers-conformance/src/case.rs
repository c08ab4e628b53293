//! The case model: a case file as it is written in `cases/`, and the files built into
//! the crate.

use serde::Deserialize;
use serde_json::{Map, Value};

use feathers_core::query::Paginate;
use feathers_core::Multi;

use feathers_core::adapter::AdapterOptions;

/// The case files, by name, built into the crate so the suite runs from any crate.
pub const CASE_FILES: [(&str, &str); 5] = [
    ("find.json", include_str!("../cases/find.json")),
    ("typing.json", include_str!("../cases/typing.json")),
    ("pagination.json", include_str!("../cases/pagination.json")),
    ("methods.json", include_str!("../cases/methods.json")),
    ("errors.json", include_str!("../cases/errors.json")),
];

/// One case file: shared service options and fixtures, and its cases.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SuiteFile {
    #[allow(dead_code)]
    pub(crate) description: String,
    #[serde(default)]
    pub(crate) service: ServiceSpec,
    #[serde(default)]
    pub(crate) fixtures: Vec<Value>,
    pub(crate) cases: Vec<Case>,
}

/// The service options a file or a case asks for, as written.
#[derive(Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ServiceSpec {
    pub(crate) id: Option<String>,
    pub(crate) paginate: Option<Value>,
    pub(crate) multi: Option<Value>,
    pub(crate) events: Option<Vec<String>>,
}

impl ServiceSpec {
    /// These options, overridden field by field by `over`'s.
    pub(crate) fn merged(&self, over: Option<&ServiceSpec>) -> ServiceSpec {
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

    /// The options the adapter factory receives.
    pub(crate) fn options(&self) -> std::result::Result<AdapterOptions, String> {
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

/// Which forms of the call a case runs in: as JSON, as a URL carries it, or both.
#[derive(Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub(crate) enum TypingSpec {
    #[default]
    Both,
    Json,
    Url,
}

/// One case: its service and fixtures (when they differ from the file's), the call and
/// what it must give.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Case {
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) typing: TypingSpec,
    pub(crate) service: Option<ServiceSpec>,
    pub(crate) fixtures: Option<Vec<Value>>,
    pub(crate) call: Call,
    pub(crate) expect: Expect,
}

/// The call a case makes through the pipeline.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Call {
    pub(crate) method: String,
    #[serde(default)]
    pub(crate) id: Value,
    #[serde(default)]
    pub(crate) data: Value,
    #[serde(default)]
    pub(crate) query: Map<String, Value>,
}

/// What a case expects of the call; every part given is checked.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Expect {
    pub(crate) result: Option<Value>,
    pub(crate) names: Option<Vec<Value>>,
    pub(crate) unordered_names: Option<Vec<Value>>,
    pub(crate) page: Option<Value>,
    pub(crate) count: Option<usize>,
    pub(crate) error: Option<ExpectedError>,
    pub(crate) store: Option<Vec<Value>>,
    #[serde(default)]
    pub(crate) unchanged: bool,
    pub(crate) events: Option<Vec<String>>,
}

/// The error a case expects.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ExpectedError {
    pub(crate) name: String,
    pub(crate) message: Option<String>,
    pub(crate) message_starts_with: Option<String>,
    pub(crate) data: Option<Value>,
}

#[cfg(test)]
mod tests {
    use super::CASE_FILES;

    #[test]
    fn every_case_file_is_listed() -> std::io::Result<()> {
        let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/cases");
        let mut found: Vec<String> = std::fs::read_dir(folder)?
            .filter_map(|entry| entry.ok())
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".json"))
            .collect();
        found.sort();
        let mut listed: Vec<String> = CASE_FILES
            .iter()
            .map(|(name, _)| (*name).to_owned())
            .collect();
        listed.sort();
        assert_eq!(found, listed);
        Ok(())
    }
}
