use feathers_runtime::prelude::*;

struct Secret;

#[derive(Default)]
struct Messages;

#[service("messages")]
impl Messages {
    async fn find(&self) -> Result<Secret> {
        Ok(Secret)
    }
}

fn main() {}
