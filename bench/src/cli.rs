//! The arguments the FeathersJS comparisons share: `--smoke`, `--server-cpu N|none`,
//! `--out DIR` and `--feathers DIR`, and the Node.js server they start from that folder.

use std::path::PathBuf;

use crate::server::Launch;

/// What every comparison program reads from its command line.
pub struct CommonArgs {
    /// A short run, written to `target/bench-smoke` rather than `bench/results`.
    pub smoke: bool,
    /// The CPU the servers are pinned to (`None`: not pinned).
    pub server_cpu: Option<usize>,
    /// Where the table is written.
    pub out: PathBuf,
    /// The folder of the FeathersJS server (`server.mjs`, `node_modules`).
    pub feathers: PathBuf,
}

impl CommonArgs {
    /// Reads the arguments; `feathers` is the default folder of the FeathersJS server.
    /// A flag they do not know goes to `extra` with the arguments after it; `extra`
    /// answers whether it took it. `usage` is printed on anything else.
    pub fn parse(
        usage: &str,
        feathers: &str,
        mut extra: impl FnMut(&str, &mut dyn Iterator<Item = String>) -> bool,
    ) -> CommonArgs {
        let fail = || -> ! {
            eprintln!("usage: {usage}");
            std::process::exit(2);
        };
        let mut args = CommonArgs {
            smoke: false,
            server_cpu: Some(0),
            out: PathBuf::new(),
            feathers: PathBuf::from(feathers),
        };
        let mut out = None;
        let mut given = std::env::args().skip(1);
        while let Some(arg) = given.next() {
            match arg.as_str() {
                "--smoke" => args.smoke = true,
                "--server-cpu" => {
                    args.server_cpu = match given.next().as_deref() {
                        Some("none") => None,
                        Some(cpu) => Some(cpu.parse().unwrap_or_else(|_| fail())),
                        None => fail(),
                    }
                }
                "--out" => out = Some(PathBuf::from(given.next().unwrap_or_else(|| fail()))),
                "--feathers" => {
                    args.feathers = PathBuf::from(given.next().unwrap_or_else(|| fail()));
                }
                other => {
                    if !extra(other, &mut given) {
                        fail();
                    }
                }
            }
        }
        args.out = out.unwrap_or_else(|| {
            PathBuf::from(if args.smoke {
                "target/bench-smoke"
            } else {
                "bench/results"
            })
        });
        args
    }

    /// `node <feathers>/server.mjs` in production mode, pinned like the other servers;
    /// stops the program when `npm ci` has not been run in the folder.
    pub fn feathers_server(&self) -> Launch {
        assert!(
            self.feathers.join("node_modules").exists(),
            "{} has no node_modules: run `npm ci --prefix {}`",
            self.feathers.display(),
            self.feathers.display()
        );
        Launch::new("node")
            .arg(self.feathers.join("server.mjs").display().to_string())
            .env("NODE_ENV", "production")
            .pinned_to(self.server_cpu)
    }
}
