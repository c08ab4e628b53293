//! Query strings as Express's "extended" parser reads them: `qs.parse(str)` with
//! `allowPrototypes: true` (docs/protocol.md, "REST"), in the qs 6.x releases Express 4 ships.
//!
//! - `a[b][c]=1` nests: `{"a":{"b":{"c":"1"}}}`; `%5B` and `%5D` count as brackets.
//! - `a[]=1&a[]=2`, `a[0]=x&a[1]=y` and repeated keys `x=1&x=2` give arrays.
//! - Every scalar is a string; `?nil=` and `?flag` give `""`.
//! - `+` is a space and percent escapes are decoded. A key or value with an invalid
//!   escape (`%ZZ`, a lone `%`, bytes that are not UTF-8) is kept as written, `+` aside,
//!   as qs keeps it when `decodeURIComponent` throws.
//! - Brackets nested deeper than [`QueryLimits::depth`] stay one literal key:
//!   `a[b][c][d][e][f][g]=1` gives `{"a":{"b":{"c":{"d":{"e":{"f":{"[g]":"1"}}}}}}}`.
//! - More than [`QueryLimits::parameter_limit`] parameters is a 400 (qs drops the rest
//!   silently).
//!
//! Arrays: indices order and compact an array (`a[5]=x&a[2]=y` gives `["y","x"]`)
//! without allocating by index value. qs turns an index above its array limit into an
//! object key (a 25-item `$in` arrives as `{"0":..,"24":..}`); this parser then reads
//! every object whose keys are all integers back as an array ordered by index, because
//! Feathers' clients send long `$in` lists exactly that way. Indices mixed with names
//! under one key (`a[0]=x&a[b]=y`) give an object, as in qs.
//!
//! One deliberate difference: where qs answers `a[b]=1&a=2` with
//! `{"a":{"b":"1","2":true}}` (a value turned into a key set to `true`), this parser
//! answers 400, so that every scalar stays a string.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use indexmap::map::Entry;
use indexmap::IndexMap;
use serde_json::{Map, Value};

use crate::error::{QueryError, Result};

/// The deepest bracket nesting honoured whatever the configuration says, which keeps
/// parsed values far from any recursion limit.
pub const MAX_DEPTH: usize = 64;

/// The largest index kept as an array index while merging: JavaScript's own largest
/// array index. Larger indices become object keys and are read back as indices at the
/// end, so the limit changes no result, only the intermediate form.
const MAX_ARRAY_LIMIT: u64 = u32::MAX as u64 - 1;

/// Limits for parsing a query string.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QueryLimits {
    /// How many levels of brackets nest (qs `depth`); the rest of a deeper key stays
    /// one literal key. At most [`MAX_DEPTH`].
    pub depth: usize,
    /// The most `&`-separated parameters a query may have (qs `parameterLimit`); more
    /// is a 400. Empty parameters (`&&`) do not count.
    pub parameter_limit: usize,
    /// The largest index kept as an array index while merging (qs `arrayLimit`). It
    /// only matters when one key mixes indices with plain values.
    pub array_limit: usize,
}

impl Default for QueryLimits {
    /// Depth 5, 1000 parameters, array indices up to 100.
    fn default() -> QueryLimits {
        QueryLimits {
            depth: 5,
            parameter_limit: 1000,
            array_limit: 100,
        }
    }
}

/// Parses a query string (without its `?`) into a JSON object of strings, arrays and
/// objects. Fails with 400 BadRequest when the query has too many parameters, or when
/// a key is given both as a value and with nested keys.
///
/// ```
/// use feathers_query::qs::{parse, QueryLimits};
/// use serde_json::{json, Value};
///
/// let query = parse("%24limit=10&name%5B%24in%5D%5B0%5D=a", &QueryLimits::default())?;
/// assert_eq!(Value::Object(query), json!({"$limit": "10", "name": {"$in": ["a"]}}));
/// # Ok::<(), feathers_query::QueryError>(())
/// ```
pub fn parse(query: &str, limits: &QueryLimits) -> Result<Map<String, Value>> {
    let depth = limits.depth.min(MAX_DEPTH);
    let array_limit = u64::try_from(limits.array_limit)
        .unwrap_or(MAX_ARRAY_LIMIT)
        .min(MAX_ARRAY_LIMIT);
    let mut root = IndexMap::new();
    for (key, value) in flat_pairs(query, limits.parameter_limit)? {
        // A plain key seen for the first time (`group=g1`, `$limit=10`): what the
        // merge below would do, without building a one-key object to merge.
        if !key.is_empty() && key != "__proto__" && !key.contains('[') && !root.contains_key(&key) {
            root.insert(key, value);
            continue;
        }
        let chain = split_key(&key, depth);
        let node = build(&chain, value, array_limit);
        root = match merge(Node::Map(root), node) {
            Ok(Node::Map(map)) => map,
            // Merging anything into an object gives an object.
            Ok(_) => IndexMap::new(),
            Err(Conflict) => {
                return Err(QueryError::new(format!(
                    "The query parameter '{key}' is given both as a value and with nested keys"
                )))
            }
        };
    }
    Ok(in_js_order(root)
        .map(|(key, node)| (key, node.into_value()))
        .collect())
}

/// A value while parsing: one of qs's JavaScript values, arrays possibly sparse.
#[derive(Debug)]
enum Node {
    Str(String),
    /// A JavaScript array, index to item; holes are absent. Its length is the last
    /// index plus one.
    List(BTreeMap<u64, Node>),
    /// A JavaScript object, keys in insertion order (`$sort` depends on it).
    Map(IndexMap<String, Node>),
}

/// A value merged into an object, where qs would add it as a key set to `true`.
#[derive(Debug)]
struct Conflict;

impl Node {
    fn list_of<const N: usize>(items: [Node; N]) -> Node {
        Node::List((0..).zip(items).collect())
    }

    /// JavaScript's `typeof value === 'object'`: arrays and objects.
    fn is_object(&self) -> bool {
        !matches!(self, Node::Str(_))
    }

    /// The finished value: holes dropped (qs `compact`), integer-keyed objects read as
    /// arrays ordered by index.
    fn into_value(self) -> Value {
        match self {
            Node::Str(text) => Value::String(text),
            Node::List(items) => Value::Array(items.into_values().map(Node::into_value).collect()),
            Node::Map(map)
                if !map.is_empty() && map.keys().all(|key| is_canonical_integer(key)) =>
            {
                let mut entries: Vec<(String, Node)> = map.into_iter().collect();
                // Canonical integers order by length first, then digit by digit.
                entries.sort_unstable_by(|(a, _), (b, _)| {
                    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
                });
                Value::Array(
                    entries
                        .into_iter()
                        .map(|(_, node)| node.into_value())
                        .collect(),
                )
            }
            Node::Map(map) => Value::Object(
                in_js_order(map)
                    .map(|(key, node)| (key, node.into_value()))
                    .collect(),
            ),
        }
    }
}

/// An object's entries in the order JavaScript lists them: array-index keys first, by
/// value, then the other keys in insertion order.
fn in_js_order(mut map: IndexMap<String, Node>) -> impl Iterator<Item = (String, Node)> {
    if map.keys().any(|key| js_array_index(key).is_some()) {
        map.sort_by_cached_key(|key, _| js_array_index(key).map_or((1, 0), |index| (0, index)));
    }
    map.into_iter()
}

/// Appends at the array's length, as JavaScript's `push`.
fn push(items: &mut BTreeMap<u64, Node>, node: Node) {
    let next = items
        .last_key_value()
        .map_or(0, |(index, _)| index.saturating_add(1));
    items.insert(next, node);
}

/// qs's `parseValues`: the decoded keys with their values, a repeated key combining its
/// values into an array, in the order JavaScript lists an object's keys (integer keys
/// first, by value; then the others as first seen).
fn flat_pairs(query: &str, parameter_limit: usize) -> Result<Vec<(String, Node)>> {
    let mut pairs: Vec<(String, Node)> = Vec::new();
    let mut positions: HashMap<String, usize> = HashMap::new();
    let mut count = 0usize;
    for part in query.split('&').filter(|part| !part.is_empty()) {
        count += 1;
        if count > parameter_limit {
            return Err(QueryError::new(format!(
                "The query string has more than {parameter_limit} parameters"
            )));
        }
        let part = with_brackets_unescaped(part);
        // `a[b=c]=d`: the first `]=` ends the key when there is one.
        let split = match part.find("]=") {
            Some(position) => Some(position + 1),
            None => part.find('='),
        };
        let (key, value) = match split {
            Some(position) => (decode(&part[..position]), decode(&part[position + 1..])),
            None => (decode(&part), String::new()),
        };
        // qs keeps an empty key here and drops it when it splits the key.
        if key.is_empty() {
            continue;
        }
        match positions.get(&key).and_then(|&index| pairs.get_mut(index)) {
            Some((_, existing)) => combine(existing, value),
            None => {
                positions.insert(key.clone(), pairs.len());
                pairs.push((key, Node::Str(value)));
            }
        }
    }
    if pairs.iter().any(|(key, _)| js_array_index(key).is_some()) {
        pairs.sort_by_key(|(key, _)| js_array_index(key).map_or((1, 0), |index| (0, index)));
    }
    Ok(pairs)
}

/// qs's `utils.combine` for a repeated key: `[].concat(existing, value)`.
fn combine(existing: &mut Node, value: String) {
    match existing {
        Node::List(items) => push(items, Node::Str(value)),
        other => {
            let first = std::mem::replace(other, Node::Str(String::new()));
            *other = Node::list_of([first, Node::Str(value)]);
        }
    }
}

/// qs replaces `%5B` and `%5D` (any case) with brackets before it splits a parameter.
fn with_brackets_unescaped(part: &str) -> Cow<'_, str> {
    if !part.contains('%') {
        return Cow::Borrowed(part);
    }
    let mut out = String::new();
    let mut rest = part;
    let mut changed = false;
    while let Some(position) = rest.find('%') {
        let after = &rest[position + 1..];
        let bracket = match after.as_bytes() {
            [b'5', b'B' | b'b', ..] => '[',
            [b'5', b'D' | b'd', ..] => ']',
            _ => {
                out.push_str(&rest[..=position]);
                rest = after;
                continue;
            }
        };
        out.push_str(&rest[..position]);
        out.push(bracket);
        rest = &after[2..];
        changed = true;
    }
    if !changed {
        return Cow::Borrowed(part);
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// qs's decoder: `+` is a space, then `decodeURIComponent`; when that would throw (a bad
/// escape, bytes that are not UTF-8) the text is kept as written, `+` aside.
fn decode(raw: &str) -> String {
    if !raw.bytes().any(|byte| byte == b'%' || byte == b'+') {
        return raw.to_owned();
    }
    let undecoded = || raw.replace('+', " ");
    let mut bytes = Vec::with_capacity(raw.len());
    let mut input = raw.bytes();
    while let Some(byte) = input.next() {
        match byte {
            b'+' => bytes.push(b' '),
            b'%' => {
                let high = input.next().and_then(hex_digit);
                let low = input.next().and_then(hex_digit);
                match (high, low) {
                    (Some(high), Some(low)) => bytes.push((high << 4) | low),
                    _ => return undecoded(),
                }
            }
            other => bytes.push(other),
        }
    }
    String::from_utf8(bytes).unwrap_or_else(|_| undecoded())
}

fn hex_digit(byte: u8) -> Option<u8> {
    char::from(byte)
        .to_digit(16)
        .and_then(|digit| u8::try_from(digit).ok())
}

/// A non-negative integer written as JavaScript's `String(n)` writes it: digits only,
/// no leading zero.
fn is_canonical_integer(text: &str) -> bool {
    match text.as_bytes() {
        [] => false,
        [b'0'] => true,
        [first, rest @ ..] => (b'1'..=b'9').contains(first) && rest.iter().all(u8::is_ascii_digit),
    }
}

/// The value of a canonical integer up to `limit`.
fn index_up_to(text: &str, limit: u64) -> Option<u64> {
    if !is_canonical_integer(text) || text.len() > 20 {
        return None;
    }
    text.parse::<u64>().ok().filter(|index| *index <= limit)
}

/// A key JavaScript treats as an array index, which objects list first.
fn js_array_index(key: &str) -> Option<u64> {
    index_up_to(key, MAX_ARRAY_LIMIT)
}

/// The next bracket group `[...]` with no bracket inside, at or after `from` (qs's
/// `/(\[[^[\]]*])/g`): its start and its end (exclusive).
fn next_group(key: &[u8], from: usize) -> Option<(usize, usize)> {
    let mut start = from;
    loop {
        let open = start + key.get(start..)?.iter().position(|&byte| byte == b'[')?;
        let mut index = open + 1;
        loop {
            match key.get(index) {
                None => return None,
                Some(b']') => return Some((open, index + 1)),
                // A `[` inside: the group can only start here.
                Some(b'[') => {
                    start = index;
                    break;
                }
                Some(_) => index += 1,
            }
        }
    }
}

/// qs's `parseKeys` splitting: the parent before the first bracket group, then up to
/// `depth` bracket groups (text between groups is skipped, as qs's regex skips it),
/// then the rest of the key from the next group on as one literal group.
fn split_key(key: &str, depth: usize) -> Vec<Cow<'_, str>> {
    let bytes = key.as_bytes();
    let mut chain = Vec::new();
    let first = if depth > 0 {
        next_group(bytes, 0)
    } else {
        None
    };
    let parent = first.map_or(key, |(open, _)| &key[..open]);
    if !parent.is_empty() {
        chain.push(Cow::Borrowed(parent));
    }
    if depth > 0 {
        let mut position = 0;
        let mut taken = 0;
        while let Some((open, close)) = next_group(bytes, position) {
            if taken == depth {
                chain.push(Cow::Owned(format!("[{}]", &key[open..])));
                break;
            }
            chain.push(Cow::Borrowed(&key[open..close]));
            taken += 1;
            position = close;
        }
    }
    chain
}

/// qs's `parseObject`: the nested value a key chain gives `value`.
fn build(chain: &[Cow<'_, str>], value: Node, array_limit: u64) -> Node {
    let mut leaf = value;
    for root in chain.iter().rev() {
        let root: &str = root;
        leaf = if root == "[]" {
            match leaf {
                list @ Node::List(_) => list,
                other => Node::list_of([other]),
            }
        } else {
            let clean = root
                .strip_prefix('[')
                .and_then(|inner| inner.strip_suffix(']'))
                .unwrap_or(root);
            let bracketed = clean.len() != root.len();
            match index_up_to(clean, array_limit) {
                Some(index) if bracketed => Node::List(BTreeMap::from([(index, leaf)])),
                // qs never assigns `__proto__`: the value is dropped.
                _ if clean == "__proto__" => Node::Map(IndexMap::new()),
                _ => Node::Map(IndexMap::from([(clean.to_owned(), leaf)])),
            }
        };
    }
    leaf
}

/// qs's `utils.merge`, moving values rather than mutating shared ones.
fn merge(target: Node, source: Node) -> std::result::Result<Node, Conflict> {
    match (target, source) {
        // `if (!source) return target`: an empty value adds nothing.
        (target, Node::Str(text)) if text.is_empty() => Ok(target),
        (Node::List(mut items), Node::Str(text)) => {
            push(&mut items, Node::Str(text));
            Ok(Node::List(items))
        }
        (Node::Map(_), Node::Str(_)) => Err(Conflict),
        (Node::Str(first), Node::Str(second)) => {
            Ok(Node::list_of([Node::Str(first), Node::Str(second)]))
        }
        // `[target].concat(source)`
        (Node::Str(first), Node::List(items)) => {
            let mut list = BTreeMap::from([(0, Node::Str(first))]);
            list.extend(
                items
                    .into_iter()
                    .map(|(index, item)| (index.saturating_add(1), item)),
            );
            Ok(Node::List(list))
        }
        (Node::Str(first), map @ Node::Map(_)) => Ok(Node::list_of([Node::Str(first), map])),
        (Node::List(mut target), Node::List(source)) => {
            for (index, item) in source {
                match target.remove(&index) {
                    Some(existing) if existing.is_object() && item.is_object() => {
                        target.insert(index, merge(existing, item)?);
                    }
                    Some(existing) => {
                        target.insert(index, existing);
                        push(&mut target, item);
                    }
                    None => {
                        target.insert(index, item);
                    }
                }
            }
            Ok(Node::List(target))
        }
        (Node::List(target), Node::Map(source)) => {
            merge_maps(list_to_map(target), source).map(Node::Map)
        }
        (Node::Map(target), Node::List(source)) => {
            merge_maps(target, list_to_map(source)).map(Node::Map)
        }
        (Node::Map(target), Node::Map(source)) => merge_maps(target, source).map(Node::Map),
    }
}

/// qs's `arrayToObject`: indices become keys.
fn list_to_map(items: BTreeMap<u64, Node>) -> IndexMap<String, Node> {
    items
        .into_iter()
        .map(|(index, item)| (index.to_string(), item))
        .collect()
}

fn merge_maps(
    mut target: IndexMap<String, Node>,
    source: IndexMap<String, Node>,
) -> std::result::Result<IndexMap<String, Node>, Conflict> {
    for (key, value) in source {
        match target.entry(key) {
            Entry::Occupied(mut slot) => {
                let existing = std::mem::replace(slot.get_mut(), Node::Str(String::new()));
                *slot.get_mut() = merge(existing, value)?;
            }
            Entry::Vacant(slot) => {
                slot.insert(value);
            }
        }
    }
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn qs(query: &str) -> Value {
        qs_with(query, &QueryLimits::default())
    }

    fn qs_with(query: &str, limits: &QueryLimits) -> Value {
        match parse(query, limits) {
            Ok(map) => Value::Object(map),
            Err(err) => panic!("{query:?} failed: {err}"),
        }
    }

    fn qs_error(query: &str, limits: &QueryLimits) -> QueryError {
        match parse(query, limits) {
            Ok(map) => panic!("{query:?} parsed as {map:?}"),
            Err(err) => err,
        }
    }

    #[test]
    fn protocol_examples() {
        assert_eq!(
            qs("$limit=10&name[$in][0]=a&name[$in][1]=b"),
            json!({"$limit": "10", "name": {"$in": ["a", "b"]}})
        );
        assert_eq!(
            qs("$select[]=name&$select[]=age"),
            json!({"$select": ["name", "age"]})
        );
        assert_eq!(qs("name[$in]=a"), json!({"name": {"$in": "a"}}));
        assert_eq!(
            qs("a[]=1&a[]=2&x=1&x=2"),
            json!({"a": ["1", "2"], "x": ["1", "2"]})
        );
        assert_eq!(qs("nil="), json!({"nil": ""}));
        assert_eq!(
            qs("a[b][c][d][e][f][g]=1"),
            json!({"a": {"b": {"c": {"d": {"e": {"f": {"[g]": "1"}}}}}}})
        );
    }

    #[test]
    fn what_the_rest_client_sends() {
        assert_eq!(
            qs("%24limit=10&name%5B%24in%5D%5B0%5D=a&name%5B%24in%5D%5B1%5D=b&%24sort%5Bn%5D=-1&flag=true&nil="),
            json!({
                "$limit": "10",
                "name": {"$in": ["a", "b"]},
                "$sort": {"n": "-1"},
                "flag": "true",
                "nil": ""
            })
        );
        assert_eq!(qs("x=y"), json!({"x": "y"}));
        assert_eq!(qs("done=false"), json!({"done": "false"}));
        assert_eq!(qs("q=1"), json!({"q": "1"}));
    }

    #[test]
    fn long_in_lists_arrive_as_arrays_in_index_order() {
        // qs.stringify writes indices: 25 ids are ids[$in][0] .. ids[$in][24].
        let query: Vec<String> = (0..25)
            .map(|i| format!("ids%5B%24in%5D%5B{i}%5D={i}"))
            .collect();
        let expected: Vec<String> = (0..25).map(|i| i.to_string()).collect();
        assert_eq!(qs(&query.join("&")), json!({"ids": {"$in": expected}}));
        // Above the array limit as well, and out of order.
        let limits = QueryLimits {
            array_limit: 20,
            ..QueryLimits::default()
        };
        assert_eq!(
            qs_with("a[30]=x&a[2]=y&a[25]=z&a[0]=w", &limits),
            json!({"a": ["w", "y", "z", "x"]})
        );
        assert_eq!(qs_with("a[0]=x&a[30]=y", &limits), json!({"a": ["x", "y"]}));
    }

    #[test]
    fn indices_compact_and_order() {
        assert_eq!(qs("a[1]=c&a[0]=b"), json!({"a": ["b", "c"]}));
        assert_eq!(qs("a[1]=b&a[15]=c"), json!({"a": ["b", "c"]}));
        assert_eq!(qs("a[5]=x&a[2]=y"), json!({"a": ["y", "x"]}));
        assert_eq!(qs("a[]=&a[]=b"), json!({"a": ["", "b"]}));
        assert_eq!(qs("a[0]=b&a[1]=&a[2]=c"), json!({"a": ["b", "", "c"]}));
        assert_eq!(qs("a[100]=b"), json!({"a": ["b"]}));
        assert_eq!(qs("a[][b]=c"), json!({"a": [{"b": "c"}]}));
        assert_eq!(
            qs("a[1][b]=c&a[1][d]=e&a[0][b]=f"),
            json!({"a": [{"b": "f"}, {"b": "c", "d": "e"}]})
        );
        assert_eq!(qs("a[0]=x&a[0]=y"), json!({"a": [["x", "y"]]}));
    }

    #[test]
    fn huge_indices_cost_nothing() {
        assert_eq!(qs("$in[99999999]=1"), json!({"$in": ["1"]}));
        assert_eq!(
            qs("a[99999999999999999999999999]=x&a[4294967295]=y&a[7]=z"),
            json!({"a": ["z", "y", "x"]})
        );
        let limits = QueryLimits {
            array_limit: usize::MAX,
            ..QueryLimits::default()
        };
        assert_eq!(
            qs_with("a[4294967294]=x&a[]=y&a=z", &limits),
            // As in JavaScript: `a[]` fills the hole at index 0, `a` pushes at the end.
            json!({"a": ["y", "x", "z"]})
        );
    }

    #[test]
    fn indices_must_be_canonical() {
        assert_eq!(qs("a[01]=x"), json!({"a": {"01": "x"}}));
        assert_eq!(qs("a[-1]=x"), json!({"a": {"-1": "x"}}));
        assert_eq!(qs("a[%2B1]=x"), json!({"a": {"+1": "x"}}));
        assert_eq!(qs("a[1e3]=x"), json!({"a": {"1e3": "x"}}));
        // A top-level key is never an index, and the top level stays an object.
        assert_eq!(qs("0=a&1=b"), json!({"0": "a", "1": "b"}));
        assert_eq!(qs("[0]=a&[1]=b"), json!({"0": "a", "1": "b"}));
    }

    #[test]
    fn indices_mixed_with_names_give_an_object() {
        assert_eq!(qs("a[0]=b&a[b]=c"), json!({"a": {"0": "b", "b": "c"}}));
        assert_eq!(qs("a[b]=c&a[0]=b"), json!({"a": {"0": "b", "b": "c"}}));
        assert_eq!(qs("a[]=b&a[t]=u"), json!({"a": {"0": "b", "t": "u"}}));
    }

    #[test]
    fn values_and_arrays_combine() {
        assert_eq!(qs("a=b&a[]=c"), json!({"a": ["b", "c"]}));
        assert_eq!(qs("a[]=b&a=c"), json!({"a": ["b", "c"]}));
        assert_eq!(qs("a[1]=b&a=c"), json!({"a": ["b", "c"]}));
        assert_eq!(qs("x=1&x=2&x=3"), json!({"x": ["1", "2", "3"]}));
        assert_eq!(qs("a[b]=1&a[b]=2"), json!({"a": {"b": ["1", "2"]}}));
        // qs merges a value before nested keys into an array.
        assert_eq!(qs("a=1&a[b]=2"), json!({"a": ["1", {"b": "2"}]}));
        // An empty value merges into nothing.
        assert_eq!(qs("a[b]=1&a="), json!({"a": {"b": "1"}}));
    }

    #[test]
    fn a_value_after_nested_keys_is_a_400() {
        let err = qs_error("a[b]=1&a=2", &QueryLimits::default());
        assert_eq!(err.code(), 400);
        assert!(err.message().contains("'a'"), "{}", err.message());
        assert_eq!(
            qs_error("a[b][c]=1&a[b]=2", &QueryLimits::default()).code(),
            400
        );
    }

    #[test]
    fn decoding() {
        assert_eq!(qs("a+b=c+d"), json!({"a b": "c d"}));
        assert_eq!(qs("a=%2B%20%26%3D"), json!({"a": "+ &="}));
        assert_eq!(qs("a=%C3%A9t%C3%A9"), json!({"a": "été"}));
        assert_eq!(qs("caf%C3%A9=1"), json!({"café": "1"}));
        assert_eq!(qs("flag"), json!({"flag": ""}));
        assert_eq!(qs("a=b=c"), json!({"a": "b=c"}));
        assert_eq!(qs("a[b=c]=d"), json!({"a": {"b=c": "d"}}));
        assert_eq!(qs("a%5Bb%3Dc%5D=d"), json!({"a": {"b=c": "d"}}));
        assert_eq!(qs("a%5bb%5d=c"), json!({"a": {"b": "c"}}));
    }

    #[test]
    fn invalid_escapes_are_kept_as_written() {
        assert_eq!(qs("%=1"), json!({"%": "1"}));
        assert_eq!(qs("%ZZ=%ZZ"), json!({"%ZZ": "%ZZ"}));
        assert_eq!(qs("a=%"), json!({"a": "%"}));
        assert_eq!(qs("a=%4"), json!({"a": "%4"}));
        // One bad escape keeps the whole value as written, as decodeURIComponent throws.
        assert_eq!(qs("a=%41%ZZ+x"), json!({"a": "%41%ZZ x"}));
        // Not UTF-8: a truncated sequence, a lone continuation byte, an encoded surrogate.
        assert_eq!(qs("a=%E2%82"), json!({"a": "%E2%82"}));
        assert_eq!(qs("a=%80"), json!({"a": "%80"}));
        assert_eq!(qs("a=%ED%A0%80"), json!({"a": "%ED%A0%80"}));
        // Brackets are unescaped even when the rest does not decode.
        assert_eq!(qs("a%5Bb%5D%ZZ=1"), json!({"a": {"b": "1"}}));
    }

    #[test]
    fn odd_keys_do_not_break_anything() {
        assert_eq!(qs(""), json!({}));
        assert_eq!(qs("&&&"), json!({}));
        assert_eq!(qs("=1&=&a=1&&"), json!({"a": "1"}));
        assert_eq!(qs("[=1"), json!({"[": "1"}));
        assert_eq!(qs("]]=1"), json!({"]]": "1"}));
        assert_eq!(qs("a[=1"), json!({"a[": "1"}));
        assert_eq!(qs("a]=1"), json!({"a]": "1"}));
        assert_eq!(qs("[]=1"), json!({"0": "1"}));
        assert_eq!(qs("[a]=1"), json!({"a": "1"}));
        assert_eq!(qs("a[[b]]=1"), json!({"a[": {"b": "1"}}));
        assert_eq!(qs("a[b]c[d]=1"), json!({"a": {"b": {"d": "1"}}}));
        assert_eq!(qs("a[]]=1"), json!({"a": ["1"]}));
        assert_eq!(qs("a[__proto__]=1&b=2"), json!({"a": {}, "b": "2"}));
        assert_eq!(
            qs("constructor=1&toString=2"),
            json!({"constructor": "1", "toString": "2"})
        );
    }

    fn keys(value: &Value) -> Vec<&str> {
        value
            .as_object()
            .map(|map| map.keys().map(String::as_str).collect())
            .unwrap_or_default()
    }

    #[test]
    fn keys_keep_their_order() {
        let value = qs("%24sort%5Bname%5D=1&%24sort%5Bage%5D=-1&%24sort%5Bcity%5D=1");
        assert_eq!(keys(&value["$sort"]), ["name", "age", "city"]);
        assert_eq!(keys(&qs("b=1&a=2&c=3")), ["b", "a", "c"]);
    }

    #[test]
    fn objects_list_integer_keys_first() {
        // As JavaScript lists an object's keys.
        assert_eq!(keys(&qs("b=1&[5]=x&a=2&[0]=y")), ["0", "5", "b", "a"]);
        assert_eq!(keys(&qs("a[b]=c&a[0]=d")["a"]), ["0", "b"]);
        // JavaScript lists `0` before `[0]`, so `0`'s value comes first.
        assert_eq!(qs("[0]=a&0=b"), json!({"0": ["b", "a"]}));
    }

    #[test]
    fn depth_limit() {
        let depth_one = QueryLimits {
            depth: 1,
            ..QueryLimits::default()
        };
        assert_eq!(
            qs_with("a[b][c][d]=j", &depth_one),
            json!({"a": {"b": {"[c][d]": "j"}}})
        );
        let depth_zero = QueryLimits {
            depth: 0,
            ..QueryLimits::default()
        };
        assert_eq!(qs_with("a[b]=1", &depth_zero), json!({"a[b]": "1"}));
        assert_eq!(
            qs("a[b][c][d][e][f][g][h][i]=j"),
            json!({"a": {"b": {"c": {"d": {"e": {"f": {"[g][h][i]": "j"}}}}}}})
        );
    }

    #[test]
    fn deep_nesting_is_cut_and_cheap() {
        let key = format!("a{}", "[x]".repeat(50_000));
        let value = qs(&format!("{key}=1"));
        let mut node = &value["a"];
        for _ in 0..5 {
            node = &node["x"];
        }
        let rest = node
            .as_object()
            .map(|map| map.keys().cloned().collect::<Vec<_>>());
        assert_eq!(rest, Some(vec!["[x]".repeat(50_000 - 5)]));
        // A configured depth above the cap is capped.
        let deep = QueryLimits {
            depth: usize::MAX,
            ..QueryLimits::default()
        };
        let value = qs_with(&format!("{key}=1"), &deep);
        let mut node = &value["a"];
        for _ in 0..MAX_DEPTH {
            node = &node["x"];
        }
        assert!(node.is_object());
        // Unclosed brackets everywhere.
        let unclosed = format!("{}=1", "[".repeat(100_000));
        assert_eq!(qs(&unclosed).as_object().map(Map::len), Some(1));
    }

    #[test]
    fn parameter_limit() {
        let thousand: Vec<String> = (0..1000).map(|i| format!("k{i}={i}")).collect();
        assert_eq!(
            qs(&thousand.join("&")).as_object().map(Map::len),
            Some(1000)
        );
        let many: Vec<String> = (0..10_000).map(|i| format!("k{i}={i}")).collect();
        let err = qs_error(&many.join("&"), &QueryLimits::default());
        assert_eq!(err.code(), 400);
        assert_eq!(
            err.message(),
            "The query string has more than 1000 parameters"
        );
        // Empty parameters do not count.
        let sparse = format!("a=1{}b=2", "&".repeat(5000));
        assert_eq!(qs(&sparse), json!({"a": "1", "b": "2"}));
        let two = QueryLimits {
            parameter_limit: 2,
            ..QueryLimits::default()
        };
        assert_eq!(qs_error("a=1&b=2&c=3", &two).code(), 400);
        assert_eq!(qs_with("a=1&b=2", &two), json!({"a": "1", "b": "2"}));
    }

    #[test]
    fn many_repeats_of_one_key() {
        let repeated = vec!["x[]=1"; 1000].join("&");
        assert_eq!(qs(&repeated)["x"].as_array().map(Vec::len), Some(1000));
        let indexed: Vec<String> = (0..1000).rev().map(|i| format!("x[{i}]={i}")).collect();
        let value = qs(&indexed.join("&"));
        let items = value["x"].as_array().cloned().unwrap_or_default();
        assert_eq!(items.len(), 1000);
        assert_eq!(items.first(), Some(&json!("0")));
        assert_eq!(items.last(), Some(&json!("999")));
    }

    #[test]
    fn default_limits_are_qs_defaults_with_a_shallower_depth() {
        assert_eq!(QueryLimits::default().depth, 5);
        assert_eq!(QueryLimits::default().parameter_limit, 1000);
        assert_eq!(QueryLimits::default().array_limit, 100);
    }
}
