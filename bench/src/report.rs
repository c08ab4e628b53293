//! The results table of `bench/run.sh`: feathers-rs's figures beside FeathersJS 5's,
//! then beside its Rust peers' (bare axum for REST, socketioxide for Socket.io), with
//! their ratio (feathers-rs ÷ the other figure in every row) and the target.

use std::fmt::Write as _;
use std::time::Duration;

use crate::load::Measured;
use crate::suite::ServerReport;

/// A duration as people read it: µs below a millisecond, ms below a second.
pub fn duration(duration: Duration) -> String {
    let seconds = duration.as_secs_f64();
    if seconds < 1e-3 {
        format!("{:.0} µs", seconds * 1e6)
    } else if seconds < 1.0 {
        format!("{:.2} ms", seconds * 1e3)
    } else {
        format!("{seconds:.2} s")
    }
}

/// A count with thousands separators.
pub fn count(value: f64) -> String {
    let digits = format!("{:.0}", value.max(0.0));
    let mut grouped = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

/// A target on the ratio (feathers-rs ÷ the other figure).
#[derive(Clone, Copy, Debug)]
pub enum Target {
    AtLeast(f64),
    AtMost(f64),
}

impl Target {
    fn met(self, ratio: f64) -> bool {
        match self {
            Target::AtLeast(bound) => ratio >= bound,
            Target::AtMost(bound) => ratio <= bound,
        }
    }

    fn text(self) -> String {
        match self {
            Target::AtLeast(bound) if bound < 1.0 => format!("≥ {:.0} %", bound * 100.0),
            Target::AtLeast(bound) => format!("≥ {bound}x"),
            Target::AtMost(bound) => format!("≤ {bound}x"),
        }
    }
}

struct Table {
    text: String,
}

impl Table {
    fn new() -> Table {
        let mut text = String::new();
        text.push_str(
            "| scenario | measure | FeathersJS 5 / peer | feathers-rs | ratio | target |\n",
        );
        text.push_str("| --- | --- | ---: | ---: | ---: | --- |\n");
        Table { text }
    }

    fn row(
        &mut self,
        scenario: &str,
        measure: &str,
        theirs: String,
        ours: String,
        ratio: Option<f64>,
        target: Option<Target>,
    ) {
        let ratio_text = match ratio {
            Some(ratio) if ratio.is_finite() && ratio >= 0.995 => format!("{ratio:.2}x"),
            Some(ratio) if ratio.is_finite() => format!("{ratio:.3}x"),
            _ => "–".to_owned(),
        };
        let target_text = match (target, ratio) {
            (Some(target), Some(ratio)) => {
                let verdict = if target.met(ratio) {
                    "met"
                } else {
                    "**missed**"
                };
                format!("{} {verdict}", target.text())
            }
            _ => String::new(),
        };
        let _ = writeln!(
            self.text,
            "| {scenario} | {measure} | {theirs} | {ours} | {ratio_text} | {target_text} |"
        );
    }

    fn throughput(
        &mut self,
        scenario: &str,
        unit: &str,
        theirs: &Measured,
        ours: &Measured,
        target: Option<Target>,
    ) {
        self.row(
            scenario,
            unit,
            count(theirs.rate()),
            count(ours.rate()),
            ratio(ours.rate(), theirs.rate()),
            target,
        );
    }

    fn latency(&mut self, scenario: &str, measure: &str, theirs: Duration, ours: Duration) {
        let ratio = ratio(ours.as_secs_f64(), theirs.as_secs_f64());
        self.row(
            scenario,
            measure,
            duration(theirs),
            duration(ours),
            ratio,
            None,
        );
    }
}

/// Other processes using more than this share of a core during a measured window
/// make its figures suspect.
const NOISE: f64 = 0.2;

/// `scenario`, marked with † when other processes were busy while any of `measured`
/// ran.
fn labelled(scenario: &str, measured: &[&Measured]) -> String {
    if measured.iter().any(|m| m.other_cpu > NOISE) {
        format!("{scenario} †")
    } else {
        scenario.to_owned()
    }
}

fn ratio(ours: f64, theirs: f64) -> Option<f64> {
    (theirs > 0.0).then(|| ours / theirs)
}

/// Fan-out throughput targets against FeathersJS 5: 10x at 1,000 clients, 5x at the
/// other crowd sizes.
fn fanout_target(clients: usize) -> Target {
    if clients == 1_000 {
        Target::AtLeast(10.0)
    } else {
        Target::AtLeast(5.0)
    }
}

/// The table in Markdown (readable as is in a terminal): feathers-rs against
/// FeathersJS 5 (`feathers`) in every scenario, against bare axum (`axum`) on REST
/// and against socketioxide (`socketioxide`) on Socket.io calls, fan-out and idle
/// memory.
pub fn table(
    feathers: &ServerReport,
    ours: &ServerReport,
    axum: &ServerReport,
    socketioxide: &ServerReport,
) -> String {
    let mut table = Table::new();
    let rest = |report: &ServerReport| {
        [
            ("REST get by id", report.rest_get),
            ("REST find, filter + $limit", report.rest_find),
            ("REST create", report.rest_create),
        ]
    };
    for ((scenario, theirs), (_, mine)) in rest(feathers).into_iter().zip(rest(ours)) {
        let scenario = &labelled(scenario, &[&theirs, &mine]);
        table.throughput(
            scenario,
            "requests/s",
            &theirs,
            &mine,
            Some(Target::AtLeast(10.0)),
        );
        table.latency(scenario, "p50", theirs.p50, mine.p50);
        table.latency(scenario, "p99", theirs.p99, mine.p99);
    }
    let calls = format!("Socket.io get, {} clients", crate::socket_calls::CLIENTS);
    let scenario = labelled(&calls, &[&feathers.socket_get, &ours.socket_get]);
    table.throughput(
        &scenario,
        "calls/s",
        &feathers.socket_get,
        &ours.socket_get,
        Some(Target::AtLeast(5.0)),
    );
    table.latency(
        &scenario,
        "p99",
        feathers.socket_get.p99,
        ours.socket_get.p99,
    );
    let saturated = format!(
        "events delivered/s, {} in flight",
        crate::fanout::SATURATING
    );
    let p50 = "p50 create → receipt, 1 in flight";
    let p99 = "p99 create → receipt, 1 in flight";
    for mine in &ours.fanout {
        let Some(theirs) = feathers.fanout_at(mine.clients) else {
            continue;
        };
        let scenario = format!("fan-out to {} clients", count(mine.clients as f64));
        let all = [
            &theirs.saturated,
            &theirs.single,
            &mine.saturated,
            &mine.single,
        ];
        let scenario = labelled(&scenario, &all);
        table.throughput(
            &scenario,
            &saturated,
            &theirs.saturated,
            &mine.saturated,
            Some(fanout_target(mine.clients)),
        );
        let (theirs, mine) = (&theirs.single, &mine.single);
        table.latency(&scenario, p50, theirs.p50, mine.p50);
        table.latency(&scenario, p99, theirs.p99, mine.p99);
    }
    let idle = format!("idle memory, {} clients", count(ours.idle_clients as f64));
    table.row(
        &idle,
        "server RSS per client",
        format!("{:.1} KB", feathers.idle_per_client() / 1024.0),
        format!("{:.1} KB", ours.idle_per_client() / 1024.0),
        ratio(ours.idle_per_client(), feathers.idle_per_client()),
        Some(Target::AtMost(0.25)),
    );
    table.latency(
        "cold start",
        "spawn → first response",
        feathers.cold_start,
        ours.cold_start,
    );

    // The Rust peers: the other figure is marked with the peer's name.
    let peer_rate =
        |peer: &str, measured: &Measured| format!("{} ({peer})", count(measured.rate()));
    let peer_time = |peer: &str, time: Duration| format!("{} ({peer})", duration(time));
    for ((scenario, bare), (_, mine)) in rest(axum).into_iter().zip(rest(ours)) {
        let scenario = labelled(
            &format!("feathers-rs vs bare axum: {scenario}"),
            &[&bare, &mine],
        );
        table.row(
            &scenario,
            "requests/s",
            peer_rate("axum", &bare),
            count(mine.rate()),
            ratio(mine.rate(), bare.rate()),
            Some(Target::AtLeast(0.95)),
        );
        table.row(
            &scenario,
            "p99",
            peer_time("axum", bare.p99),
            duration(mine.p99),
            ratio(mine.p99.as_secs_f64(), bare.p99.as_secs_f64()),
            None,
        );
    }
    let sio = "socketioxide";
    let (peer, mine) = (&socketioxide.socket_get, &ours.socket_get);
    let scenario = labelled(
        &format!("feathers-rs vs socketioxide: {calls}"),
        &[peer, mine],
    );
    table.row(
        &scenario,
        "calls/s",
        peer_rate(sio, peer),
        count(mine.rate()),
        ratio(mine.rate(), peer.rate()),
        Some(Target::AtLeast(1.0)),
    );
    table.row(
        &scenario,
        "p99",
        peer_time(sio, peer.p99),
        duration(mine.p99),
        ratio(mine.p99.as_secs_f64(), peer.p99.as_secs_f64()),
        None,
    );
    for mine in &ours.fanout {
        let Some(peer) = socketioxide.fanout_at(mine.clients) else {
            continue;
        };
        let scenario = format!(
            "feathers-rs vs socketioxide: fan-out to {} clients",
            count(mine.clients as f64)
        );
        let all = [&peer.saturated, &peer.single, &mine.saturated, &mine.single];
        let scenario = labelled(&scenario, &all);
        table.row(
            &scenario,
            &saturated,
            peer_rate(sio, &peer.saturated),
            count(mine.saturated.rate()),
            ratio(mine.saturated.rate(), peer.saturated.rate()),
            Some(Target::AtLeast(2.0)),
        );
        let (peer, mine) = (&peer.single, &mine.single);
        table.row(
            &scenario,
            p99,
            peer_time(sio, peer.p99),
            duration(mine.p99),
            ratio(mine.p99.as_secs_f64(), peer.p99.as_secs_f64()),
            None,
        );
    }
    table.row(
        &format!("feathers-rs vs socketioxide: {idle}"),
        "server RSS per client",
        format!("{:.1} KB ({sio})", socketioxide.idle_per_client() / 1024.0),
        format!("{:.1} KB", ours.idle_per_client() / 1024.0),
        ratio(ours.idle_per_client(), socketioxide.idle_per_client()),
        None,
    );
    if table.text.contains(" †") {
        table.text.push_str(&format!(
            "\n† other processes used more than {:.0} % of a core while this was measured \
             (see the CPU table): the figure is suspect.\n",
            NOISE * 100.0
        ));
    }
    table.text
}

/// Per scenario: errors, and how busy the server and the generator were (a server
/// below ~90 % while the generator is near 100 % means the generator set the pace).
pub fn diagnostics(reports: &[&ServerReport]) -> String {
    let mut text = String::new();
    text.push_str(
        "| server | scenario | errors | server CPU | generator CPU | other processes' CPU |\n",
    );
    text.push_str("| --- | --- | ---: | ---: | ---: | ---: |\n");
    for report in reports {
        let mut scenarios = vec![
            ("REST get".to_owned(), report.rest_get),
            ("REST find".to_owned(), report.rest_find),
            ("REST create".to_owned(), report.rest_create),
            ("Socket.io get".to_owned(), report.socket_get),
        ];
        for point in &report.fanout {
            let clients = point.clients;
            let in_flight = crate::fanout::SATURATING;
            let saturated = format!("fan-out to {clients}, {in_flight} in flight");
            scenarios.push((saturated, point.saturated));
            scenarios.push((format!("fan-out to {clients}, 1 in flight"), point.single));
        }
        for (scenario, measured) in scenarios {
            if measured.seconds == 0.0 {
                continue;
            }
            let _ = writeln!(
                text,
                "| {} | {scenario} | {} | {:.0} % | {:.0} % | {:.0} % |",
                report.name,
                measured.errors,
                measured.server_cpu * 100.0,
                measured.generator_cpu * 100.0,
                measured.other_cpu * 100.0
            );
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(count(0.0), "0");
        assert_eq!(count(999.4), "999");
        assert_eq!(count(1_000.0), "1,000");
        assert_eq!(count(1_234_567.0), "1,234,567");
    }

    #[test]
    fn durations_pick_a_readable_unit() {
        assert_eq!(duration(Duration::from_micros(250)), "250 µs");
        assert_eq!(duration(Duration::from_micros(2_500)), "2.50 ms");
        assert_eq!(duration(Duration::from_millis(1_500)), "1.50 s");
    }

    #[test]
    fn busy_machines_mark_their_scenarios() {
        let quiet = Measured::default();
        let busy = Measured {
            other_cpu: 0.5,
            ..Measured::default()
        };
        assert_eq!(labelled("REST get", &[&quiet, &quiet]), "REST get");
        assert_eq!(labelled("REST get", &[&quiet, &busy]), "REST get †");
    }

    #[test]
    fn the_peers_have_rows_of_their_own() {
        let measured = |rate: u64| Measured {
            count: rate,
            seconds: 1.0,
            ..Measured::default()
        };
        let point = |clients, rate| crate::suite::FanoutPoint {
            clients,
            saturated: measured(rate),
            single: measured(rate),
        };
        let report = |name: &str, rate: u64| ServerReport {
            name: name.to_owned(),
            rest_get: measured(rate),
            rest_find: measured(rate),
            rest_create: measured(rate),
            socket_get: measured(rate),
            fanout: vec![point(1_000, rate), point(100, rate)],
            ..ServerReport::default()
        };
        let text = table(
            &report("FeathersJS", 100),
            &report("feathers-rs", 800),
            &report("bare axum", 1_000),
            &report("socketioxide", 400),
        );
        let row = |start: &str| {
            text.lines()
                .find(|line| line.starts_with(start))
                .unwrap_or_else(|| panic!("no row {start:?} in\n{text}"))
                .to_owned()
        };
        assert!(row("| fan-out to 1,000 clients | events").contains("≥ 10x **missed**"));
        assert!(row("| fan-out to 100 clients | events").contains("≥ 5x met"));
        let axum = row("| feathers-rs vs bare axum: REST create | requests/s");
        assert!(axum.contains("1,000 (axum) | 800 | 0.800x | ≥ 95 % **missed**"));
        let calls = row("| feathers-rs vs socketioxide: Socket.io get, 100 clients | calls/s");
        assert!(calls.contains("400 (socketioxide) | 800 | 2.00x | ≥ 1x met"));
        let fanout = row("| feathers-rs vs socketioxide: fan-out to 1,000 clients | events");
        assert!(fanout.contains("| 2.00x | ≥ 2x met"));
        row("| feathers-rs vs socketioxide: idle memory");
    }

    #[test]
    fn targets_judge_the_ratio() {
        assert!(Target::AtLeast(10.0).met(12.0));
        assert!(!Target::AtLeast(10.0).met(9.0));
        assert!(Target::AtMost(0.25).met(0.2));
        assert!(!Target::AtMost(0.25).met(0.3));
        assert_eq!(Target::AtLeast(0.8).text(), "≥ 80 %");
    }
}
