//! knex's pattern operators `$like`, `$notlike` and `$ilike`: SQL `LIKE` patterns, where
//! `%` stands for any run of characters, `_` for one character and a backslash makes
//! the next character literal. Only strings match a pattern.

/// Which pattern operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LikeKind {
    /// `$like`: the value matches the pattern, letter case counting.
    Like,
    /// `$notlike`: the value is a string that does not match the pattern.
    NotLike,
    /// `$ilike`: the value matches the pattern, letter case ignored.
    ILike,
}

impl LikeKind {
    /// The operator for a query key, if it is one of the three.
    pub fn from_key(key: &str) -> Option<LikeKind> {
        match key {
            "$like" => Some(LikeKind::Like),
            "$notlike" => Some(LikeKind::NotLike),
            "$ilike" => Some(LikeKind::ILike),
            _ => None,
        }
    }

    /// The query key (`"$like"`, ...).
    pub fn key(self) -> &'static str {
        match self {
            LikeKind::Like => "$like",
            LikeKind::NotLike => "$notlike",
            LikeKind::ILike => "$ilike",
        }
    }
}

/// A pattern operator with its pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Like {
    /// Which operator.
    pub kind: LikeKind,
    /// The pattern as given.
    pub pattern: String,
}

impl Like {
    /// Whether a stored string passes the operator.
    pub fn passes(&self, text: &str) -> bool {
        let fold = |s: &str| -> Vec<char> {
            if self.kind == LikeKind::ILike {
                s.chars().flat_map(char::to_lowercase).collect()
            } else {
                s.chars().collect()
            }
        };
        let matched = like_matches(&fold(&self.pattern), &fold(text));
        match self.kind {
            LikeKind::NotLike => !matched,
            LikeKind::Like | LikeKind::ILike => matched,
        }
    }
}

/// One element of a parsed pattern.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Token {
    Any,
    One,
    Char(char),
}

fn tokens(pattern: &[char]) -> Vec<Token> {
    let mut out = Vec::with_capacity(pattern.len());
    let mut chars = pattern.iter();
    while let Some(c) = chars.next() {
        out.push(match c {
            '%' => Token::Any,
            '_' => Token::One,
            '\\' => Token::Char(chars.next().copied().unwrap_or('\\')),
            other => Token::Char(*other),
        });
    }
    out
}

/// Pattern matching without recursion: the classic two-pointer wildcard walk, which
/// backtracks only to the last `%`.
fn like_matches(pattern: &[char], text: &[char]) -> bool {
    let pattern = tokens(pattern);
    let (mut p, mut t) = (0, 0);
    let mut resume: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some(Token::Any) => {
                resume = Some((p, t));
                p += 1;
            }
            Some(Token::One) => {
                p += 1;
                t += 1;
            }
            Some(Token::Char(c)) if *c == text[t] => {
                p += 1;
                t += 1;
            }
            _ => match resume {
                Some((star, from)) => {
                    p = star + 1;
                    t = from + 1;
                    resume = Some((star, from + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|token| *token == Token::Any)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn like(kind: LikeKind, pattern: &str, text: &str) -> bool {
        Like {
            kind,
            pattern: pattern.to_owned(),
        }
        .passes(text)
    }

    #[test]
    fn percent_underscore_and_escapes() {
        assert!(like(LikeKind::Like, "Al%", "Alice"));
        assert!(!like(LikeKind::Like, "al%", "Alice"));
        assert!(like(LikeKind::ILike, "al%", "Alice"));
        assert!(like(LikeKind::Like, "%li_e", "Alice"));
        assert!(!like(LikeKind::Like, "%li_e", "Alie"));
        assert!(like(LikeKind::Like, "100\\%", "100%"));
        assert!(!like(LikeKind::Like, "100\\%", "1000"));
        assert!(like(LikeKind::Like, "%a%b%", "xxaxxbxx"));
        assert!(!like(LikeKind::Like, "%a%b%", "xxbxxaxx"));
        assert!(like(LikeKind::Like, "", ""));
        assert!(!like(LikeKind::Like, "", "a"));
        assert!(like(LikeKind::NotLike, "B%", "Alice"));
        assert!(!like(LikeKind::NotLike, "A%", "Alice"));
    }

    #[test]
    fn the_matcher_reads_the_pattern_operators() -> crate::Result<()> {
        use crate::{Matcher, Typing};
        use serde_json::json;
        let people = [
            json!({"name": "Bob"}),
            json!({"name": "bill"}),
            json!({"age": 3}),
        ];
        let names = |query: serde_json::Value| -> crate::Result<Vec<usize>> {
            let map = query.as_object().cloned().unwrap_or_default();
            let matcher = Matcher::new(&map, Typing::QueryString)?;
            Ok((0..people.len())
                .filter(|i| matcher.matches(&people[*i]))
                .collect())
        };
        assert_eq!(names(json!({"name": {"$like": "B%"}}))?, [0]);
        assert_eq!(names(json!({"name": {"$ilike": "b%"}}))?, [0, 1]);
        assert_eq!(names(json!({"name": {"$notlike": "B%"}}))?, [1]);
        let err = names(json!({"name": {"$like": 1}})).err();
        assert_eq!(
            err.map(|e| e.message().to_owned()),
            Some("The value of $like must be a string".to_owned())
        );
        Ok(())
    }
}
