//! Every input the fuzzers keep (seeds, interesting inputs, and the crashes they found
//! once) goes through its target again: `tests/fuzz_corpus/<target>/`. A crash found
//! by `cargo fuzz` is fixed and its input saved here, so it stays fixed.

use std::path::{Path, PathBuf};

use feathers_runtime::__fuzz;

fn corpus(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz_corpus")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|err| panic!("the corpus {} cannot be read: {err}", dir.display()))
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "the corpus {} is empty", dir.display());
    files
}

fn replay(target: &str, run: fn(&[u8])) {
    for file in corpus(target) {
        let data = std::fs::read(&file)
            .unwrap_or_else(|err| panic!("{} cannot be read: {err}", file.display()));
        let outcome = std::panic::catch_unwind(|| run(&data));
        assert!(outcome.is_ok(), "{} panics", file.display());
    }
}

#[test]
fn query_string_corpus() {
    replay("qs", __fuzz::query_string);
}

#[test]
fn socketio_frame_corpus() {
    replay("socketio_frame", __fuzz::socketio_frame);
}

#[test]
fn socketio_payload_corpus() {
    replay("socketio_payload", __fuzz::socketio_payload);
}

#[test]
fn primus_frame_corpus() {
    replay("primus_frame", __fuzz::primus_frame);
}

#[test]
fn query_json_corpus() {
    replay("query_json", __fuzz::query_json);
}
