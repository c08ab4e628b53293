//! Nothing here: the cases live in `tests/`.
#![warn(missing_docs, unreachable_pub)]
