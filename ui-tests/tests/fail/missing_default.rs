use feathers_runtime::prelude::*;

struct Messages {
    prefix: String,
}

#[service("messages")]
impl Messages {
    async fn get(&self, id: u64) -> Result<String> {
        Ok(format!("{}{id}", self.prefix))
    }
}

fn main() {}
