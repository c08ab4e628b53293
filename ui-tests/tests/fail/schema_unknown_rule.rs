use feathers_runtime::prelude::*;

#[derive(Deserialize, JsonSchema)]
struct NewNote {
    #[schemars(lenght(max = 20))]
    text: String,
}

struct Notes;

#[service("notes", register = false)]
impl Notes {
    async fn create(&self, data: NewNote) -> Result<Value> {
        Ok(json!({ "text": data.text }))
    }
}

fn main() {}
