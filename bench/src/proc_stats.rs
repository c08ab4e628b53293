//! What /proc says about a process: resident memory and CPU time.

use std::time::Duration;

/// Resident memory of a process, in bytes (0 when it cannot be read).
pub fn rss_of(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|kb| kb.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

/// User plus system CPU time a process has used, all its threads together (zero when
/// it cannot be read).
pub fn cpu_time_of(pid: u32) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // The command name (field 2) may hold spaces; the fields after it follow its ')'.
    let Some((_, after_name)) = stat.rsplit_once(')') else {
        return Duration::ZERO;
    };
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the line: 11 and 12 counting from 0
    // after the name, whose first field is the state (field 3).
    let ticks = |index: usize| {
        fields
            .get(index)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // /proc counts in USER_HZ, which is 100 on every Linux the kernel ABI allows.
    Duration::from_millis((ticks(11) + ticks(12)) * 10)
}

/// CPU time of this process.
pub fn own_cpu_time() -> Duration {
    cpu_time_of(std::process::id())
}

/// A process's CPU use over a window, as a share of one core.
#[derive(Clone, Copy, Debug)]
pub struct CpuWindow {
    pid: u32,
    start_cpu: Duration,
    start: std::time::Instant,
}

impl CpuWindow {
    pub fn start(pid: u32) -> CpuWindow {
        CpuWindow {
            pid,
            start_cpu: cpu_time_of(pid),
            start: std::time::Instant::now(),
        }
    }

    /// The share of one core used since `start` (1.0 = one core busy all the time).
    pub fn share(&self) -> f64 {
        let wall = self.start.elapsed().as_secs_f64();
        let used = cpu_time_of(self.pid)
            .saturating_sub(self.start_cpu)
            .as_secs_f64();
        if wall > 0.0 {
            used / wall
        } else {
            0.0
        }
    }
}

/// CPU time every process of the machine has used (from the first line of
/// /proc/stat: user, nice, system, irq, softirq and steal).
pub fn machine_busy_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let Some(line) = stat.lines().next() else {
        return Duration::ZERO;
    };
    let fields: Vec<u64> = line
        .split_whitespace()
        .skip(1)
        .map(|field| field.parse().unwrap_or(0))
        .collect();
    let busy: u64 = [0, 1, 2, 5, 6, 7]
        .iter()
        .filter_map(|&index| fields.get(index))
        .sum();
    Duration::from_millis(busy * 10)
}
