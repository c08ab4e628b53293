use feathers_runtime::prelude::*;

#[derive(Default)]
struct Messages;

#[service("messages")]
impl Messages {
    fn find(&self) -> Result<Vec<u32>> {
        Ok(Vec::new())
    }
}

// The service is still generated, so using it adds no second error.
fn main() {
    let _ = App::builder().service(Messages::default());
}
