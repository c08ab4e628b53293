//! [`AdapterBuilder`]: the setters of [`AdapterOptions`], written once for every
//! adapter (and every adapter's builder) that holds them.

use feathers_query::Paginate;

use super::options::AdapterOptions;
use crate::multi::Multi;

/// Builder-style setters of the options every adapter has. An adapter (or its builder)
/// implements [`adapter_options_mut`](AdapterBuilder::adapter_options_mut) and gets
/// the rest:
///
/// ```
/// # use feathers_core::adapter::{AdapterBuilder, AdapterOptions};
/// #[derive(Default)]
/// struct MyAdapterBuilder { options: AdapterOptions }
///
/// impl AdapterBuilder for MyAdapterBuilder {
///     fn adapter_options_mut(&mut self) -> &mut AdapterOptions {
///         &mut self.options
///     }
/// }
/// let built = MyAdapterBuilder::default().id_field("_id").paginate(10, 50).multi(true);
/// assert_eq!(built.options.id_field, "_id");
/// ```
///
/// Set the id field before adding records: records already added stay indexed by the
/// ids they had.
pub trait AdapterBuilder: Sized {
    /// The options the setters change.
    fn adapter_options_mut(&mut self) -> &mut AdapterOptions;

    /// Names the id field (default `id`).
    fn id_field(mut self, name: impl Into<String>) -> Self {
        self.adapter_options_mut().id_field = name.into();
        self
    }

    /// Paginates `find`: pages of `default` records, `$limit` up to `max`.
    fn paginate(self, default: u64, max: u64) -> Self {
        self.pagination(Some(Paginate::new(default, max)))
    }

    /// Sets or removes pagination.
    fn pagination(mut self, paginate: Option<Paginate>) -> Self {
        self.adapter_options_mut().paginate = paginate.filter(Paginate::is_active);
        self
    }

    /// Which methods may act on many records: `true`, `false`, or a list such as
    /// `["create", "patch"]`.
    fn multi(mut self, multi: impl Into<Multi>) -> Self {
        self.adapter_options_mut().multi = multi.into();
        self
    }

    /// Custom events the service may emit (`app.service("x")?.emit("typing", ..)`).
    fn events<I, S>(mut self, events: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.adapter_options_mut().events = events.into_iter().map(Into::into).collect();
        self
    }

    /// Replaces every shared option at once.
    fn with_adapter_options(mut self, options: AdapterOptions) -> Self {
        let paginate = options.paginate.filter(Paginate::is_active);
        *self.adapter_options_mut() = AdapterOptions {
            paginate,
            ..options
        };
        self
    }
}
