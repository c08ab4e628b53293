#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    feathers_runtime::__fuzz::primus_frame(data);
});
