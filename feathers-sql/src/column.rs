//! [`Column`] and [`ColumnKind`]: one column of a table and how the adapter treats its
//! values. The lowest layer of the crate: the dialect, the schema reader and the
//! statement builders all describe columns with these.

/// How the adapter treats a column's values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ColumnKind {
    /// Whole numbers (`INTEGER`, `int4`, `bigint`, ...).
    Integer,
    /// Numbers with fractions (`REAL`, `float8`, `numeric`, ...).
    Float,
    /// `true` / `false` (`BOOLEAN`; SQLite stores 0 and 1).
    Bool,
    /// Strings (`TEXT`, `varchar`, ...).
    Text,
    /// Any JSON value (PostgreSQL `json`/`jsonb`; SQLite columns declared `JSON`).
    Json,
    /// A PostgreSQL type without a JSON counterpart (`uuid`, `timestamptz`, `date`,
    /// ...): sent and read as its text form, cast to the named type in SQL.
    TextCast(String),
}

impl ColumnKind {
    /// A word for messages: "an integer", ...
    pub fn described(&self) -> String {
        match self {
            ColumnKind::Integer => "an integer".into(),
            ColumnKind::Float => "a number".into(),
            ColumnKind::Bool => "a boolean".into(),
            ColumnKind::Text => "a string".into(),
            ColumnKind::Json => "JSON".into(),
            ColumnKind::TextCast(name) => format!("a string ({name})"),
        }
    }
}

/// One column of the table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    /// Its name.
    pub name: String,
    /// How its values are treated.
    pub kind: ColumnKind,
    /// The type as the database declares it.
    pub declared: String,
    /// Whether the column may hold NULL (`NOT NULL` and primary keys may not).
    pub nullable: bool,
}
