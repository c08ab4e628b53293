//! The expansion names everything by absolute path, so it compiles in a module without
//! the prelude. The service module imports nothing from `std` that generated code could
//! lean on (no `Ok`, `Option`, `Box`, `Vec`, `Default`, `Into`).

#![no_implicit_prelude]
#![deny(warnings)]

mod service {
    use ::feathers_runtime::{
        around, before, method, service, Error, HookContext, Id, Next, Params, Result,
    };
    use ::serde_json::Value;

    pub async fn check(ctx: &mut HookContext) -> Result<()> {
        ctx.params.extra.insert(
            ::std::string::ToString::to_string("checked"),
            Value::Bool(true),
        );
        ::std::result::Result::Ok(())
    }

    pub async fn pass_through(ctx: &mut HookContext, next: Next) -> Result<()> {
        next.run(ctx).await
    }

    #[derive(::std::default::Default)]
    pub struct Numbers;

    #[service("numbers", events = ["counted"])]
    #[around(pass_through)]
    impl Numbers {
        #[before(check)]
        async fn get(&self, id: u64, params: &Params) -> Result<(u64, bool)> {
            let checked = params.extra.get("checked") == ::std::option::Option::Some(&Value::Bool(true));
            ::std::result::Result::Ok((id, checked))
        }

        async fn remove(&self, id: ::std::option::Option<Id>, _params: Params) -> Result<::std::option::Option<Id>> {
            ::std::result::Result::Ok(id)
        }

        async fn create(&self, data: Value) -> ::std::result::Result<Value, Error> {
            ::std::result::Result::Ok(data)
        }

        #[method]
        async fn double(&self, data: u64) -> Result<u64> {
            ::std::result::Result::Ok(data * 2)
        }
    }
}

fn main() {
    use ::feathers_runtime::{App, Params};
    use ::serde_json::json;
    use ::std::convert::Into;
    use ::std::default::Default;
    use ::std::result::Result::Ok;

    let runtime = ::tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime
        .block_on(async {
            let app = App::builder().service(service::Numbers::default()).build()?;
            let numbers = app.service("numbers")?;
            let got = numbers.get(7, Params::default()).await?;
            ::std::assert_eq!(got, json!([7, true]));
            let doubled = numbers.custom("double", json!(21), Params::default()).await?;
            ::std::assert_eq!(doubled, json!(42));
            let created = numbers.create(json!({"n": 1}), Params::default()).await?;
            ::std::assert_eq!(created, json!({"n": 1}));
            let removed = numbers.remove(::std::option::Option::None, Params::default()).await?;
            ::std::assert_eq!(removed, json!(null));
            Ok::<(), ::feathers_runtime::Error>(())
        })
        .expect("the calls succeed");
}
