//! Shared pieces of the benchmark programs: starting server processes and reading
//! their memory and CPU time, raw HTTP and Socket.io clients light enough that one
//! core of load drives a server on the other, latency histograms, the scenarios of
//! `bench/run.sh`, and its report.

pub mod cli;
pub mod fanout;
pub mod histogram;
pub mod http;
pub mod load;
pub mod machine;
pub mod plot;
pub mod proc_stats;
pub mod raw_ws;
pub mod records;
pub mod report;
pub mod rest;
pub mod server;
pub mod socket_calls;
pub mod sql;
pub mod suite;
mod tungstenite_client;

pub use proc_stats::rss_of;
pub use server::ServerProcess;
pub use tungstenite_client::{next_text, socketio_client, Ws};
