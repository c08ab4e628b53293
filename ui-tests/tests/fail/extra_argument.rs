use feathers_runtime::prelude::*;

#[derive(Default)]
struct Messages;

#[service("messages")]
impl Messages {
    async fn get(&self, id: u64, data: Value, params: Params) -> Result<Value> {
        let _ = params;
        Ok(json!({ "id": id, "data": data }))
    }
}

fn main() {}
