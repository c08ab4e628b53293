//! The service path literal: `"messages"`, `"users/:user_id/messages"`.
//!
//! The same rules as the runtime's registry, checked at compile time so a typo is an
//! error at the literal rather than at startup.

/// Checks a service path; the error says what is wrong with it.
pub(crate) fn check(path: &str) -> Result<(), String> {
    let trimmed = path.trim_matches('/');
    if trimmed.is_empty() {
        // The root service, `app.use('/', ..)` in Feathers.
        return Ok(());
    }
    for segment in trimmed.split('/') {
        if segment.is_empty() {
            return Err(format!(
                "invalid service path `{path}`: it has an empty segment"
            ));
        }
        if let Some(bad) = segment
            .chars()
            .find(|c| c.is_whitespace() || matches!(c, '?' | '#' | '%'))
        {
            let shown = if bad.is_whitespace() {
                "whitespace".to_owned()
            } else {
                format!("`{bad}`")
            };
            return Err(format!(
                "invalid service path `{path}`: a path may not contain {shown}"
            ));
        }
        if let Some(name) = segment.strip_prefix(':') {
            if !is_placeholder_name(name) {
                return Err(format!(
                    "invalid service path `{path}`: `{segment}` is not a placeholder; \
                     write `:` followed by a name such as `:user_id`"
                ));
            }
        }
    }
    Ok(())
}

/// A placeholder name: an ASCII identifier (`user_id`, `id2`).
fn is_placeholder_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn accepts_plain_nested_placeholder_and_root_paths() {
        for path in [
            "messages",
            "/messages/",
            "api/v1/users",
            "users/:user_id/messages",
            "",
            "/",
        ] {
            assert_eq!(check(path), Ok(()), "{path}");
        }
    }

    #[test]
    fn rejects_empty_segments() {
        let err = check("a//b").expect_err("an error");
        assert!(err.contains("empty segment"), "{err}");
    }

    #[test]
    fn rejects_whitespace_and_url_syntax() {
        assert!(check("my messages")
            .expect_err("an error")
            .contains("whitespace"));
        assert!(check("messages\t")
            .expect_err("an error")
            .contains("whitespace"));
        for bad in ["messages?x", "a#b", "a%20b"] {
            assert!(check(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn rejects_placeholders_without_a_name() {
        for bad in ["users/:", "users/:1st", "users/:a-b", "users/::x"] {
            let err = check(bad).expect_err("an error");
            assert!(err.contains("not a placeholder"), "{bad}: {err}");
        }
    }
}
