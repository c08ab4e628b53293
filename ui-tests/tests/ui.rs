//! The macros' compile-time contract: each `fail/*.rs` is one misuse and must fail with
//! exactly its checked-in `.stderr`; each `pass/*.rs` must build and its `main` must
//! run without panicking. Regenerate the `.stderr` files with `TRYBUILD=overwrite`,
//! then read every one of them.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/fail/*.rs");
    cases.pass("tests/pass/*.rs");
}
