//! The process' open-file limit, which bounds how many connections it can hold.

/// Raises the soft open-file limit to the hard one (as the Go runtime does for every
/// server) and returns the soft limit in force afterwards. Where the limit cannot be
/// read, a conservative 1,024.
pub(crate) fn raise_to_hard_limit() -> u64 {
    imp::raise_to_hard_limit()
}

#[cfg(unix)]
mod imp {
    use nix::sys::resource::{getrlimit, setrlimit, Resource};

    const FALLBACK: u64 = 1024;

    pub(super) fn raise_to_hard_limit() -> u64 {
        let Ok((soft, hard)) = getrlimit(Resource::RLIMIT_NOFILE) else {
            return FALLBACK;
        };
        if soft >= hard {
            return soft;
        }
        match setrlimit(Resource::RLIMIT_NOFILE, hard, hard) {
            Ok(()) => {
                tracing::debug!(from = soft, to = hard, "raised the open-file limit");
                hard
            }
            Err(err) => {
                tracing::debug!(%err, soft, hard, "could not raise the open-file limit");
                soft
            }
        }
    }
}

#[cfg(not(unix))]
mod imp {
    pub(super) fn raise_to_hard_limit() -> u64 {
        // Windows has no per-process socket limit of this kind.
        u64::from(u32::MAX)
    }
}
