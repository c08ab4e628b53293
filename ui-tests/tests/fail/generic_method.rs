use feathers_runtime::prelude::*;

#[derive(Default)]
struct Messages;

#[service("messages")]
impl Messages {
    async fn create<T: serde::de::DeserializeOwned + Serialize>(&self, data: T) -> Result<T> {
        Ok(data)
    }
}

fn main() {}
