use feathers_runtime::prelude::*;

#[derive(Default)]
struct Messages;

#[service("messages")]
impl Messages {
    #[method]
    async fn create(&self, data: Value) -> Result<Value> {
        Ok(data)
    }
}

fn main() {}
