//! One scenario of `bench/run.sh` against one server, for profiling and quick checks:
//!
//! ```text
//! scenario <feathers|rust|axum|socketioxide> <rest-get|rest-find|rest-create|socket-get|fanout N|idle N>
//!          [--seconds S] [--in-flight N] [--server-cpu N|none] [--threads one|default]
//!          [--wrap "perf record -g --"]
//! ```
//!
//! Run it from the repository root (the Feathers server is `bench/feathers/server.mjs`).
//! The Rust servers (`rust`, `axum`, `socketioxide`) run one tokio worker thread when
//! pinned, as in `bench/run.sh`, unless `--threads default` asks for one per core of
//! the machine, as tokio's default runtime has unpinned. `axum` answers REST only.
//! `--wrap` starts the server under another program (a profiler), stopped with SIGINT
//! at the end; the server CPU figure is then that program's.

use std::time::Duration;

use bench::fanout::{self, Crowd};
use bench::load::{Measured, Phases};
use bench::server::{sibling, Launch, ServerProcess, Threads};
use bench::{rest, socket_calls};

fn usage() -> ! {
    eprintln!(
        "usage: scenario <feathers|rust|axum|socketioxide> \
         <rest-get|rest-find|rest-create|socket-get|fanout N|idle N> \
         [--seconds S] [--in-flight N] [--server-cpu N|none] [--threads one|default] \
         [--wrap \"COMMAND ARGS --\"]"
    );
    std::process::exit(2);
}

fn launch_for(server: &str, wrap: &[String], cpu: Option<usize>, threads: Threads) -> Launch {
    let (program, args, env): (String, Vec<String>, Vec<(&str, &str)>) = match server {
        "feathers" => (
            "node".to_owned(),
            vec!["bench/feathers/server.mjs".to_owned()],
            vec![("NODE_ENV", "production")],
        ),
        "rust" => (sibling("rust_server"), Vec::new(), Vec::new()),
        "axum" => (sibling("axum_server"), Vec::new(), Vec::new()),
        "socketioxide" => (sibling("socketioxide_server"), Vec::new(), Vec::new()),
        _ => usage(),
    };
    let tokio = server != "feathers";
    let mut launch = match wrap.split_first() {
        Some((wrapper, wrapper_args)) => {
            let mut launch = Launch::new(wrapper.clone());
            launch.args.extend(wrapper_args.iter().cloned());
            launch.arg(program)
        }
        None => Launch::new(program),
    };
    launch.args.extend(args);
    for (name, value) in env {
        launch = launch.env(name, value);
    }
    launch = launch.pinned_to(cpu);
    if tokio {
        launch = launch.tokio(threads);
    }
    launch
}

fn print(what: &str, measured: &Measured) {
    println!(
        "{what}: {:.0}/s  p50 {}  p99 {}  errors {}  server cpu {:.0}%  generator cpu {:.0}%  others {:.0}%",
        measured.rate(),
        bench::report::duration(measured.p50),
        bench::report::duration(measured.p99),
        measured.errors,
        measured.server_cpu * 100.0,
        measured.generator_cpu * 100.0,
        measured.other_cpu * 100.0,
    );
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(server_name), Some(scenario)) = (args.first(), args.get(1)) else {
        usage()
    };
    let mut count = None;
    let mut seconds = 5.0;
    let mut cpu = Some(0);
    let mut wrap = Vec::new();
    let mut in_flight: Option<u64> = None;
    let mut threads = Threads::default();
    let mut rest_args = args[2..].iter();
    while let Some(arg) = rest_args.next() {
        match arg.as_str() {
            "--seconds" => {
                seconds = rest_args
                    .next()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or_else(|| usage())
            }
            "--in-flight" => in_flight = rest_args.next().and_then(|s| s.parse().ok()),
            "--server-cpu" => cpu = rest_args.next().and_then(|s| s.parse().ok()),
            "--threads" => {
                threads = rest_args
                    .next()
                    .and_then(|text| Threads::parse(text))
                    .unwrap_or_else(|| usage())
            }
            "--wrap" => {
                let command = rest_args.next().unwrap_or_else(|| usage());
                wrap = command.split_whitespace().map(str::to_owned).collect();
            }
            number => count = Some(number.parse::<usize>().unwrap_or_else(|_| usage())),
        }
    }
    let phases = Phases {
        warmup: Duration::from_secs(1),
        measure: Duration::from_secs_f64(seconds),
    };
    let server = ServerProcess::launch(&launch_for(server_name, &wrap, cpu, threads)).await;
    let (port, pid) = (server.port, server.pid());
    println!(
        "server pid {pid}, port {port}, ready after {}",
        bench::report::duration(server.ready_after)
    );
    if server_name != "feathers" {
        println!("{}", threads.describe(cpu));
    }
    let ids = rest::seed(port).await;
    match scenario.as_str() {
        "rest-get" => print(
            scenario,
            &rest::run(port, pid, phases, rest::get_requests(&ids)).await,
        ),
        "rest-find" => print(
            scenario,
            &rest::run(port, pid, phases, rest::find_requests()).await,
        ),
        "rest-create" => print(
            scenario,
            &rest::run(port, pid, phases, rest::create_requests()).await,
        ),
        "socket-get" => print(scenario, &socket_calls::run(port, pid, phases, &ids).await),
        "fanout" | "idle" => {
            let clients = count.unwrap_or_else(|| usage());
            let before = server.rss();
            let crowd = Crowd::connect(port, clients).await;
            tokio::time::sleep(Duration::from_secs(2)).await;
            let after = server.rss();
            println!(
                "idle: {:.2} KB per client",
                after.saturating_sub(before) as f64 / clients as f64 / 1024.0
            );
            if scenario == "fanout" {
                let windows = in_flight.map_or(vec![fanout::SATURATING, 1], |n| vec![n]);
                for in_flight in windows {
                    let measured = fanout::run(port, pid, phases, &crowd, in_flight).await;
                    print(&format!("fanout, {in_flight} in flight"), &measured);
                }
            }
        }
        _ => usage(),
    }
    if wrap.is_empty() {
        server.stop().await;
    } else {
        server.interrupt().await;
    }
}
