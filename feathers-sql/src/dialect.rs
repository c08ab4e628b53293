//! The differences between SQLite and PostgreSQL that the SQL text has to know:
//! placeholders, casts, JSON functions and pattern matching. Everything else is one
//! code path.

use crate::column::{Column, ColumnKind};

/// The SQL dialect of a pool.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// SQLite 3.38 or later (sqlx bundles a recent one).
    Sqlite,
    /// PostgreSQL 12 or later.
    Postgres,
}

/// Quotes an identifier: double quotes, inner double quotes doubled. Only names of
/// columns read from the database, and the table name the application gave, are
/// ever quoted into SQL.
pub fn quote(name: &str) -> String {
    let mut quoted = String::with_capacity(name.len() + 2);
    quoted.push('"');
    for c in name.chars() {
        if c == '"' {
            quoted.push('"');
        }
        quoted.push(c);
    }
    quoted.push('"');
    quoted
}

impl Dialect {
    /// The table name quoted; on PostgreSQL `schema.table` becomes `"schema"."table"`.
    pub fn table(self, name: &str) -> String {
        match (self, name.split_once('.')) {
            (Dialect::Postgres, Some((schema, table))) => {
                format!("{}.{}", quote(schema), quote(table))
            }
            _ => quote(name),
        }
    }

    /// The placeholder of the `n`th bound value (1-based).
    pub fn placeholder(self, n: usize) -> String {
        match self {
            Dialect::Sqlite => format!("?{n}"),
            Dialect::Postgres => format!("${n}"),
        }
    }

    /// The SQL that stores the bound value `placeholder` in `column`: JSON is sent
    /// as text and parsed by the database; other PostgreSQL types are cast from text.
    pub fn stored(self, column: &Column, placeholder: &str) -> String {
        match (self, &column.kind) {
            (Dialect::Sqlite, ColumnKind::Json) => format!("json({placeholder})"),
            (Dialect::Postgres, ColumnKind::Json)
            | (Dialect::Postgres, ColumnKind::TextCast(_)) => {
                format!("CAST({placeholder} AS {})", quote(&column.declared))
            }
            _ => placeholder.to_owned(),
        }
    }

    /// The expression that reads `column` in a select list, in the form the row
    /// decoder expects (PostgreSQL: int8, float8, bool, text or jsonb; SQLite: the
    /// stored value, JSON as text).
    pub fn output(self, column: &Column) -> String {
        let name = quote(&column.name);
        let cast = |to: &str| {
            if column.declared == to {
                name.clone()
            } else {
                format!("CAST({name} AS {to})")
            }
        };
        let expr = match (self, &column.kind) {
            (Dialect::Sqlite, ColumnKind::Json) => format!("json({name})"),
            (Dialect::Sqlite, _) => name.clone(),
            (Dialect::Postgres, ColumnKind::Integer) => cast("int8"),
            (Dialect::Postgres, ColumnKind::Float) => cast("float8"),
            (Dialect::Postgres, ColumnKind::Bool) => name.clone(),
            (Dialect::Postgres, ColumnKind::Json) => cast("jsonb"),
            (Dialect::Postgres, ColumnKind::Text | ColumnKind::TextCast(_)) => cast("text"),
        };
        format!("{expr} AS {name}")
    }

    /// `column` as a plain value in a condition: PostgreSQL compares non-text types
    /// cast from text with their own type, so the column stays as it is, and JSON is
    /// compared as jsonb.
    pub fn compared(self, column: &Column) -> String {
        let name = quote(&column.name);
        match (self, &column.kind) {
            (Dialect::Sqlite, ColumnKind::Json) => format!("json({name})"),
            (Dialect::Postgres, ColumnKind::Json) if column.declared != "jsonb" => {
                format!("CAST({name} AS jsonb)")
            }
            _ => name,
        }
    }

    /// A bound JSON text as a JSON value in a condition.
    pub fn json_param(self, placeholder: &str) -> String {
        match self {
            Dialect::Sqlite => format!("json({placeholder})"),
            Dialect::Postgres => format!("CAST({placeholder} AS jsonb)"),
        }
    }

    /// The member `key` (a bound text) of the JSON value `json`.
    pub fn json_member(self, json: &str, key_placeholder: &str) -> String {
        format!("({json} -> {key_placeholder})")
    }

    /// The JSON type of `json` in this dialect's words (`NULL` for a missing value).
    pub fn json_type(self, json: &str) -> String {
        match self {
            Dialect::Sqlite => format!("json_type({json})"),
            Dialect::Postgres => format!("jsonb_typeof({json})"),
        }
    }

    /// The words [`json_type`](Self::json_type) gives for each JSON type.
    pub fn json_type_names(self, kind: JsonType) -> &'static [&'static str] {
        match (self, kind) {
            (Dialect::Sqlite, JsonType::Number) => &["integer", "real"],
            (Dialect::Sqlite, JsonType::String) => &["text"],
            (Dialect::Sqlite, JsonType::Bool) => &["true", "false"],
            (Dialect::Postgres, JsonType::Number) => &["number"],
            (Dialect::Postgres, JsonType::String) => &["string"],
            (Dialect::Postgres, JsonType::Bool) => &["boolean"],
            (_, JsonType::Null) => &["null"],
            (_, JsonType::Array) => &["array"],
            (_, JsonType::Object) => &["object"],
        }
    }

    /// A JSON scalar as an SQL value that orders and compares within its type
    /// (SQLite: numbers, text, 0/1; PostgreSQL: jsonb orders itself).
    pub fn json_scalar(self, json: &str) -> String {
        match self {
            Dialect::Sqlite => format!("json_extract({json}, '$')"),
            Dialect::Postgres => json.to_owned(),
        }
    }

    /// A JSON string as SQL text, for patterns.
    pub fn json_text(self, json: &str) -> String {
        match self {
            Dialect::Sqlite => format!("json_extract({json}, '$')"),
            Dialect::Postgres => format!("({json} #>> '{{}}')"),
        }
    }

    /// Whether the JSON array `json` has an element equal to the JSON value bound
    /// at `value` (a JSON parameter expression).
    pub fn json_array_has(self, json: &str, value: &str) -> String {
        match self {
            Dialect::Sqlite => format!(
                "(json_type({json}) = 'array' AND EXISTS (SELECT 1 FROM json_each({json}) AS e WHERE ({json} -> e.fullkey) = {value}))"
            ),
            Dialect::Postgres => format!(
                "(jsonb_typeof({json}) = 'array' AND {json} @> jsonb_build_array({value}))"
            ),
        }
    }

    /// `text` matched against the bound pattern at `placeholder` by a pattern
    /// operator. PostgreSQL: `LIKE`, `NOT LIKE`, `ILIKE`. SQLite's `LIKE` ignores
    /// the case of ASCII letters, so there `$like`/`$notlike` use `GLOB` with the
    /// pattern translated (see [`like_to_glob`]), and `$ilike` uses `LIKE`.
    pub fn like(
        self,
        text: &str,
        kind: feathers_core::query::LikeKind,
        placeholder: &str,
    ) -> String {
        use feathers_core::query::LikeKind;
        match (self, kind) {
            (Dialect::Postgres, LikeKind::Like) => format!("{text} LIKE {placeholder}"),
            (Dialect::Postgres, LikeKind::NotLike) => format!("{text} NOT LIKE {placeholder}"),
            (Dialect::Postgres, LikeKind::ILike) => format!("{text} ILIKE {placeholder}"),
            (Dialect::Sqlite, LikeKind::Like) => format!("{text} GLOB {placeholder}"),
            (Dialect::Sqlite, LikeKind::NotLike) => format!("{text} NOT GLOB {placeholder}"),
            (Dialect::Sqlite, LikeKind::ILike) => format!("{text} LIKE {placeholder} ESCAPE '\\'"),
        }
    }

    /// The bound pattern for [`like`](Self::like).
    pub fn like_pattern(self, kind: feathers_core::query::LikeKind, pattern: &str) -> String {
        use feathers_core::query::LikeKind;
        match (self, kind) {
            (Dialect::Sqlite, LikeKind::Like | LikeKind::NotLike) => like_to_glob(pattern),
            _ => pattern.to_owned(),
        }
    }

    /// Ordering that puts nulls first ascending and last descending, as Feathers'
    /// memory adapter does. Without nulls (a `NOT NULL` column) the plain direction,
    /// which lets PostgreSQL read a default index backwards.
    pub fn direction(self, descending: bool, nullable: bool) -> &'static str {
        match (descending, nullable) {
            (true, true) => "DESC NULLS LAST",
            (false, true) => "ASC NULLS FIRST",
            (true, false) => "DESC",
            (false, false) => "ASC",
        }
    }
}

/// The JSON types.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsonType {
    /// null
    Null,
    /// numbers
    Number,
    /// strings
    String,
    /// true and false
    Bool,
    /// arrays
    Array,
    /// objects
    Object,
}

/// A `LIKE` pattern (`%`, `_`, backslash escapes) as a SQLite `GLOB` pattern (`*`,
/// `?`, and `[x]` for a literal `*`, `?` or `[`).
pub fn like_to_glob(pattern: &str) -> String {
    let mut glob = String::with_capacity(pattern.len());
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        let literal = match c {
            '%' => {
                glob.push('*');
                continue;
            }
            '_' => {
                glob.push('?');
                continue;
            }
            '\\' => chars.next().unwrap_or('\\'),
            other => other,
        };
        match literal {
            '*' | '?' | '[' => {
                glob.push('[');
                glob.push(literal);
                glob.push(']');
            }
            other => glob.push(other),
        }
    }
    glob
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_quoted_with_inner_quotes_doubled() {
        assert_eq!(quote("name"), "\"name\"");
        assert_eq!(quote("na\"me"), "\"na\"\"me\"");
        assert_eq!(
            Dialect::Postgres.table("app.messages"),
            "\"app\".\"messages\""
        );
        assert_eq!(Dialect::Sqlite.table("a.b"), "\"a.b\"");
    }

    #[test]
    fn like_patterns_become_globs() {
        assert_eq!(like_to_glob("Al%"), "Al*");
        assert_eq!(like_to_glob("_b*"), "?b[*]");
        assert_eq!(like_to_glob("100\\%"), "100%");
        assert_eq!(like_to_glob("[x]?"), "[[]x][?]");
    }
}
