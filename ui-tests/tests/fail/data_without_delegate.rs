use feathers_runtime::prelude::*;

#[derive(Deserialize, JsonSchema)]
struct NewNote {
    text: String,
}

#[derive(Default)]
struct Notes;

#[service("notes", data = NewNote)]
impl Notes {
    async fn find(&self) -> Result<Value> {
        Ok(json!([]))
    }
}

fn main() {}
