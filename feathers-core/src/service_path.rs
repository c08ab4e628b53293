//! Service paths: checked, normalised and split into segments, some of them
//! `:placeholders`.

use feathers_rules::PathSegment;

use crate::error::{Error, Result};

/// A segment of a service path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Segment {
    Static(String),
    Param(String),
}

/// Checks a service path and splits it into segments. Outer slashes are dropped, as
/// Feathers does; the empty path is the root service `/`.
pub(crate) fn parse_path(path: &str) -> Result<(String, Vec<Segment>)> {
    let parsed = feathers_rules::parse_service_path(path)
        .map_err(|why| Error::general(format!("Invalid service path '{path}': {why}")))?;
    let segments = parsed
        .segments
        .iter()
        .map(|segment| match segment {
            PathSegment::Static(name) => Segment::Static((*name).to_owned()),
            PathSegment::Placeholder(name) => Segment::Param((*name).to_owned()),
        })
        .collect();
    Ok((parsed.normalised.to_owned(), segments))
}

/// Percent-decodes a path segment (Feathers does not; its clients encode ids).
pub(crate) fn decode(segment: &str) -> String {
    percent_encoding::percent_decode_str(segment)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_normalised_and_checked() {
        assert_eq!(
            parse_path("/messages/").map(|p| p.0).ok(),
            Some("messages".into())
        );
        assert_eq!(parse_path("").map(|p| p.0).ok(), Some("/".into()));
        let (_, segments) = parse_path("users/:userId/messages").unwrap_or_default();
        assert_eq!(segments[1], Segment::Param("userId".into()));
        for bad in ["a//b", "a b", "a/:", "a/:x-y", "a?b", "a/:2x"] {
            assert!(parse_path(bad).is_err(), "{bad}");
        }
    }
}
