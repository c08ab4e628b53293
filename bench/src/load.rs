//! Closed-loop load: a set of clients, each with one call in flight, during a warm-up
//! and then a measured window; the calls completed in the window give the rate and
//! the latency percentiles, and /proc gives the server's and the generator's CPU use
//! over the same window (to show which side was the bottleneck).

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::histogram::Histogram;
use crate::proc_stats::{machine_busy_time, CpuWindow};

/// How long to warm up, then how long to measure.
#[derive(Clone, Copy, Debug)]
pub struct Phases {
    pub warmup: Duration,
    pub measure: Duration,
}

/// The time line of one scenario.
#[derive(Clone, Copy, Debug)]
pub struct Window {
    pub measure_from: Instant,
    pub until: Instant,
}

impl Window {
    pub fn starting_now(phases: Phases) -> Window {
        let measure_from = Instant::now() + phases.warmup;
        Window {
            measure_from,
            until: measure_from + phases.measure,
        }
    }

    pub fn measuring(&self, at: Instant) -> bool {
        at >= self.measure_from && at < self.until
    }

    pub fn is_over(&self) -> bool {
        Instant::now() >= self.until
    }
}

/// What the clients of a scenario record.
#[derive(Debug, Default)]
pub struct Tally {
    pub latency: Histogram,
    completed: AtomicU64,
    errors: AtomicU64,
}

impl Tally {
    /// A call that started at `started` has finished now.
    pub fn finished(&self, window: &Window, started: Instant, ok: bool) {
        let now = Instant::now();
        if !window.measuring(now) {
            return;
        }
        if ok {
            self.completed.fetch_add(1, Ordering::Relaxed);
            self.latency.record(now - started);
        } else {
            self.errors.fetch_add(1, Ordering::Relaxed);
        }
    }

    pub fn error(&self) {
        self.errors.fetch_add(1, Ordering::Relaxed);
    }
}

/// The outcome of one measured window.
#[derive(Clone, Copy, Debug, Default)]
pub struct Measured {
    /// Calls (or deliveries) completed in the window.
    pub count: u64,
    pub errors: u64,
    pub seconds: f64,
    pub p50: Duration,
    pub p99: Duration,
    /// Share of one core the server used in the window.
    pub server_cpu: f64,
    /// Share of one core this generator used in the window.
    pub generator_cpu: f64,
    /// Cores' worth of CPU every other process of the machine used in the window
    /// (compilers, other benchmarks): noise when it is not near zero.
    pub other_cpu: f64,
}

impl Measured {
    pub fn rate(&self) -> f64 {
        if self.seconds > 0.0 {
            self.count as f64 / self.seconds
        } else {
            0.0
        }
    }
}

/// CPU use of the server and of this generator over the measured window.
#[derive(Clone, Copy, Debug, Default)]
pub struct CpuShares {
    pub server: f64,
    pub generator: f64,
    pub others: f64,
}

/// Waits for the measured window to start, then for it to end, and says how busy the
/// server and this generator were in between.
pub async fn watch_window(window: &Window, server_pid: u32) -> CpuShares {
    tokio::time::sleep_until(window.measure_from.into()).await;
    let server = CpuWindow::start(server_pid);
    let generator = CpuWindow::start(std::process::id());
    let started = std::time::Instant::now();
    let machine = machine_busy_time();
    tokio::time::sleep_until(window.until.into()).await;
    let (server, generator) = (server.share(), generator.share());
    let machine =
        machine_busy_time().saturating_sub(machine).as_secs_f64() / started.elapsed().as_secs_f64();
    CpuShares {
        server,
        generator,
        others: (machine - server - generator).max(0.0),
    }
}

/// Runs one task per client until the window ends; a task still busy a second after
/// that is aborted. `client` is given its connection, the window and the tally.
pub async fn run_clients<C, F, Fut>(
    phases: Phases,
    server_pid: u32,
    clients: Vec<C>,
    client: F,
) -> Measured
where
    C: Send + 'static,
    F: Fn(C, Window, Arc<Tally>) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let window = Window::starting_now(phases);
    let tally = Arc::new(Tally::default());
    let tasks: Vec<_> = clients
        .into_iter()
        .map(|connection| tokio::spawn(client(connection, window, tally.clone())))
        .collect();
    let cpu = watch_window(&window, server_pid).await;
    finish_within(tasks, Duration::from_secs(1)).await;
    Measured {
        count: tally.completed.load(Ordering::Relaxed),
        errors: tally.errors.load(Ordering::Relaxed),
        seconds: phases.measure.as_secs_f64(),
        p50: tally.latency.quantile(0.50),
        p99: tally.latency.quantile(0.99),
        server_cpu: cpu.server,
        generator_cpu: cpu.generator,
        other_cpu: cpu.others,
    }
}

/// Waits up to `grace` for the tasks, then aborts those still running.
pub async fn finish_within(tasks: Vec<tokio::task::JoinHandle<()>>, grace: Duration) {
    let deadline = tokio::time::Instant::now() + grace;
    for task in tasks {
        let abort = task.abort_handle();
        if tokio::time::timeout_at(deadline, task).await.is_err() {
            abort.abort();
        }
    }
}
