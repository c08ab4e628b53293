//! Event fan-out: a crowd of Socket.io clients in the `everybody` channel, and one
//! REST client creating messages. Each message carries the generator's clock at the
//! moment its create was sent (`"t"`, in nanoseconds), so every receipt of the
//! `messages created` event gives a latency from create to receipt.
//!
//! The sender keeps at most `in_flight` events not yet delivered to every client.
//! Each crowd size is measured twice:
//!
//! - throughput with [`SATURATING`] events in flight: the server always has work
//!   queued, as under many concurrent senders, yet a server slower than the generator
//!   is not flooded (which would measure its queues, not its speed). FeathersJS
//!   answers a create only after its one thread has dispatched the event, so it has
//!   about one event in flight whatever the window; feathers-rs answers first and
//!   delivers from per-connection queues, so the window lets it write several frames
//!   per system call;
//! - latency with one event at a time: how long one event takes to reach each
//!   client, with no other event queued in front of it.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Notify;
use tokio::task::JoinHandle;

use crate::histogram::Histogram;
use crate::http::{post_json_request, HttpConn};
use crate::load::{watch_window, Measured, Phases, Window};
use crate::raw_ws::RawWs;
use crate::socket_calls::connect_many;

/// Events in flight for the throughput runs: created but not yet received by every
/// client.
pub const SATURATING: u64 = 8;

/// What the receivers of a crowd record.
pub struct Receipts {
    epoch: Instant,
    /// Every `messages created` received, since the crowd was made.
    delivered: AtomicU64,
    /// Deliveries the sender waits for before its next create.
    wanted: AtomicU64,
    progress: Notify,
    recording: AtomicBool,
    latency: Histogram,
    /// Receivers whose connection ended.
    closed: AtomicU64,
}

impl Receipts {
    fn new() -> Receipts {
        Receipts {
            epoch: Instant::now(),
            delivered: AtomicU64::new(0),
            wanted: AtomicU64::new(u64::MAX),
            progress: Notify::new(),
            recording: AtomicBool::new(false),
            latency: Histogram::new(),
            closed: AtomicU64::new(0),
        }
    }

    fn clock(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_nanos()).unwrap_or(u64::MAX)
    }

    fn received(&self, text: &[u8], now: &mut Option<u64>) {
        if !text.starts_with(br#"42["messages created""#) {
            return;
        }
        let now = *now.get_or_insert_with(|| self.clock());
        if self.recording.load(Ordering::Relaxed) {
            if let Some(sent) = sent_at(text) {
                self.latency.record_nanos(now.saturating_sub(sent));
            }
        }
        let delivered = self.delivered.fetch_add(1, Ordering::Relaxed) + 1;
        if delivered >= self.wanted.load(Ordering::Relaxed) {
            self.progress.notify_one();
        }
    }

    /// Waits until `count` deliveries have been made in all, at most `limit`. False
    /// when the limit was reached first.
    async fn wait_for(&self, count: u64, limit: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            self.wanted.store(count, Ordering::Relaxed);
            if self.delivered.load(Ordering::Relaxed) >= count {
                return true;
            }
            if tokio::time::timeout_at(deadline, self.progress.notified())
                .await
                .is_err()
            {
                return self.delivered.load(Ordering::Relaxed) >= count;
            }
        }
    }
}

/// The `"t":<nanos>` a created message carries.
fn sent_at(text: &[u8]) -> Option<u64> {
    let at = crate::http::find(text, br#""t":"#)? + 4;
    let digits = text[at..].iter().take_while(|byte| byte.is_ascii_digit());
    let mut value: u64 = 0;
    let mut any = false;
    for digit in digits {
        value = value
            .checked_mul(10)?
            .checked_add(u64::from(digit - b'0'))?;
        any = true;
    }
    any.then_some(value)
}

/// Connected Socket.io clients that read every frame, answer pings, and record the
/// `messages created` events they receive.
pub struct Crowd {
    receivers: Vec<JoinHandle<()>>,
    receipts: Arc<Receipts>,
}

impl Crowd {
    /// Connects `count` clients to the server on `port`.
    pub async fn connect(port: u16, count: usize) -> Crowd {
        let receipts = Arc::new(Receipts::new());
        let receivers = connect_many(port, count)
            .await
            .into_iter()
            .map(|ws| tokio::spawn(receive(ws, receipts.clone())))
            .collect();
        Crowd {
            receivers,
            receipts,
        }
    }

    pub fn len(&self) -> usize {
        self.receivers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.receivers.is_empty()
    }

    /// Disconnects clients until `count` remain.
    pub fn shrink_to(&mut self, count: usize) {
        while self.receivers.len() > count {
            if let Some(receiver) = self.receivers.pop() {
                receiver.abort();
            }
        }
    }

    /// Receivers whose connection ended (the server closed it) since the crowd was made.
    pub fn closed(&self) -> u64 {
        self.receipts.closed.load(Ordering::Relaxed)
    }

    /// Creates one message through `conn` and waits (up to 10 s) until every client
    /// has received its event; false when the create failed or some client did not.
    pub async fn deliver_one(&self, conn: &mut HttpConn) -> bool {
        let wanted = self.receipts.delivered.load(Ordering::Relaxed) + self.len() as u64;
        let body = format!(r#"{{"text":"fan-out","t":{}}}"#, self.receipts.clock());
        let created = matches!(
            conn.request(&post_json_request("/messages", &body)).await,
            Ok(response) if response.is_success()
        );
        let delivered = created
            && self
                .receipts
                .wait_for(wanted, Duration::from_secs(10))
                .await;
        self.receipts.wanted.store(u64::MAX, Ordering::Relaxed);
        delivered
    }
}

impl Drop for Crowd {
    fn drop(&mut self) {
        self.shrink_to(0);
    }
}

async fn receive(mut ws: RawWs, receipts: Arc<Receipts>) {
    loop {
        let mut now = None;
        if ws
            .read_texts(|text| receipts.received(text, &mut now))
            .await
            .is_err()
        {
            receipts.closed.fetch_add(1, Ordering::Relaxed);
            return;
        }
    }
}

/// Creates messages through `POST /messages`, at most `in_flight` of them not yet
/// received by every client of the crowd, and measures the window: `count` is the
/// deliveries in it, the latencies run from each create to each receipt. Errors count
/// failed creates, stalls (deliveries still missing after 10 s) and receivers the
/// server closed.
pub async fn run(
    port: u16,
    server_pid: u32,
    phases: Phases,
    crowd: &Crowd,
    in_flight: u64,
) -> Measured {
    let receipts = crowd.receipts.clone();
    let receivers = crowd.len() as u64;
    let closed_before = crowd.closed();
    let window = Window::starting_now(phases);
    let sender = tokio::spawn(send_creates(
        port,
        window,
        receipts.clone(),
        receivers,
        in_flight.max(1),
    ));
    tokio::time::sleep_until(window.measure_from.into()).await;
    receipts.latency.clear();
    receipts.recording.store(true, Ordering::Relaxed);
    let delivered_before = receipts.delivered.load(Ordering::Relaxed);
    let cpu = watch_window(
        &Window {
            measure_from: Instant::now(),
            until: window.until,
        },
        server_pid,
    )
    .await;
    receipts.recording.store(false, Ordering::Relaxed);
    let delivered = receipts.delivered.load(Ordering::Relaxed) - delivered_before;
    let failures = sender
        .await
        .unwrap_or_else(|err| panic!("the fan-out sender failed: {err}"));
    Measured {
        count: delivered,
        errors: failures + crowd.closed() - closed_before,
        seconds: phases.measure.as_secs_f64(),
        p50: receipts.latency.quantile(0.50),
        p99: receipts.latency.quantile(0.99),
        server_cpu: cpu.server,
        generator_cpu: cpu.generator,
        other_cpu: cpu.others,
    }
}

/// The sender: one create at a time, at most `in_flight` events not fully delivered.
/// Returns the failed creates and stalls; waits, at the end, for every event it sent.
async fn send_creates(
    port: u16,
    window: Window,
    receipts: Arc<Receipts>,
    receivers: u64,
    in_flight: u64,
) -> u64 {
    let mut conn = HttpConn::connect(port)
        .await
        .unwrap_or_else(|err| panic!("fan-out sender: cannot connect to port {port}: {err}"));
    let base = receipts.delivered.load(Ordering::Relaxed);
    let mut sent: u64 = 0;
    let mut failures = 0;
    let stall = Duration::from_secs(10);
    while !window.is_over() {
        if sent >= in_flight {
            let wanted = base + (sent + 1 - in_flight) * receivers;
            if !receipts.wait_for(wanted, stall).await {
                failures += 1;
                break;
            }
        }
        let body = format!(r#"{{"text":"fan-out","t":{}}}"#, receipts.clock());
        match conn.request(&post_json_request("/messages", &body)).await {
            Ok(response) if response.is_success() => sent += 1,
            Ok(_) => failures += 1,
            Err(_) => {
                failures += 1;
                tokio::time::sleep(Duration::from_millis(10)).await;
                if let Ok(fresh) = HttpConn::connect(port).await {
                    conn = fresh;
                }
            }
        }
    }
    if !receipts.wait_for(base + sent * receivers, stall).await {
        failures += 1;
    }
    receipts.wanted.store(u64::MAX, Ordering::Relaxed);
    failures
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_send_time_is_read_from_the_event() {
        let frame = br#"42["messages created",{"text":"fan-out","t":123456789,"id":3}]"#;
        assert_eq!(sent_at(frame), Some(123_456_789));
        assert_eq!(sent_at(br#"42["messages created",{"text":"x"}]"#), None);
    }
}
