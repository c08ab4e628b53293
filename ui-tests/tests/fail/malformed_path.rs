use feathers_runtime::prelude::*;

#[derive(Default)]
struct Messages;

#[service("api//messages")]
impl Messages {
    async fn find(&self) -> Result<Vec<u32>> {
        Ok(Vec::new())
    }
}

// The service is still generated, so using it adds no second error.
fn main() {
    let _ = App::builder().service(Messages::default());
}
