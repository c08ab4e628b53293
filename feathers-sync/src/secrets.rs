//! Field names that never travel: removed, at any depth, from the event data, the
//! result and dispatch, `params.user` and the other params fields before a message is
//! published, and from what arrives before receivers see it.

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

/// The field names removed by default: Feathers' password field and the token names
/// its authentication uses.
pub const DEFAULT_SECRET_FIELDS: &[&str] = &["password", "accessToken", "refreshToken"];

/// The fields of `params.user` that travel by default: its id, which remote publishers
/// route by (`user/<id>` channels). The rest of the record (email, name, roles) is about
/// a person and stays on the instance unless the app shares it.
pub const DEFAULT_SHARED_USER_FIELDS: &[&str] = &["id", "_id"];

/// Names of fields kept off the broker, compared without regard to ASCII case, and the
/// fields of `params.user` that may go onto it.
#[derive(Clone, Debug)]
pub(crate) struct SecretFields {
    names: Vec<String>,
    shared_user_fields: Vec<String>,
}

impl Default for SecretFields {
    fn default() -> SecretFields {
        SecretFields::new(DEFAULT_SECRET_FIELDS.iter().copied())
    }
}

impl SecretFields {
    pub(crate) fn new<'a>(names: impl IntoIterator<Item = &'a str>) -> SecretFields {
        SecretFields {
            names: names.into_iter().map(str::to_owned).collect(),
            shared_user_fields: DEFAULT_SHARED_USER_FIELDS
                .iter()
                .map(|name| (*name).to_owned())
                .collect(),
        }
    }

    /// Lets `name` of `params.user` travel too.
    pub(crate) fn share_user_field(&mut self, name: &str) {
        if !self.shared_user_fields.iter().any(|shared| shared == name) {
            self.shared_user_fields.push(name.to_owned());
        }
    }

    /// `user` as it may travel: only its shared fields, without secrets; a user that is
    /// not an object travels as it is (an id).
    pub(crate) fn shared_user(&self, user: &Value) -> Value {
        let mut shared = match user {
            Value::Object(fields) => Value::Object(
                fields
                    .iter()
                    .filter(|(name, _)| self.shared_user_fields.iter().any(|s| s == *name))
                    .map(|(name, value)| (name.clone(), value.clone()))
                    .collect(),
            ),
            other => other.clone(),
        };
        self.strip(&mut shared);
        shared
    }

    pub(crate) fn add(&mut self, name: &str) {
        if !self.is_secret(name) {
            self.names.push(name.to_owned());
        }
    }

    pub(crate) fn is_secret(&self, name: &str) -> bool {
        self.names
            .iter()
            .any(|secret| secret.eq_ignore_ascii_case(name))
    }

    /// Serialises `value` without its secret fields, without copying it.
    pub(crate) fn filtered<'a>(&'a self, value: &'a Value) -> Filtered<'a> {
        Filtered {
            value,
            secrets: self,
        }
    }

    /// Removes the secret fields from `value`, at any depth.
    pub(crate) fn strip(&self, value: &mut Value) {
        match value {
            Value::Object(map) => self.strip_map(map),
            Value::Array(items) => items.iter_mut().for_each(|item| self.strip(item)),
            _ => {}
        }
    }

    pub(crate) fn strip_map(&self, map: &mut Map<String, Value>) {
        map.retain(|key, _| !self.is_secret(key));
        map.values_mut().for_each(|value| self.strip(value));
    }
}

/// A JSON value that serialises without its secret fields.
pub(crate) struct Filtered<'a> {
    value: &'a Value,
    secrets: &'a SecretFields,
}

impl Serialize for Filtered<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.value {
            Value::Object(map) => {
                let mut out = serializer.serialize_map(None)?;
                for (key, value) in map {
                    if !self.secrets.is_secret(key) {
                        out.serialize_entry(key, &self.secrets.filtered(value))?;
                    }
                }
                out.end()
            }
            Value::Array(items) => {
                let mut out = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    out.serialize_element(&self.secrets.filtered(item))?;
                }
                out.end()
            }
            other => other.serialize(serializer),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_the_users_id_travels_unless_the_app_shares_more() {
        let user =
            serde_json::json!({"id": 7, "email": "a@b.c", "roles": ["admin"], "password": "h"});
        let mut fields = super::SecretFields::default();
        assert_eq!(fields.shared_user(&user), serde_json::json!({"id": 7}));
        fields.share_user_field("roles");
        fields.share_user_field("password");
        assert_eq!(
            fields.shared_user(&user),
            serde_json::json!({"id": 7, "roles": ["admin"]}),
            "a secret field never travels, shared or not"
        );
    }

    use super::*;
    use serde_json::json;

    #[test]
    fn secret_fields_are_left_out_at_any_depth_and_in_any_case() {
        let secrets = SecretFields::default();
        let mut value = json!({
            "id": 1,
            "Password": "$2a$10$hash",
            "profile": {"accesstoken": "t", "name": "ann"},
            "list": [{"refreshToken": "r", "keep": true}]
        });
        let expected = json!({"id": 1, "profile": {"name": "ann"}, "list": [{"keep": true}]});
        let serialised = serde_json::to_value(secrets.filtered(&value)).expect("serialises");
        assert_eq!(serialised, expected);
        secrets.strip(&mut value);
        assert_eq!(value, expected);
    }

    #[test]
    fn added_names_are_secret_too() {
        let mut secrets = SecretFields::default();
        secrets.add("apiKey");
        assert!(secrets.is_secret("APIKEY"));
        assert!(!secrets.is_secret("name"));
    }
}
