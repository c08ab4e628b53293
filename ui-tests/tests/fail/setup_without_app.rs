use feathers_runtime::prelude::*;

#[setup]
fn channels() {}

fn main() {}
