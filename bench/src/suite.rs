//! The scenarios of `bench/run.sh` against one server, in order: cold start; REST
//! (seed, get, find, create) and Socket.io `get` calls on one process; then, on a
//! fresh one, idle memory per connection and fan-out from the largest crowd down to
//! the smallest.

use std::time::Duration;

use crate::fanout::{self, Crowd};
use crate::load::{Measured, Phases};
use crate::rest;
use crate::server::{Launch, ServerProcess};
use crate::socket_calls;

/// How long and how large each scenario is.
#[derive(Clone, Debug)]
pub struct Settings {
    pub cold_starts: usize,
    pub rest: Phases,
    pub calls: Phases,
    pub idle_clients: usize,
    /// Crowd sizes for fan-out, largest first (the crowd shrinks between runs).
    pub fanout_clients: Vec<usize>,
    pub fanout: Phases,
}

impl Settings {
    /// The full run (under two minutes a server on two cores).
    pub fn full() -> Settings {
        Settings {
            cold_starts: 5,
            rest: Phases {
                warmup: Duration::from_secs(2),
                measure: Duration::from_secs(8),
            },
            calls: Phases {
                warmup: Duration::from_secs(2),
                measure: Duration::from_secs(8),
            },
            idle_clients: 10_000,
            fanout_clients: vec![10_000, 5_000, 2_000, 1_000],
            fanout: Phases {
                warmup: Duration::from_secs(1),
                measure: Duration::from_secs(5),
            },
        }
    }

    /// A few seconds of each scenario, to check that everything works.
    pub fn smoke() -> Settings {
        let brief = Phases {
            warmup: Duration::from_millis(300),
            measure: Duration::from_secs(1),
        };
        Settings {
            cold_starts: 1,
            rest: brief,
            calls: brief,
            idle_clients: 1_000,
            fanout_clients: vec![1_000, 100],
            fanout: brief,
        }
    }
}

/// Everything measured on one server.
#[derive(Clone, Debug, Default)]
pub struct ServerReport {
    pub name: String,
    /// Median time from spawning the process to its first answered request.
    pub cold_start: Duration,
    pub rest_get: Measured,
    pub rest_find: Measured,
    pub rest_create: Measured,
    pub socket_get: Measured,
    pub idle_clients: usize,
    pub idle_rss_before: u64,
    pub idle_rss_after: u64,
    /// One per crowd size, in the order run.
    pub fanout: Vec<FanoutPoint>,
}

/// Fan-out to one crowd size: saturated (throughput) and one event at a time (latency).
#[derive(Clone, Copy, Debug, Default)]
pub struct FanoutPoint {
    pub clients: usize,
    /// With [`fanout::SATURATING`] events in flight.
    pub saturated: Measured,
    /// With one event in flight.
    pub single: Measured,
}

impl ServerReport {
    /// Server memory per idle Socket.io client, in bytes.
    pub fn idle_per_client(&self) -> f64 {
        if self.idle_clients == 0 {
            return 0.0;
        }
        self.idle_rss_after.saturating_sub(self.idle_rss_before) as f64 / self.idle_clients as f64
    }

    pub fn fanout_at(&self, clients: usize) -> Option<&FanoutPoint> {
        self.fanout.iter().find(|point| point.clients == clients)
    }
}

/// What to run against a server (cold start in every case).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Every scenario.
    Everything,
    /// REST get, find and create (the bare axum peer).
    Rest,
    /// Socket.io get calls, idle memory and fan-out (the socketioxide peer).
    Realtime,
}

impl Scope {
    fn rest(self) -> bool {
        self != Scope::Realtime
    }

    fn realtime(self) -> bool {
        self != Scope::Rest
    }
}

fn progress(name: &str, what: &str, measured: &Measured, unit: &str) {
    eprintln!(
        "  {name:<12} {what:<22} {:>10.0} {unit}  p50 {:>9}  p99 {:>9}  errors {}  server cpu {:>3.0}%  generator cpu {:>3.0}%",
        measured.rate(),
        crate::report::duration(measured.p50),
        crate::report::duration(measured.p99),
        measured.errors,
        measured.server_cpu * 100.0,
        measured.generator_cpu * 100.0,
    );
}

/// Measures cold start `times` times and returns the median.
pub async fn cold_start(launch: &Launch, times: usize) -> Duration {
    let mut starts = Vec::with_capacity(times);
    for _ in 0..times.max(1) {
        let server = ServerProcess::launch(launch).await;
        starts.push(server.ready_after);
        server.stop().await;
    }
    starts.sort();
    starts[starts.len() / 2]
}

/// Runs the scenarios of `scope` against a server started from `launch`.
pub async fn measure(
    name: &str,
    launch: &Launch,
    settings: &Settings,
    scope: Scope,
) -> ServerReport {
    let mut report = ServerReport {
        name: name.to_owned(),
        ..ServerReport::default()
    };
    report.cold_start = cold_start(launch, settings.cold_starts).await;
    eprintln!(
        "  {name:<12} cold start             {}",
        crate::report::duration(report.cold_start)
    );

    let server = ServerProcess::launch(launch).await;
    let (port, pid) = (server.port, server.pid());
    let ids = rest::seed(port).await;

    if scope.rest() {
        report.rest_get = rest::run(port, pid, settings.rest, rest::get_requests(&ids)).await;
        progress(name, "REST get", &report.rest_get, "req/s");
        report.rest_find = rest::run(port, pid, settings.rest, rest::find_requests()).await;
        progress(name, "REST find", &report.rest_find, "req/s");
        report.rest_create = rest::run(port, pid, settings.rest, rest::create_requests()).await;
        progress(name, "REST create", &report.rest_create, "req/s");
    }
    if !scope.realtime() {
        server.stop().await;
        return report;
    }

    report.socket_get = socket_calls::run(port, pid, settings.calls, &ids).await;
    progress(name, "Socket.io get", &report.socket_get, "calls/s");

    server.stop().await;

    // Idle memory and fan-out on a fresh process, so that neither the records of the
    // create scenario nor the buffers of the load scenarios count. One client first,
    // so that lazily built state is not counted per client.
    let server = ServerProcess::launch(launch).await;
    let (port, pid) = (server.port, server.pid());
    let warm = Crowd::connect(port, 1).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    report.idle_rss_before = server.rss();
    let mut crowd = Crowd::connect(port, settings.idle_clients).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    report.idle_rss_after = server.rss();
    report.idle_clients = settings.idle_clients;
    drop(warm);
    eprintln!(
        "  {name:<12} idle memory            {:.2} KB per client ({} clients, RSS {:.1} -> {:.1} MiB)",
        report.idle_per_client() / 1024.0,
        report.idle_clients,
        report.idle_rss_before as f64 / 1048576.0,
        report.idle_rss_after as f64 / 1048576.0,
    );

    for &clients in &settings.fanout_clients {
        if clients > crowd.len() {
            eprintln!(
                "  {name:<12} fan-out to {clients} skipped: only {} clients connected",
                crowd.len()
            );
            continue;
        }
        crowd.shrink_to(clients);
        // Let the server see the disconnects before measuring.
        tokio::time::sleep(Duration::from_millis(500)).await;
        let saturated = fanout::run(port, pid, settings.fanout, &crowd, fanout::SATURATING).await;
        let what = format!("fan-out to {clients}, {} in flight", fanout::SATURATING);
        progress(name, &what, &saturated, "events/s");
        let single = fanout::run(port, pid, settings.fanout, &crowd, 1).await;
        progress(
            name,
            &format!("fan-out to {clients}, 1 in flight"),
            &single,
            "events/s",
        );
        report.fanout.push(FanoutPoint {
            clients,
            saturated,
            single,
        });
    }
    drop(crowd);
    server.stop().await;
    report
}
