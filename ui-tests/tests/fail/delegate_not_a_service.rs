use feathers_runtime::prelude::*;

#[derive(Default)]
struct Rooms {
    names: Vec<String>,
}

#[service("rooms", delegate = names)]
impl Rooms {}

fn main() {}
