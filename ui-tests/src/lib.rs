//! Nothing here: the cases live in `tests/`.
