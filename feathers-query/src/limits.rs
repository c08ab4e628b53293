//! How wide and how deep a query's conditions may be: [`ConditionLimits`].
//!
//! A client can send an `$or` of thousands of queries, or `$or`s nested inside each
//! other as deep as its JSON allows. Databases meet such trees with their own limits
//! (SQLite refuses an expression deeper than 1,000 nodes, PostgreSQL runs out of
//! stack much later), each with a different message at a different size. Adapters
//! check a query against one [`ConditionLimits`] first, so that every database refuses
//! the same queries, with a 400 that names the limit.

use crate::error::{QueryError, Result};
use crate::matcher::{Condition, Operator};

/// The most terms in one list and the deepest nesting a query's conditions may have.
///
/// A list is an `$or` or `$and` (also a field's own `$or`, as in
/// `{"age": {"$or": [..]}}`) or the fields of one query object; a term is one of its
/// items. Each list inside another is one level deeper: `{"$or": [{"a": 1}]}` is one
/// level, `{"$or": [{"a": 1, "b": 2}]}` two (the object with two fields is a list of
/// its own).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConditionLimits {
    /// The most terms in one list. Default [`ConditionLimits::DEFAULT_TERMS`].
    pub max_terms: usize,
    /// The deepest nesting of lists. Default [`ConditionLimits::DEFAULT_DEPTH`].
    pub max_depth: usize,
}

impl ConditionLimits {
    /// At most 100 terms in one `$or`, `$and` or query object: far more than a query
    /// written by hand holds (a longer list of values is a `$in`).
    pub const DEFAULT_TERMS: usize = 100;
    /// At most 10 levels of nested lists: queries written by hand rarely nest 3.
    pub const DEFAULT_DEPTH: usize = 10;

    /// Limits of `max_terms` terms per list and `max_depth` levels.
    pub fn new(max_terms: usize, max_depth: usize) -> ConditionLimits {
        ConditionLimits {
            max_terms,
            max_depth,
        }
    }

    /// Checks a condition tree (the root, a query object, is level 0 and its own
    /// fields a list like any other). The error names the limit that was passed.
    pub fn check(&self, condition: &Condition) -> Result<()> {
        self.check_condition(condition, 0)
    }

    fn check_condition(&self, condition: &Condition, depth: usize) -> Result<()> {
        match condition {
            Condition::All(items) | Condition::Any(items) => {
                self.check_list(items.len(), depth)?;
                items
                    .iter()
                    .try_for_each(|item| self.check_condition(item, depth + 1))
            }
            Condition::Field(field) => self.check_operators(&field.operators, depth),
        }
    }

    fn check_operators(&self, operators: &[Operator], depth: usize) -> Result<()> {
        operators.iter().try_for_each(|operator| match operator {
            // A field's `$or` sits where the field sits, as an `$or` of queries would.
            Operator::Or(alternatives) => {
                self.check_list(alternatives.len(), depth)?;
                alternatives
                    .iter()
                    .try_for_each(|ops| self.check_operators(ops, depth + 1))
            }
            _ => Ok(()),
        })
    }

    /// A list of `terms` items, `depth` levels below the root.
    fn check_list(&self, terms: usize, depth: usize) -> Result<()> {
        if terms > self.max_terms {
            return Err(QueryError::new(format!(
                "The query is too wide: an $or, $and or query object may hold at most {} \
                 terms, and one holds {terms}",
                self.max_terms
            )));
        }
        if depth > self.max_depth {
            return Err(QueryError::new(format!(
                "The query is too deep: $or, $and and query objects may nest at most {} levels",
                self.max_depth
            )));
        }
        Ok(())
    }
}

impl Default for ConditionLimits {
    fn default() -> ConditionLimits {
        ConditionLimits::new(Self::DEFAULT_TERMS, Self::DEFAULT_DEPTH)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coerce::Typing;
    use crate::matcher::Matcher;
    use serde_json::{json, Value};

    fn check(query: Value, limits: ConditionLimits) -> Result<()> {
        let map = query.as_object().cloned().unwrap_or_default();
        limits.check(Matcher::new(&map, Typing::Strict)?.condition())
    }

    fn or_of(n: usize) -> Value {
        json!({"$or": (0..n).map(|i| json!({"name": format!("n{i}")})).collect::<Vec<_>>()})
    }

    /// `levels` nested `$or`s of one term each.
    fn nested(levels: usize) -> Value {
        let mut query = json!({"name": "x"});
        for _ in 0..levels {
            query = json!({"$or": [query]});
        }
        query
    }

    #[test]
    fn a_list_at_the_limit_passes_and_one_more_is_refused_naming_it() {
        let limits = ConditionLimits::default();
        assert_eq!(check(or_of(100), limits), Ok(()));
        let err = check(or_of(101), limits).err().map(|e| e.to_string());
        let message = err.unwrap_or_default();
        assert!(message.contains("at most 100 terms"), "{message}");
        assert!(message.contains("holds 101"), "{message}");
        let and = json!({"$and": (0..101).map(|i| json!({"age": i})).collect::<Vec<_>>()});
        assert!(check(and, limits).is_err());
    }

    #[test]
    fn a_field_s_own_or_is_a_list_too() {
        let alternatives: Vec<Value> = (0..101).map(|i| json!({"$lt": i})).collect();
        let query = json!({"age": {"$or": alternatives}});
        assert!(check(query, ConditionLimits::default()).is_err());
        let deep = json!({"age": {"$or": [{"$or": [{"$lt": 1}]}]}});
        assert!(check(deep.clone(), ConditionLimits::new(100, 2)).is_ok());
        assert!(check(deep, ConditionLimits::new(100, 1)).is_err());
    }

    #[test]
    fn nesting_at_the_limit_passes_and_one_level_more_is_refused() {
        let limits = ConditionLimits::default();
        assert_eq!(check(nested(10), limits), Ok(()));
        let message = check(nested(11), limits)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(message.contains("at most 10 levels"), "{message}");
    }

    #[test]
    fn the_limits_are_configurable() {
        assert!(check(or_of(3), ConditionLimits::new(2, 10)).is_err());
        assert!(check(or_of(1_000), ConditionLimits::new(1_000, 10)).is_ok());
    }
}
