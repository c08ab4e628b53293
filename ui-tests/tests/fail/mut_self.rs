use feathers_runtime::prelude::*;

#[derive(Default)]
struct Counter {
    count: u64,
}

#[service("counter")]
impl Counter {
    async fn create(&mut self) -> Result<u64> {
        self.count += 1;
        Ok(self.count)
    }
}

// The service is still generated, so using it adds no second error.
fn main() {
    let _ = App::builder().service(Counter::default());
}
