//! Procedural macros for feathers-rs. Use them through `feathers_runtime`.

use proc_macro::TokenStream;

macro_rules! passthrough {
    ($($name:ident),*) => {$(
        #[proc_macro_attribute]
        pub fn $name(_attr: TokenStream, item: TokenStream) -> TokenStream {
            item
        }
    )*};
}

passthrough!(service, method, before, after, error, around);
