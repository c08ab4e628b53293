//! Fixtures shared by the interop tests.
