use feathers_runtime::prelude::*;

struct Messages;

impl Messages {
    #[method]
    async fn archive(&self, data: Value) -> Result<Value> {
        Ok(data)
    }
}

fn main() {}
