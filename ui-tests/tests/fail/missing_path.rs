use feathers_runtime::prelude::*;

#[derive(Default)]
struct Messages;

#[service(events = ["typing"])]
impl Messages {
    async fn find(&self) -> Result<Vec<u32>> {
        Ok(Vec::new())
    }
}

fn main() {}
