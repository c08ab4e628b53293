use feathers_runtime::prelude::*;

#[derive(Default)]
struct Messages;

#[service("messages")]
impl Messages {
    async fn get(id: u64) -> Result<u64> {
        Ok(id)
    }
}

fn main() {}
