use feathers_runtime::prelude::*;

#[derive(Default)]
struct Comments;

#[service("posts/:/comments")]
impl Comments {
    async fn find(&self) -> Result<Vec<u32>> {
        Ok(Vec::new())
    }
}

fn main() {}
