//! Sanitising a query (Feathers' `filterQuery`): the filters `$limit`, `$skip`,
//! `$sort` and `$select` are taken out and checked, numbers that came as strings are
//! read, `$limit` is fitted to the pagination settings, and what remains (fields, `$or`,
//! `$and`) becomes a [`Matcher`]. Any other top-level `$` key is
//! `BadRequest("Invalid filter value $x")`.

use serde_json::{Map, Value};

use crate::coerce::{as_list, Typing};
use crate::error::{QueryError, Result};
use crate::matcher::Matcher;
use crate::sort::Sort;

/// The filters Feathers knows besides `$or` and `$and`.
pub const FILTERS: [&str; 4] = ["$limit", "$skip", "$sort", "$select"];

/// Pagination settings (`paginate: {default, max}`): a `find` answers a page of at most
/// `max` records, `default` when the query gives no `$limit`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Paginate {
    /// The page size when the query has no `$limit`.
    pub default: Option<u64>,
    /// The largest page size; a larger `$limit` is lowered to it.
    pub max: Option<u64>,
}

impl Paginate {
    /// Pages of `default` records, at most `max`.
    pub fn new(default: u64, max: u64) -> Paginate {
        Paginate {
            default: Some(default),
            max: Some(max),
        }
    }

    /// True when either size is set; otherwise `find` does not paginate.
    pub fn is_active(&self) -> bool {
        self.default.is_some() || self.max.is_some()
    }

    /// The page size for a requested `$limit` (Feathers' `getLimit`). Without a
    /// `$limit` and without a default, the page size is `max` (where Feathers answers
    /// pages of 0).
    pub fn limit(&self, requested: Option<u64>) -> u64 {
        let wanted = requested.or(self.default).or(self.max).unwrap_or(u64::MAX);
        self.max.map_or(wanted, |max| wanted.min(max))
    }
}

/// How to sanitise a query.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct QueryOptions {
    /// Pagination in effect for this call, if any: it bounds `$limit`.
    pub paginate: Option<Paginate>,
    /// How query values compare with stored ones.
    pub typing: Typing,
}

impl QueryOptions {
    /// Options for a call: its query's typing and the given pagination (ignored when
    /// inactive).
    pub fn new(typing: Typing, paginate: Option<Paginate>) -> QueryOptions {
        QueryOptions {
            paginate: paginate.filter(Paginate::is_active),
            typing,
        }
    }
}

/// The filters of a query, checked and converted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filters {
    /// `$limit`, fitted to the pagination settings. With pagination it is always set.
    pub limit: Option<u64>,
    /// `$skip`, 0 when absent.
    pub skip: u64,
    /// `$sort`.
    pub sort: Option<Sort>,
    /// `$select`: the fields to return (the id field is always added).
    pub select: Option<Vec<String>>,
}

/// A sanitised query: its filters and its conditions.
#[derive(Clone, Debug, PartialEq)]
pub struct Query {
    /// `$limit`, `$skip`, `$sort` and `$select`.
    pub filters: Filters,
    /// Every other key: the conditions a record must meet.
    pub matcher: Matcher,
    /// Pagination in effect, from the options.
    pub paginate: Option<Paginate>,
}

impl Query {
    /// Sanitises `query`. Bad filters and unknown operators are 400s with Feathers'
    /// messages where Feathers has one.
    pub fn parse(query: &Map<String, Value>, options: &QueryOptions) -> Result<Query> {
        let typing = options.typing;
        let mut conditions = Map::new();
        let mut filters = Filters::default();
        let mut limit = None;
        for (key, value) in query {
            match key.as_str() {
                "$limit" => limit = parse_count("$limit", value, typing)?,
                "$skip" => filters.skip = parse_count("$skip", value, typing)?.unwrap_or(0),
                "$sort" => filters.sort = Some(Sort::parse(value)?),
                "$select" => filters.select = Some(parse_select(value, typing)?),
                _ => {
                    conditions.insert(key.clone(), value.clone());
                }
            }
        }
        let paginate = options.paginate.filter(Paginate::is_active);
        filters.limit = match paginate {
            Some(paginate) => Some(paginate.limit(limit)),
            None => limit,
        };
        Ok(Query {
            filters,
            matcher: Matcher::new(&conditions, typing)?,
            paginate,
        })
    }
}

/// `$limit` or `$skip`: a non-negative integer, as a number or a string of digits.
/// `null` (and `""` from a query string) count as absent.
fn parse_count(name: &str, value: &Value, typing: Typing) -> Result<Option<u64>> {
    let invalid = || {
        QueryError::new(format!(
            "Invalid {name}: expected a non-negative integer, found {value}"
        ))
    };
    match value {
        Value::Null => Ok(None),
        Value::String(text) if text.is_empty() && typing == Typing::QueryString => Ok(None),
        Value::String(text) => {
            if !text.bytes().all(|b| b.is_ascii_digit()) || text.is_empty() {
                return Err(invalid());
            }
            // Digits only: an overflow is a huge count, which means "all".
            Ok(Some(text.parse::<u64>().unwrap_or(u64::MAX)))
        }
        Value::Number(n) => match (n.as_u64(), n.as_f64()) {
            (Some(count), _) => Ok(Some(count)),
            (None, Some(f)) if f >= 0.0 && f.fract() == 0.0 => {
                Ok(Some(f.min(u64::MAX as f64) as u64))
            }
            _ => Err(invalid()),
        },
        _ => Err(invalid()),
    }
}

/// `$select`: a list of field names.
fn parse_select(value: &Value, typing: Typing) -> Result<Vec<String>> {
    let invalid = || {
        QueryError::new(format!(
            "$select must be an array of field names such as [\"name\", \"age\"], found {value}"
        ))
    };
    let items = as_list(value, typing).ok_or_else(invalid)?;
    items
        .into_iter()
        .map(|item| item.as_str().map(str::to_owned).ok_or_else(invalid))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(query: Value, paginate: Option<Paginate>, typing: Typing) -> Result<Query> {
        let map = match query {
            Value::Object(map) => map,
            _ => Map::new(),
        };
        Query::parse(&map, &QueryOptions { paginate, typing })
    }

    #[test]
    fn takes_the_filters_out_and_reads_strings() -> Result<()> {
        let query = parse(
            json!({"$limit": "10", "$skip": "2", "$sort": {"name": "-1"}, "$select": ["name"], "name": "x"}),
            None,
            Typing::QueryString,
        )?;
        assert_eq!(query.filters.limit, Some(10));
        assert_eq!(query.filters.skip, 2);
        assert_eq!(
            query.filters.sort.as_ref().map(|s| s.keys()[0].descending),
            Some(true)
        );
        assert_eq!(query.filters.select, Some(vec!["name".to_owned()]));
        assert!(!query.matcher.is_empty());
        assert!(query.matcher.matches(&json!({"name": "x"})));
        Ok(())
    }

    #[test]
    fn pagination_bounds_the_limit() -> Result<()> {
        let paginate = Some(Paginate::new(2, 3));
        let limit = |q: Value| parse(q, paginate, Typing::Strict).map(|q| q.filters.limit);
        assert_eq!(limit(json!({}))?, Some(2));
        assert_eq!(limit(json!({"$limit": 100}))?, Some(3));
        assert_eq!(limit(json!({"$limit": 0}))?, Some(0));
        assert_eq!(limit(json!({"$limit": null}))?, Some(2));
        let max_only = Paginate {
            default: None,
            max: Some(50),
        };
        assert_eq!(max_only.limit(None), 50);
        assert!(!Paginate::default().is_active());
        assert_eq!(
            parse(json!({}), Some(Paginate::default()), Typing::Strict)?
                .filters
                .limit,
            None
        );
        Ok(())
    }

    #[test]
    fn bad_filters_are_400s() {
        for query in [
            json!({"$limit": -5}),
            json!({"$limit": "-5"}),
            json!({"$limit": "abc"}),
            json!({"$limit": 2.5}),
            json!({"$skip": "abc"}),
            json!({"$skip": true}),
            json!({"$skip": [1]}),
            json!({"$select": "name"}),
            json!({"$select": [1]}),
            json!({"$select": {"0": "name"}}),
            json!({"$sort": "name"}),
        ] {
            let err = parse(query.clone(), None, Typing::Strict)
                .err()
                .map(|e| e.code());
            assert_eq!(err, Some(400), "{query}");
        }
        let err = parse(json!({"$foo": 1}), None, Typing::Strict).err();
        assert_eq!(
            err.map(|e| e.message().to_owned()),
            Some("Invalid filter value $foo".to_owned())
        );
    }

    #[test]
    fn query_string_lists_may_be_index_keyed_objects() -> Result<()> {
        let query = parse(
            json!({"$select": {"1": "age", "0": "name"}}),
            None,
            Typing::QueryString,
        )?;
        assert_eq!(
            query.filters.select,
            Some(vec!["name".to_owned(), "age".to_owned()])
        );
        Ok(())
    }
}
