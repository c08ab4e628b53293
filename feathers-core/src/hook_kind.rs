//! `HookKind`: which kind of hook is running.

/// Which kind of hook is running (`context.type` in Feathers).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HookKind {
    /// Around the rest of the chain.
    Around,
    /// Before the method.
    Before,
    /// After the method succeeded.
    After,
    /// After something failed.
    Error,
}

impl HookKind {
    /// The name Feathers uses: `around`, `before`, `after`, `error`.
    pub fn as_str(self) -> &'static str {
        match self {
            HookKind::Around => "around",
            HookKind::Before => "before",
            HookKind::After => "after",
            HookKind::Error => "error",
        }
    }
}
