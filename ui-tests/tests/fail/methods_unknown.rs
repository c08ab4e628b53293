use feathers_runtime::prelude::*;

#[derive(Default)]
struct Rooms;

#[service("rooms", methods = ["find", "archive"])]
impl Rooms {
    async fn find(&self) -> Result<Vec<u64>> {
        Ok(Vec::new())
    }
}

fn main() {}
