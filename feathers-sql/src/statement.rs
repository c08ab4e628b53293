//! [`Statement`]: SQL text with its bound values. Values only ever reach the database
//! as bound parameters; the text holds quoted column names and fixed keywords.

use crate::dialect::Dialect;

/// The most values one statement may bind. SQLite allows 32,766 and PostgreSQL
/// 65,535; a query needing more is a 400 before it reaches the database.
pub const MAX_BINDS: usize = 30_000;

/// A value bound to a statement.
#[derive(Clone, Debug, PartialEq)]
pub enum Bind {
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// A boolean.
    Bool(bool),
    /// A string (also JSON text and PostgreSQL values cast from text).
    Text(String),
}

/// SQL text and the values it binds, in placeholder order.
#[derive(Clone, Debug)]
pub struct Statement {
    /// The dialect the text is written in.
    pub dialect: Dialect,
    /// The SQL.
    pub text: String,
    /// The bound values.
    pub binds: Vec<Bind>,
}

impl Statement {
    /// An empty statement.
    pub fn new(dialect: Dialect) -> Statement {
        Statement {
            dialect,
            text: String::with_capacity(128),
            binds: Vec::new(),
        }
    }

    /// Binds `value` and answers its placeholder.
    pub fn bind(&mut self, value: Bind) -> String {
        self.binds.push(value);
        self.dialect.placeholder(self.binds.len())
    }

    /// Appends SQL text.
    pub fn push(&mut self, sql: &str) -> &mut Statement {
        self.text.push_str(sql);
        self
    }
}
