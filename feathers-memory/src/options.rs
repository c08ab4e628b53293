//! The memory adapter's options: id field, first counter id, pagination, multi and
//! custom events (Feathers' `MemoryServiceOptions`).

use feathers_core::query::Paginate;
use feathers_core::Multi;
use feathers_core::Params;

/// The settings of a [`MemoryService`](super::MemoryService).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemoryOptions {
    /// The name of the id field. Default `"id"`.
    pub id_field: String,
    /// The first id the counter hands out to records created without one. Default 0.
    pub start_id: i64,
    /// Pagination of `find`; `None` answers bare arrays.
    pub paginate: Option<Paginate>,
    /// Which methods may act on many records.
    pub multi: Multi,
    /// Custom events, besides created/updated/patched/removed.
    pub events: Vec<String>,
}

impl Default for MemoryOptions {
    fn default() -> MemoryOptions {
        MemoryOptions {
            id_field: "id".to_owned(),
            start_id: 0,
            paginate: None,
            multi: Multi::Off,
            events: Vec::new(),
        }
    }
}

impl MemoryOptions {
    /// The pagination for one call. A hook may override it through `params.paginate`
    /// (Feathers' server-side `params.paginate`): `PaginationOverride::Off` turns it
    /// off, `PaginationOverride::With(..)` replaces it.
    pub fn paginate_for(&self, params: &Params) -> Option<Paginate> {
        feathers_core::adapter::pagination_for(params, self.paginate)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use feathers_core::PaginationOverride;

    #[test]
    fn params_may_override_pagination() {
        let options = MemoryOptions {
            paginate: Some(Paginate::new(10, 50)),
            ..MemoryOptions::default()
        };
        let mut params = Params::default();
        assert_eq!(options.paginate_for(&params), Some(Paginate::new(10, 50)));
        params.paginate = Some(PaginationOverride::Off);
        assert_eq!(options.paginate_for(&params), None);
        let three = Paginate {
            default: Some(3),
            max: None,
        };
        params.paginate = Some(PaginationOverride::With(three));
        assert_eq!(options.paginate_for(&params), Some(three));
    }
}
