use feathers_runtime::prelude::*;

#[derive(Default)]
struct Messages;

#[service("messages")]
impl Messages {
    async fn get(&self, id: u64) -> Option<u64> {
        Some(id)
    }
}

fn main() {}
