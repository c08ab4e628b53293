//! The id column's values: an [`Id`] as a bound value of the column, and the UUIDs
//! of [`IdGeneration::Uuid`](crate::IdGeneration::Uuid).

use feathers_core::Id;
use uuid::Uuid;

use crate::column::{Column, ColumnKind};
use crate::statement::Bind;

/// The id as a value of the id column; `None` when it cannot be one (no record can
/// have it).
pub(super) fn id_bind(id_column: &Column, id: &Id) -> Option<Bind> {
    match (&id_column.kind, id) {
        (ColumnKind::Integer, Id::Int(i)) => Some(Bind::Int(*i)),
        (ColumnKind::Integer, Id::Str(s)) => s.parse::<i64>().ok().map(Bind::Int),
        (ColumnKind::Float, _) => id.to_string().parse::<f64>().ok().map(Bind::Float),
        (ColumnKind::TextCast(name), _) if name == "uuid" => {
            let text = id.to_string();
            is_hyphenated_uuid(&text).then_some(Bind::Text(text))
        }
        (ColumnKind::Text | ColumnKind::TextCast(_), _) => Some(Bind::Text(id.to_string())),
        (ColumnKind::Json, _) => Some(Bind::Text(id.to_value().to_string())),
        (ColumnKind::Bool, _) => None,
    }
}

/// Whether `text` is a UUID in its hyphenated form (`8-4-4-4-12` hex digits, either
/// case), the only form a `uuid` column's id is looked up in.
fn is_hyphenated_uuid(text: &str) -> bool {
    text.len() == 36 && Uuid::try_parse(text).is_ok()
}

/// A random version 4 UUID, hyphenated and lowercase.
pub(super) fn new_uuid() -> String {
    Uuid::new_v4().hyphenated().to_string()
}

#[cfg(test)]
mod tests {
    use super::{is_hyphenated_uuid, new_uuid};

    #[test]
    fn generated_uuids_are_hyphenated_lowercase_version_4() {
        let id = new_uuid();
        assert!(is_hyphenated_uuid(&id), "{id}");
        assert_eq!(&id[14..15], "4");
        assert!(matches!(&id[19..20], "8" | "9" | "a" | "b"), "{id}");
        assert_eq!(id, id.to_lowercase());
        assert_ne!(new_uuid(), id);
    }

    #[test]
    fn only_the_hyphenated_form_is_a_uuid_id() {
        assert!(is_hyphenated_uuid("67e55044-10b1-426f-9247-bb680e5fe0c8"));
        assert!(is_hyphenated_uuid("67E55044-10B1-426F-9247-BB680E5FE0C8"));
        assert!(!is_hyphenated_uuid("67e5504410b1426f9247bb680e5fe0c8"));
        assert!(!is_hyphenated_uuid(
            "{67e55044-10b1-426f-9247-bb680e5fe0c8}"
        ));
        assert!(!is_hyphenated_uuid("67e55044-10b1-426f-9247-bb680e5fe0cg"));
        assert!(!is_hyphenated_uuid("67e55044x10b1-426f-9247-bb680e5fe0c8"));
        assert!(!is_hyphenated_uuid("not-a-uuid"));
    }
}
