use feathers_runtime::prelude::*;

trait Finder {
    async fn find(&self) -> Result<Vec<u32>>;
}

#[derive(Default)]
struct Messages;

#[service("messages")]
impl Finder for Messages {
    async fn find(&self) -> Result<Vec<u32>> {
        Ok(Vec::new())
    }
}

fn main() {}
