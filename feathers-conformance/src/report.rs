//! What a run found.

/// What one run of a file found: the runs made and the failures, one line each.
#[derive(Debug, Default)]
pub struct Report {
    /// How many case runs were made.
    pub runs: usize,
    /// One line for each failed run.
    pub failures: Vec<String>,
}

impl Report {
    /// Panics listing every failure, if there is any.
    pub fn assert_passed(&self) {
        assert!(self.runs > 0, "no case ran");
        assert!(
            self.failures.is_empty(),
            "{} of {} conformance runs failed:\n{}",
            self.failures.len(),
            self.runs,
            self.failures.join("\n")
        );
    }
}
