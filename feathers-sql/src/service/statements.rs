//! The SQL of each method: `SELECT` (with its `COUNT(*)`), `INSERT`, `UPDATE` and
//! `DELETE`, each `.. RETURNING` the selected columns, with every value bound.

use feathers_core::adapter::is_falsy;
use feathers_core::query::{Query, Typing};
use feathers_core::{Error, Id, Result};
use serde_json::{Map, Value};

use super::ids::new_uuid;
use super::state::SqlService;
use crate::clauses::{limit_offset, order_by, select_list, where_clause};
use crate::column::Column;
use crate::dialect::quote;
use crate::options::IdGeneration;
use crate::statement::{Bind, Statement};
use crate::values::{data_value, SqlValue};

impl SqlService {
    /// `SELECT .. FROM table WHERE .. ORDER BY .. LIMIT ..` for `find`.
    pub(super) fn select_statement(
        &self,
        query: &Query,
        typing: Typing,
        columns: &[&Column],
    ) -> Result<Statement> {
        let inner = &self.inner;
        let mut sql = self.statement();
        let conditions = where_clause(&inner.schema, query, typing, None, &mut sql)?;
        let order = order_by(
            &inner.schema,
            query.filters.sort.as_ref(),
            &inner.id,
            &mut sql,
        )?;
        let limits = limit_offset(query.filters.limit, query.filters.skip, &mut sql);
        sql.text = format!(
            "SELECT {} FROM {}{conditions}{order}{limits}",
            select_list(sql.dialect, columns),
            inner.table_sql
        );
        Ok(sql)
    }

    /// `SELECT COUNT(*) FROM table WHERE ..`: the total of a page.
    pub(super) fn count_statement(&self, query: &Query, typing: Typing) -> Result<Statement> {
        let inner = &self.inner;
        let mut sql = self.statement();
        let conditions = where_clause(&inner.schema, query, typing, None, &mut sql)?;
        sql.text = format!("SELECT COUNT(*) FROM {}{conditions}", inner.table_sql);
        Ok(sql)
    }

    /// `SELECT .. FROM table WHERE id = .. AND ..` for `get`.
    pub(super) fn get_statement(
        &self,
        query: &Query,
        typing: Typing,
        id: Bind,
        columns: &[&Column],
    ) -> Result<Statement> {
        let inner = &self.inner;
        let mut sql = self.statement();
        let conditions = where_clause(
            &inner.schema,
            query,
            typing,
            Some((&inner.id, id)),
            &mut sql,
        )?;
        sql.text = format!(
            "SELECT {} FROM {}{conditions}",
            select_list(sql.dialect, columns),
            inner.table_sql
        );
        Ok(sql)
    }

    /// `INSERT INTO table (..) VALUES (..) RETURNING ..` for one new record (an object
    /// without `$` keys).
    pub(super) fn insert_statement(
        &self,
        record: &Map<String, Value>,
        columns: &[&Column],
    ) -> Result<Statement> {
        let inner = &self.inner;
        self.check_fields(record)?;
        let id_field = &inner.id.name;
        let mut names = Vec::with_capacity(record.len() + 1);
        let mut values = Vec::with_capacity(record.len() + 1);
        let mut sql = self.statement();
        let mut has_id = false;
        for (name, value) in record {
            if name == id_field {
                if is_falsy(value) {
                    continue;
                }
                if Id::from_value(value).is_err() || value.is_boolean() {
                    return Err(Error::bad_request(format!(
                        "Invalid id {value} in the field '{id_field}': ids are integers or strings"
                    )));
                }
                has_id = true;
            }
            let column = inner.schema.require(name)?;
            names.push(quote(name));
            values.push(stored_value(&mut sql, column, value)?);
        }
        if !has_id && inner.options.ids == IdGeneration::Uuid {
            names.push(quote(id_field));
            let placeholder = sql.bind(Bind::Text(new_uuid()));
            values.push(sql.dialect.stored(&inner.id, &placeholder));
        }
        let returning = select_list(sql.dialect, columns);
        sql.text = if names.is_empty() {
            format!(
                "INSERT INTO {} DEFAULT VALUES RETURNING {returning}",
                inner.table_sql
            )
        } else {
            format!(
                "INSERT INTO {} ({}) VALUES ({}) RETURNING {returning}",
                inner.table_sql,
                names.join(", "),
                values.join(", ")
            )
        };
        Ok(sql)
    }

    /// `UPDATE table SET .. WHERE .. RETURNING ..` for `update` and `patch`.
    pub(super) fn update_statement(
        &self,
        values: &Map<String, Value>,
        query: &Query,
        typing: Typing,
        id: Option<Bind>,
        columns: &[&Column],
    ) -> Result<Statement> {
        let inner = &self.inner;
        let mut sql = self.statement();
        let mut sets = Vec::with_capacity(values.len());
        for (name, value) in values {
            let column = inner.schema.require(name)?;
            let assigned = stored_value(&mut sql, column, value)?;
            sets.push(format!("{} = {assigned}", quote(name)));
        }
        if sets.is_empty() {
            let id = quote(&inner.id.name);
            sets.push(format!("{id} = {id}"));
        }
        let conditions = where_clause(
            &inner.schema,
            query,
            typing,
            id.map(|bind| (&inner.id, bind)),
            &mut sql,
        )?;
        sql.text = format!(
            "UPDATE {} SET {}{conditions} RETURNING {}",
            inner.table_sql,
            sets.join(", "),
            select_list(sql.dialect, columns)
        );
        Ok(sql)
    }

    /// `DELETE FROM table WHERE .. RETURNING ..` for `remove`.
    pub(super) fn delete_statement(
        &self,
        query: &Query,
        typing: Typing,
        id: Option<Bind>,
        columns: &[&Column],
    ) -> Result<Statement> {
        let inner = &self.inner;
        let mut sql = self.statement();
        let conditions = where_clause(
            &inner.schema,
            query,
            typing,
            id.map(|bind| (&inner.id, bind)),
            &mut sql,
        )?;
        sql.text = format!(
            "DELETE FROM {}{conditions} RETURNING {}",
            inner.table_sql,
            select_list(sql.dialect, columns)
        );
        Ok(sql)
    }
}

/// The SQL that stores `value` in `column`: `NULL`, or the value bound to `sql` (and
/// cast or parsed as the column needs).
fn stored_value(sql: &mut Statement, column: &Column, value: &Value) -> Result<String> {
    Ok(match data_value(column, value)? {
        SqlValue::Null => "NULL".to_owned(),
        SqlValue::Bound(bind) => {
            let placeholder = sql.bind(bind);
            sql.dialect.stored(column, &placeholder)
        }
    })
}
