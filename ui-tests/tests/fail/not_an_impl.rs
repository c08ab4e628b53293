use feathers_runtime::prelude::*;

#[service("messages")]
struct Messages;

fn main() {}
