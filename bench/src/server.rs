//! A server under test, started as its own process (optionally pinned to one core) so
//! that its memory and CPU time can be read alone.

use std::process::Stdio;
use std::time::{Duration, Instant};

use tokio::net::TcpStream;
use tokio::process::{Child, Command};

use crate::http::HttpConn;
use crate::proc_stats::{cpu_time_of, rss_of};

/// The tokio runtime of a Rust server under test, set through `TOKIO_WORKER_THREADS`.
///
/// Tokio's default runtime has one worker per core the process may run on, so a
/// server pinned with `taskset` already gets one; setting it makes the rule explicit
/// and independent of how the pinning is done.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Threads {
    /// One worker thread when the server is pinned to one core, as Node.js runs
    /// JavaScript on one thread; tokio's default when it is not pinned.
    #[default]
    OneWhenPinned,
    /// One worker per core of the machine, as tokio's default runtime has on an
    /// unpinned process, even when the server is pinned to one of them.
    PerMachineCore,
}

impl Threads {
    /// `one` or `default` (one worker per core of the machine), as the programs'
    /// `--threads` option reads.
    pub fn parse(text: &str) -> Option<Threads> {
        match text {
            "one" => Some(Threads::OneWhenPinned),
            "default" => Some(Threads::PerMachineCore),
            _ => None,
        }
    }

    /// The `TOKIO_WORKER_THREADS` to start a server with (`None`: tokio's default).
    fn workers(self, cpu: Option<usize>) -> Option<usize> {
        match (self, cpu) {
            (Threads::OneWhenPinned, Some(_)) => Some(1),
            (Threads::OneWhenPinned, None) => None,
            (Threads::PerMachineCore, _) => Some(crate::machine::cores()),
        }
    }

    /// For a results header: what the Rust servers ran, given where they were pinned.
    pub fn describe(self, cpu: Option<usize>) -> String {
        match self.workers(cpu) {
            Some(1) => {
                "Rust servers on one tokio worker thread (TOKIO_WORKER_THREADS=1)".to_owned()
            }
            Some(workers) => format!(
                "Rust servers on {workers} tokio worker threads, one per core of the machine \
                 (TOKIO_WORKER_THREADS={workers})"
            ),
            None => "Rust servers on tokio's default runtime".to_owned(),
        }
    }
}

/// How to start a server: a program, its arguments and environment, and the core to
/// pin it to (through `taskset`, which execs the program, so the pid stays its own).
#[derive(Clone, Debug)]
pub struct Launch {
    pub program: String,
    pub args: Vec<String>,
    pub env: Vec<(String, String)>,
    pub cpu: Option<usize>,
    /// For a tokio server: its runtime (`None` for any other program).
    pub tokio: Option<Threads>,
    /// A path answered with a 2xx once the server is ready (`/messages`).
    pub ready_path: String,
}

impl Launch {
    pub fn new(program: impl Into<String>) -> Launch {
        Launch {
            program: program.into(),
            args: Vec::new(),
            env: Vec::new(),
            cpu: None,
            tokio: None,
            ready_path: "/messages".to_owned(),
        }
    }

    pub fn arg(mut self, arg: impl Into<String>) -> Launch {
        self.args.push(arg.into());
        self
    }

    pub fn env(mut self, name: &str, value: &str) -> Launch {
        self.env.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn pinned_to(mut self, cpu: Option<usize>) -> Launch {
        self.cpu = cpu;
        self
    }

    /// Marks a tokio server, to run with `threads`.
    pub fn tokio(mut self, threads: Threads) -> Launch {
        self.tokio = Some(threads);
        self
    }

    fn command(&self, port: u16) -> Command {
        let mut command = match self.cpu {
            Some(cpu) => {
                let mut taskset = Command::new("taskset");
                taskset.arg("-c").arg(cpu.to_string()).arg(&self.program);
                taskset
            }
            None => Command::new(&self.program),
        };
        command
            .args(&self.args)
            .env("PORT", port.to_string())
            .env("RUST_LOG", "warn")
            .envs(self.env.iter().map(|(name, value)| (name, value)))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .kill_on_drop(true);
        if let Some(threads) = self.tokio {
            match threads.workers(self.cpu) {
                Some(workers) => command.env("TOKIO_WORKER_THREADS", workers.to_string()),
                None => command.env_remove("TOKIO_WORKER_THREADS"),
            };
        }
        command
    }
}

/// A running server process; killed when dropped.
pub struct ServerProcess {
    pub child: Child,
    pub port: u16,
    /// From spawning the process to its first answered request.
    pub ready_after: Duration,
}

impl ServerProcess {
    /// Starts `program` with `PORT` set to a free port and waits until it accepts.
    pub async fn start(program: &str, args: &[&str]) -> ServerProcess {
        let port = free_port();
        let mut launch = Launch::new(program);
        launch.args = args.iter().map(|arg| (*arg).to_owned()).collect();
        let started = Instant::now();
        let mut child = spawn(&launch, port);
        let deadline = started + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).await.is_err() {
            check_alive(&mut child, &launch, port, deadline);
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        ServerProcess {
            child,
            port,
            ready_after: started.elapsed(),
        }
    }

    /// Starts a server and waits, polling every millisecond, until it answers
    /// `GET ready_path` with a 2xx: `ready_after` is the cold start.
    pub async fn launch(launch: &Launch) -> ServerProcess {
        let port = free_port();
        let started = Instant::now();
        let mut child = spawn(launch, port);
        let deadline = started + Duration::from_secs(30);
        let request = crate::http::get_request(&launch.ready_path);
        loop {
            if let Ok(mut conn) = HttpConn::connect(port).await {
                if let Ok(response) = conn.request(&request).await {
                    if response.is_success() {
                        break;
                    }
                }
            }
            check_alive(&mut child, launch, port, deadline);
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        ServerProcess {
            child,
            port,
            ready_after: started.elapsed(),
        }
    }

    pub fn pid(&self) -> u32 {
        self.child
            .id()
            .unwrap_or_else(|| panic!("the server process on port {} has exited", self.port))
    }

    /// Resident memory of the server process, in bytes.
    pub fn rss(&self) -> u64 {
        rss_of(self.pid())
    }

    /// CPU time the server process has used.
    pub fn cpu_time(&self) -> Duration {
        cpu_time_of(self.pid())
    }

    /// Kills the server and waits for it to exit.
    pub async fn stop(mut self) {
        let _ = self.child.kill().await;
    }

    /// Sends SIGINT (a profiler wrapping the server then writes its data and ends
    /// the server), waits up to 30 s, then kills it.
    pub async fn interrupt(mut self) {
        if let Some(pid) = self.child.id() {
            let _ = Command::new("kill")
                .arg("-INT")
                .arg(pid.to_string())
                .status()
                .await;
            let _ = tokio::time::timeout(Duration::from_secs(30), self.child.wait()).await;
        }
        let _ = self.child.kill().await;
    }
}

/// A program built next to the running one (the bench's server binaries), as a path.
pub fn sibling(name: &str) -> String {
    let exe = std::env::current_exe()
        .unwrap_or_else(|err| panic!("cannot find this program's path: {err}"));
    let path = exe.with_file_name(name);
    assert!(
        path.exists(),
        "{} is missing: build it with `cargo build --release -p bench`",
        path.display()
    );
    path.display().to_string()
}

fn spawn(launch: &Launch, port: u16) -> Child {
    launch
        .command(port)
        .spawn()
        .unwrap_or_else(|err| panic!("cannot start {}: {err}", launch.program))
}

fn check_alive(child: &mut Child, launch: &Launch, port: u16, deadline: Instant) {
    if let Ok(Some(status)) = child.try_wait() {
        panic!("{} exited before serving ({status})", launch.program);
    }
    assert!(
        Instant::now() < deadline,
        "{} did not serve on port {port} within 30 s",
        launch.program
    );
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .unwrap_or_else(|err| panic!("no free port: {err}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workers(launch: &Launch) -> Option<Option<String>> {
        let command = launch.command(3030);
        command
            .as_std()
            .get_envs()
            .find(|(name, _)| *name == "TOKIO_WORKER_THREADS")
            .map(|(_, value)| value.map(|value| value.to_string_lossy().into_owned()))
    }

    #[test]
    fn pinned_tokio_servers_run_one_worker_unless_told_otherwise() {
        let pinned = Launch::new("server").pinned_to(Some(0));
        let one = Threads::OneWhenPinned;
        assert_eq!(workers(&pinned.clone().tokio(one)), Some(Some("1".into())));
        let cores = crate::machine::cores().to_string();
        let per_core = pinned.clone().tokio(Threads::PerMachineCore);
        assert_eq!(workers(&per_core), Some(Some(cores)));
        assert_eq!(workers(&pinned), None);
        // Removed, so that tokio picks its default even if the caller's environment has it.
        assert_eq!(workers(&Launch::new("server").tokio(one)), Some(None));
    }
}
