//! The threads passwords are hashed and checked on: a fixed number of them, each with
//! its own reused [`HashMemory`], behind a bounded queue.
//!
//! An argon2id hash takes 19 MiB and tens of milliseconds of one core. Run on tokio's
//! blocking pool, a burst of sign-ups would start one thread per hash (up to 512),
//! each with its own allocator arena that keeps its 19 MiB after the burst. Here at
//! most `workers` hashes run at once, at most `queue` more wait, and a call beyond
//! that is refused at once with 503 Unavailable: the server is out of hashing
//! capacity for everyone, which is not something the caller did (429 is kept for the
//! per-client limits), and trying again in a moment may well succeed.

use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, OnceLock};

use feathers_core::{Error, Result};
use tokio::sync::{oneshot, Semaphore};

use super::{dummy_hash, hash_password_with, verify_password_with, HashMemory, Verified};

/// How many passwords are hashed at once, and how many may wait.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HashingOptions {
    /// Threads hashing and checking passwords, each holding 19 MiB once it has
    /// worked. Default: the machine's cores, at most 4.
    pub workers: usize,
    /// Hashes and checks that may wait for a thread; one more is refused with 503.
    /// Default: 16 per worker.
    pub queue: usize,
}

impl Default for HashingOptions {
    fn default() -> HashingOptions {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let workers = cores.clamp(1, 4);
        HashingOptions {
            workers,
            queue: 16 * workers,
        }
    }
}

/// What the hashing threads are doing, for tests and metrics.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HashingStats {
    /// Hashes and checks running now.
    pub running: usize,
    /// Admitted ones waiting for a thread.
    pub queued: usize,
    /// The most that ever ran at once.
    pub peak_running: usize,
    /// Calls refused because the queue was full.
    pub refused: u64,
}

/// A unit of work for a hashing thread.
type Job = Box<dyn FnOnce(&mut HashMemory) + Send>;

#[derive(Default)]
struct Gauges {
    running: AtomicUsize,
    peak_running: AtomicUsize,
    refused: AtomicU64,
}

/// Counts a job as running for as long as it lives, a panic included.
struct Running<'a>(&'a Gauges);

impl<'a> Running<'a> {
    fn start(gauges: &'a Gauges) -> Running<'a> {
        let now = gauges.running.fetch_add(1, Ordering::SeqCst) + 1;
        gauges.peak_running.fetch_max(now, Ordering::SeqCst);
        crate::metrics::password_job_started(now);
        Running(gauges)
    }
}

impl Drop for Running<'_> {
    fn drop(&mut self) {
        let now = self.0.running.fetch_sub(1, Ordering::SeqCst) - 1;
        crate::metrics::password_job_ended(now);
    }
}

/// A fixed set of password hashing threads with a bounded queue (see the module
/// documentation). The threads start with the first job and end when this is dropped.
pub struct PasswordWorkers {
    options: HashingOptions,
    admission: Arc<Semaphore>,
    jobs: OnceLock<Mutex<mpsc::Sender<Job>>>,
    gauges: Arc<Gauges>,
}

impl std::fmt::Debug for PasswordWorkers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasswordWorkers")
            .field("options", &self.options)
            .field("stats", &self.stats())
            .finish()
    }
}

impl PasswordWorkers {
    /// Workers under `options` (a zero is read as one).
    pub fn new(options: HashingOptions) -> PasswordWorkers {
        let options = HashingOptions {
            workers: options.workers.max(1),
            queue: options.queue,
        };
        let permits = (options.workers + options.queue).min(Semaphore::MAX_PERMITS);
        PasswordWorkers {
            admission: Arc::new(Semaphore::new(permits)),
            options,
            jobs: OnceLock::new(),
            gauges: Arc::default(),
        }
    }

    /// The process's workers for hashing outside an app with authentication.
    pub fn shared() -> &'static PasswordWorkers {
        static SHARED: OnceLock<PasswordWorkers> = OnceLock::new();
        SHARED.get_or_init(|| PasswordWorkers::new(HashingOptions::default()))
    }

    /// The options in force.
    pub fn options(&self) -> &HashingOptions {
        &self.options
    }

    /// What the threads are doing now.
    pub fn stats(&self) -> HashingStats {
        let capacity = self.options.workers + self.options.queue;
        let admitted = capacity.saturating_sub(self.admission.available_permits());
        let running = self.gauges.running.load(Ordering::SeqCst);
        HashingStats {
            running,
            queued: admitted.saturating_sub(running),
            peak_running: self.gauges.peak_running.load(Ordering::SeqCst),
            refused: self.gauges.refused.load(Ordering::SeqCst),
        }
    }

    /// Hashes `password` with argon2id; 503 when the queue is full.
    pub async fn hash(&self, password: String) -> Result<String> {
        self.run(move |memory| hash_password_with(&password, memory))
            .await?
    }

    /// Checks `password` against `hash`; `None` checks against a dummy hash (what an
    /// unknown user costs) and never matches. 503 when the queue is full.
    pub async fn verify(&self, password: String, hash: Option<String>) -> Result<Verified> {
        self.run(move |memory| match hash {
            Some(hash) => verify_password_with(&password, &hash, memory),
            None => {
                let _ = verify_password_with(&password, dummy_hash(), memory);
                Verified::No
            }
        })
        .await
    }

    /// Runs `work` on a hashing thread once one is free: refused at once with 503
    /// when `workers + queue` jobs are already admitted. The job keeps its place when
    /// the caller stops waiting, so the bound holds for abandoned calls too.
    pub(crate) async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut HashMemory) -> T + Send + 'static,
    ) -> Result<T> {
        let Ok(permit) = self.admission.clone().try_acquire_owned() else {
            let refused = self.gauges.refused.fetch_add(1, Ordering::SeqCst) + 1;
            crate::metrics::password_job_refused();
            // The first refusal and every thousandth: a flood must not become one of logs.
            if refused % 1000 == 1 {
                tracing::warn!(
                    workers = self.options.workers,
                    queue = self.options.queue,
                    refused,
                    "password hashing queue full: refusing with 503"
                );
            }
            return Err(Error::unavailable(
                "The server is busy checking passwords, try again in a moment",
            ));
        };
        let (reply, answer) = oneshot::channel();
        let gauges = self.gauges.clone();
        let job: Job = Box::new(move |memory: &mut HashMemory| {
            let outcome = {
                let _running = Running::start(&gauges);
                std::panic::catch_unwind(AssertUnwindSafe(|| work(memory)))
            };
            drop(permit);
            if let Ok(value) = outcome {
                let _ = reply.send(value);
            }
        });
        let sent = self
            .sender()
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .send(job);
        if sent.is_err() {
            tracing::error!("no password hashing thread is running");
            return Err(Error::general("Could not process the password"));
        }
        answer.await.map_err(|_| {
            tracing::error!("a password hashing job panicked");
            Error::general("Could not process the password")
        })
    }

    /// The queue of the threads, started the first time.
    fn sender(&self) -> &Mutex<mpsc::Sender<Job>> {
        self.jobs.get_or_init(|| {
            let (sender, receiver) = mpsc::channel::<Job>();
            let receiver = Arc::new(Mutex::new(receiver));
            for n in 0..self.options.workers {
                let receiver = receiver.clone();
                let started = std::thread::Builder::new()
                    .name(format!("feathers-argon2-{n}"))
                    .spawn(move || work_loop(&receiver));
                if let Err(err) = started {
                    tracing::error!("could not start a password hashing thread: {err}");
                }
            }
            Mutex::new(sender)
        })
    }
}

/// One hashing thread: takes jobs until the workers are dropped, in one memory.
fn work_loop(receiver: &Mutex<mpsc::Receiver<Job>>) {
    let mut memory = HashMemory::new();
    loop {
        let job = receiver
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .recv();
        match job {
            Ok(job) => job(&mut memory),
            Err(_) => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Condvar;
    use std::time::Duration;

    /// A gate jobs wait at until it opens.
    #[derive(Default)]
    struct Gate {
        open: Mutex<bool>,
        changed: Condvar,
    }

    impl Gate {
        fn wait(&self) {
            let mut open = self.open.lock().expect("the gate's lock");
            while !*open {
                open = self.changed.wait(open).expect("the gate's lock");
            }
        }

        fn open(&self) {
            *self.open.lock().expect("the gate's lock") = true;
            self.changed.notify_all();
        }
    }

    async fn until(workers: &PasswordWorkers, what: &str, check: impl Fn(HashingStats) -> bool) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while !check(workers.stats()) {
            assert!(
                tokio::time::Instant::now() < deadline,
                "timed out waiting for {what}: {:?}",
                workers.stats()
            );
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    }

    #[tokio::test]
    async fn no_more_than_the_workers_run_at_once_and_the_rest_wait() {
        let workers = Arc::new(PasswordWorkers::new(HashingOptions {
            workers: 2,
            queue: 10,
        }));
        let gate = Arc::new(Gate::default());
        let mut calls = Vec::new();
        for n in 0..6 {
            let workers = workers.clone();
            let gate = gate.clone();
            calls.push(tokio::spawn(async move {
                workers.run(move |_memory| gate.wait()).await.map(|()| n)
            }));
        }
        until(&workers, "two running and four queued", |stats| {
            stats.running == 2 && stats.queued == 4
        })
        .await;
        gate.open();
        for call in calls {
            call.await.expect("the task").expect("the job ran");
        }
        let stats = workers.stats();
        assert_eq!((stats.running, stats.queued), (0, 0));
        assert_eq!(stats.peak_running, 2, "{stats:?}");
    }

    #[tokio::test]
    async fn a_full_queue_is_refused_with_503() {
        let workers = Arc::new(PasswordWorkers::new(HashingOptions {
            workers: 1,
            queue: 1,
        }));
        let gate = Arc::new(Gate::default());
        let mut admitted = Vec::new();
        for _ in 0..2 {
            let workers = workers.clone();
            let gate = gate.clone();
            admitted.push(tokio::spawn(async move {
                workers.run(move |_memory| gate.wait()).await
            }));
        }
        until(&workers, "one running, one queued", |stats| {
            stats.running == 1 && stats.queued == 1
        })
        .await;
        let err = workers
            .hash("pw".to_owned())
            .await
            .expect_err("the queue is full");
        assert_eq!((err.code(), err.name()), (503, "Unavailable"));
        assert_eq!(workers.stats().refused, 1);
        gate.open();
        for call in admitted {
            call.await.expect("the task").expect("the job ran");
        }
        let hash = workers.hash("pw".to_owned()).await.expect("room again");
        assert_eq!(
            workers.verify("pw".to_owned(), Some(hash)).await.ok(),
            Some(Verified::Yes)
        );
        assert_eq!(
            workers.verify("pw".to_owned(), None).await.ok(),
            Some(Verified::No)
        );
    }
}
