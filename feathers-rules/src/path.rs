//! Service paths: `"messages"`, `"api/v1/users"`, `"users/:user_id/messages"`.
//!
//! Outer slashes are dropped, as Feathers does, and the empty path is the root service
//! `/`. A segment is a plain name, or `:` followed by a placeholder name whose value a
//! request path fills in (`params.route`).

use std::fmt;

/// One segment of a service path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathSegment<'a> {
    /// A segment that must match exactly (`messages`).
    Static(&'a str),
    /// A placeholder (`:user_id`), by its name without the colon.
    Placeholder(&'a str),
}

/// A checked service path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServicePath<'a> {
    /// The path without outer slashes; `/` for the root service.
    pub normalised: &'a str,
    /// Its segments, empty for the root service.
    pub segments: Vec<PathSegment<'a>>,
}

/// What is wrong with a service path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathError {
    /// Two slashes in a row (`a//b`).
    EmptySegment,
    /// Whitespace, or a character with a meaning in URLs (`?`, `#`, `%`).
    ForbiddenCharacter(char),
    /// A `:` not followed by a name made of ASCII letters, digits and `_` that does not
    /// start with a digit.
    BadPlaceholder(String),
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PathError::EmptySegment => f.write_str("it has an empty segment"),
            PathError::ForbiddenCharacter(c) if c.is_whitespace() => {
                f.write_str("a path may not contain whitespace")
            }
            PathError::ForbiddenCharacter(c) => write!(f, "a path may not contain `{c}`"),
            PathError::BadPlaceholder(segment) => write!(
                f,
                "`{segment}` is not a placeholder; write `:` followed by a name such as `:user_id`"
            ),
        }
    }
}

impl std::error::Error for PathError {}

/// Checks a service path and splits it into segments.
pub fn parse_service_path(path: &str) -> Result<ServicePath<'_>, PathError> {
    let trimmed = path.trim_matches('/');
    if trimmed.is_empty() {
        return Ok(ServicePath {
            normalised: "/",
            segments: Vec::new(),
        });
    }
    let mut segments = Vec::new();
    for segment in trimmed.split('/') {
        if segment.is_empty() {
            return Err(PathError::EmptySegment);
        }
        if let Some(bad) = segment
            .chars()
            .find(|c| c.is_whitespace() || matches!(c, '?' | '#' | '%'))
        {
            return Err(PathError::ForbiddenCharacter(bad));
        }
        match segment.strip_prefix(':') {
            Some(name) if is_placeholder_name(name) => {
                segments.push(PathSegment::Placeholder(name));
            }
            Some(_) => return Err(PathError::BadPlaceholder(segment.to_owned())),
            None => segments.push(PathSegment::Static(segment)),
        }
    }
    Ok(ServicePath {
        normalised: trimmed,
        segments,
    })
}

/// A placeholder name: an ASCII identifier (`user_id`, `id2`, not `2x`).
fn is_placeholder_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_nested_placeholder_and_root_paths_are_accepted() {
        for path in [
            "messages",
            "/messages/",
            "api/v1/users",
            "users/:user_id/messages",
        ] {
            assert!(parse_service_path(path).is_ok(), "{path}");
        }
        assert_eq!(parse_service_path("/").map(|p| p.normalised), Ok("/"));
        assert_eq!(parse_service_path("").map(|p| p.normalised), Ok("/"));
        assert_eq!(
            parse_service_path("/users/:id/").map(|p| p.segments),
            Ok(vec![
                PathSegment::Static("users"),
                PathSegment::Placeholder("id")
            ])
        );
    }

    #[test]
    fn empty_segments_and_url_syntax_are_refused() {
        assert_eq!(parse_service_path("a//b"), Err(PathError::EmptySegment));
        for (bad, c) in [
            ("my messages", ' '),
            ("a\tb", '\t'),
            ("a?b", '?'),
            ("a#b", '#'),
            ("a%20", '%'),
        ] {
            assert_eq!(
                parse_service_path(bad),
                Err(PathError::ForbiddenCharacter(c)),
                "{bad}"
            );
        }
        let whitespace = PathError::ForbiddenCharacter(' ').to_string();
        assert!(whitespace.contains("whitespace"), "{whitespace}");
    }

    #[test]
    fn placeholders_need_an_identifier_name() {
        for bad in [
            "users/:",
            "users/:1st",
            "users/:2x",
            "users/:a-b",
            "users/::x",
        ] {
            let err = parse_service_path(bad).expect_err("a bad placeholder");
            assert!(
                err.to_string().contains("not a placeholder"),
                "{bad}: {err}"
            );
        }
    }
}
