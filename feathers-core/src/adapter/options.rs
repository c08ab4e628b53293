//! [`AdapterOptions`]: the settings every adapter has (Feathers' adapter-commons
//! options). Adapters with settings of their own keep them beside these.

use feathers_query::Paginate;

use super::commons::pagination_for;
use crate::multi::Multi;
use crate::params::Params;

/// The settings every adapter shares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdapterOptions {
    /// The name of the id field. Default `"id"`.
    pub id_field: String,
    /// Pagination of `find`; `None` answers bare arrays.
    pub paginate: Option<Paginate>,
    /// Which methods may act on many records.
    pub multi: Multi,
    /// Custom events, besides created/updated/patched/removed.
    pub events: Vec<String>,
}

impl Default for AdapterOptions {
    fn default() -> AdapterOptions {
        AdapterOptions {
            id_field: "id".to_owned(),
            paginate: None,
            multi: Multi::Off,
            events: Vec::new(),
        }
    }
}

impl AdapterOptions {
    /// The pagination for one call. A hook may override it through `params.paginate`
    /// (Feathers' server-side `params.paginate`): `PaginationOverride::Off` turns it
    /// off, `PaginationOverride::With(..)` replaces it.
    pub fn paginate_for(&self, params: &Params) -> Option<Paginate> {
        pagination_for(params, self.paginate)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::PaginationOverride;

    #[test]
    fn params_may_override_pagination() {
        let options = AdapterOptions {
            paginate: Some(Paginate::new(10, 50)),
            ..AdapterOptions::default()
        };
        let mut params = Params::default();
        assert_eq!(options.paginate_for(&params), Some(Paginate::new(10, 50)));
        params.paginate = Some(PaginationOverride::Off);
        assert_eq!(options.paginate_for(&params), None);
    }
}
