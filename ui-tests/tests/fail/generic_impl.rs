use feathers_runtime::prelude::*;

#[derive(Default)]
struct Store<T>(Vec<T>);

#[service("store")]
impl<T: Send + Sync + 'static> Store<T> {
    async fn find(&self) -> Result<usize> {
        Ok(self.0.len())
    }
}

fn main() {}
