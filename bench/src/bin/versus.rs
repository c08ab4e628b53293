//! `bench/run.sh`: FeathersJS 5 and feathers-rs side by side, then feathers-rs
//! against the Rust peers, bare axum (REST) and socketioxide (Socket.io); prints one
//! table, and writes it with the fan-out plot.
//!
//! ```text
//! versus [--smoke] [--server-cpu N|none] [--threads one|default] [--out DIR] [--feathers DIR]
//! ```
//!
//! Run it from the repository root, pinned to a core of its own (`taskset -c 1`);
//! servers are pinned to `--server-cpu` (default 0). The Rust servers run one tokio
//! worker thread when pinned (`--threads one`, the default), or one per core of the
//! machine as tokio's default runtime has unpinned (`--threads default`: the results'
//! names then end in `-multi-thread`). It expects `rust_server`, `axum_server` and `socketioxide_server`
//! next to itself, and `npm ci` done in `--feathers` (default `bench/feathers`). Full
//! run: results in `bench/results/`; `--smoke`: a few seconds per scenario, results in
//! `target/bench-smoke/`.

use std::path::PathBuf;

use bench::server::{sibling, Launch, Threads};
use bench::suite::{self, Scope, Settings};
use bench::{machine, plot, report};

struct Args {
    smoke: bool,
    server_cpu: Option<usize>,
    threads: Threads,
    out: PathBuf,
    feathers: PathBuf,
}

fn usage() -> ! {
    eprintln!(
        "usage: versus [--smoke] [--server-cpu N|none] [--threads one|default] [--out DIR] [--feathers DIR]"
    );
    std::process::exit(2);
}

fn parse_args() -> Args {
    let mut smoke = false;
    let mut server_cpu = Some(0);
    let mut threads = Threads::default();
    let mut out = None;
    let mut feathers = PathBuf::from("bench/feathers");
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--smoke" => smoke = true,
            "--server-cpu" => {
                server_cpu = match args.next().as_deref() {
                    Some("none") => None,
                    Some(cpu) => Some(cpu.parse().unwrap_or_else(|_| usage())),
                    None => usage(),
                }
            }
            "--threads" => {
                threads = args
                    .next()
                    .and_then(|text| Threads::parse(&text))
                    .unwrap_or_else(|| usage())
            }
            "--out" => out = Some(PathBuf::from(args.next().unwrap_or_else(|| usage()))),
            "--feathers" => feathers = PathBuf::from(args.next().unwrap_or_else(|| usage())),
            _ => usage(),
        }
    }
    let out = out.unwrap_or_else(|| {
        PathBuf::from(if smoke {
            "target/bench-smoke"
        } else {
            "bench/results"
        })
    });
    Args {
        smoke,
        server_cpu,
        threads,
        out,
        feathers,
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args = parse_args();
    let settings = if args.smoke {
        Settings::smoke()
    } else {
        Settings::full()
    };
    let server_script = args.feathers.join("server.mjs");
    assert!(
        args.feathers.join("node_modules").exists(),
        "{} has no node_modules: run `npm ci --prefix {}`",
        args.feathers.display(),
        args.feathers.display()
    );
    let feathers = Launch::new("node")
        .arg(server_script.display().to_string())
        .env("NODE_ENV", "production")
        .pinned_to(args.server_cpu);
    let rust = |name: &str| {
        Launch::new(sibling(name))
            .pinned_to(args.server_cpu)
            .tokio(args.threads)
    };
    let ours = rust("rust_server");
    let bare = rust("axum_server");
    let socketioxide = rust("socketioxide_server");

    let date = machine::now();
    let load_before = machine::load_average();
    eprintln!(
        "== {} run, {date}: {}",
        if args.smoke { "smoke" } else { "full" },
        machine::describe()
    );
    eprintln!("== FeathersJS 5 (Koa, Socket.io, @feathersjs/memory)");
    let theirs = suite::measure("FeathersJS", &feathers, &settings, Scope::Everything).await;
    eprintln!("== feathers-rs (MemoryService, Socket.io)");
    let mine = suite::measure("feathers-rs", &ours, &settings, Scope::Everything).await;
    eprintln!("== bare axum (REST only)");
    let axum = suite::measure("bare axum", &bare, &settings, Scope::Rest).await;
    eprintln!("== socketioxide (Socket.io only)");
    let sio = suite::measure("socketioxide", &socketioxide, &settings, Scope::Realtime).await;

    let table = report::table(&theirs, &mine, &axum, &sio);
    let diagnostics = report::diagnostics(&[&theirs, &mine, &axum, &sio]);
    let pinning = match args.server_cpu {
        Some(cpu) => {
            format!("server pinned to CPU {cpu}, load generator to the other core (taskset)")
        }
        None => "no CPU pinning".to_owned(),
    };
    let header = format!(
        "Measured {date} on {}; {pinning}; {}; load average before {load_before}, after {}.\n\
         Ratio = feathers-rs ÷ the other figure: higher is better for rates, lower for latency, memory and start time.\n",
        machine::describe(),
        args.threads.describe(args.server_cpu),
        machine::load_average()
    );
    println!("\n{header}\n{table}\n{diagnostics}");

    std::fs::create_dir_all(&args.out)
        .unwrap_or_else(|err| panic!("cannot create {}: {err}", args.out.display()));
    let suffix = match args.threads {
        Threads::OneWhenPinned => "",
        Threads::PerMachineCore => "-multi-thread",
    };
    let results = args.out.join(format!("results{suffix}.md"));
    let svg = args.out.join(format!("fanout-latency{suffix}.svg"));
    std::fs::write(&results, format!("{header}\n{table}\n{diagnostics}"))
        .unwrap_or_else(|err| panic!("cannot write {}: {err}", results.display()));
    std::fs::write(&svg, plot::fanout_svg(&[&theirs, &mine, &sio]))
        .unwrap_or_else(|err| panic!("cannot write {}: {err}", svg.display()));
    eprintln!("== wrote {} and {}", results.display(), svg.display());
}
