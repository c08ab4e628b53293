//! Building an app: services registered through inventory by `#[service]`, or listed
//! explicitly, plus app-wide hooks and settings.

use std::sync::Arc;

use crate::app::{App, AppInner};
use crate::erased::ErasedService;
use crate::error::Result;
use crate::events::AppEvents;
use crate::hooks::Hooks;
use crate::method::Method;
use crate::registry::{Registry, ServiceEntry};
use crate::service::{NamedService, Service};
use crate::settings::{PendingSettings, Settings};
use crate::setup::{Setup, SetupResult};

/// A service registered at startup by `#[service]`. Generated code submits one per
/// service; users never write this.
#[doc(hidden)]
pub struct ServiceRegistration {
    pub path: &'static str,
    pub type_name: &'static str,
    pub make: fn() -> Arc<dyn ErasedService>,
}

inventory::collect!(ServiceRegistration);

/// App-wide hooks registered at startup (`#[app_hooks]`).
#[doc(hidden)]
pub struct AppHooksRegistration {
    pub name: &'static str,
    pub make: fn() -> Hooks,
}

inventory::collect!(AppHooksRegistration);

/// A function run once the app is built, to register publishers and connection
/// handlers (`#[setup]`).
#[doc(hidden)]
pub struct SetupRegistration {
    pub name: &'static str,
    pub run: fn(&App) -> Result<()>,
}

inventory::collect!(SetupRegistration);

/// Sets one app extension once the app exists.
type SetExtension = Box<dyn FnOnce(&App) + Send>;

struct Pending {
    path: String,
    type_name: &'static str,
    service: Arc<dyn ErasedService>,
}

/// Builds an [`App`].
///
/// ```no_run
/// # use feathers_core::{App, Result};
/// # async fn demo() -> Result<()> {
/// let app = App::builder().registered_services().build()?;
/// # Ok(()) }
/// ```
#[derive(Default)]
pub struct AppBuilder {
    services: Vec<Pending>,
    service_hooks: Vec<(String, Hooks)>,
    app_hooks: Hooks,
    registered_app_hooks: bool,
    setups: Vec<Setup>,
    extensions: Vec<SetExtension>,
    settings: PendingSettings,
}

impl std::fmt::Debug for AppBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppBuilder")
            .field(
                "services",
                &self.services.iter().map(|s| &s.path).collect::<Vec<_>>(),
            )
            .field("settings", &self.settings.len())
            .finish()
    }
}

impl App {
    /// A builder for an app with explicitly listed services.
    pub fn builder() -> AppBuilder {
        AppBuilder::new()
    }

    /// The app with every `#[service]` registered in this binary.
    pub fn from_registered() -> Result<App> {
        AppBuilder::new().registered_services().build()
    }
}

impl AppBuilder {
    /// An empty builder: no services, no hooks, default settings.
    pub fn new() -> AppBuilder {
        AppBuilder::default()
    }

    /// Adds a `#[service("path")]` type at its own path.
    pub fn service<S: NamedService>(self, service: S) -> AppBuilder {
        self.service_at(S::PATH, service)
    }

    /// Adds any service at `path` (Feathers' `app.use(path, service)`).
    pub fn service_at(mut self, path: &str, service: impl Service) -> AppBuilder {
        self.services.push(Pending {
            path: path.to_owned(),
            type_name: type_name_of(&service),
            service: Arc::new(service),
        });
        self
    }

    /// Adds every `#[service]` of this binary, and the app hooks declared with
    /// `#[app_hooks]`.
    pub fn registered_services(mut self) -> AppBuilder {
        let mut registrations: Vec<&ServiceRegistration> =
            inventory::iter::<ServiceRegistration>().collect();
        registrations.sort_by_key(|registration| registration.path);
        for registration in registrations {
            self.services.push(Pending {
                path: registration.path.to_owned(),
                type_name: registration.type_name,
                service: (registration.make)(),
            });
        }
        self.registered_app_hooks = true;
        self
    }

    /// Adds app-wide hooks, run for every service (after those already added).
    pub fn hooks(mut self, hooks: Hooks) -> AppBuilder {
        self.app_hooks = std::mem::take(&mut self.app_hooks).extend(hooks);
        self
    }

    /// Runs `setup` once the app is built: where publishers, channels and connection
    /// handlers are registered. It returns `()` or `Result<()>`; an error stops
    /// [`build`](AppBuilder::build) with a message naming the function.
    pub fn setup<R: SetupResult>(
        mut self,
        setup: impl Fn(&App) -> R + Send + Sync + 'static,
    ) -> AppBuilder {
        let name = std::any::type_name_of_val(&setup).to_owned();
        self.setups.push(Setup::new(name, setup));
        self
    }

    /// Sets the app's shared value of type `T` (see [`App::set_extension`]) before any
    /// setup function runs: how crates that add behaviour to an app hand their state
    /// to their own setup functions.
    pub fn extension<T: Send + Sync + 'static>(mut self, value: T) -> AppBuilder {
        self.extensions.push(Box::new(move |app: &App| {
            app.set_extension(value);
        }));
        self
    }

    /// Adds hooks to the service at `path`, after its own.
    pub fn service_hooks(mut self, path: &str, hooks: Hooks) -> AppBuilder {
        self.service_hooks
            .push((path.trim_matches('/').to_owned(), hooks));
        self
    }

    /// Changes the settings of type `T`, starting from its defaults (or from what an
    /// earlier call set): each crate that serves the app defines its own settings
    /// type, which the closure's argument names.
    ///
    /// ```
    /// # #[derive(Default)] struct Limits { frames: usize }
    /// let app = feathers_core::App::builder()
    ///     .configure(|limits: &mut Limits| limits.frames = 64)
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(app.settings::<Limits>().frames, 64);
    /// ```
    pub fn configure<T: Settings>(mut self, change: impl FnOnce(&mut T)) -> AppBuilder {
        self.settings.change(change);
        self
    }

    /// Builds the app. Fails when two services share a path (naming both types), when
    /// a path is malformed, or when a custom method has a reserved name.
    pub fn build(self) -> Result<App> {
        let mut app_hooks = Hooks::new();
        if self.registered_app_hooks {
            let mut registrations: Vec<&AppHooksRegistration> =
                inventory::iter::<AppHooksRegistration>().collect();
            registrations.sort_by_key(|registration| registration.name);
            for registration in registrations {
                app_hooks = app_hooks.extend((registration.make)());
            }
        }
        let app_hooks = app_hooks.extend(self.app_hooks);
        let events = Arc::new(AppEvents::default());
        let mut registry = Registry::default();
        let mut service_hooks = self.service_hooks;
        for pending in self.services {
            let normalised = pending.path.trim_matches('/');
            let mut extra = Hooks::new();
            service_hooks.retain_mut(|(path, hooks)| {
                if path == normalised {
                    extra = std::mem::take(&mut extra).extend(std::mem::take(hooks));
                    false
                } else {
                    true
                }
            });
            let entry = ServiceEntry::new(
                &pending.path,
                pending.type_name,
                pending.service,
                extra,
                &app_hooks,
                events.clone(),
            )?;
            registry.insert(entry)?;
        }
        let every_method: Vec<Method> = registry
            .entries()
            .iter()
            .flat_map(|entry| entry.methods().iter().cloned())
            .collect();
        if let Some(unknown) = app_hooks.unknown_method(&every_method) {
            return Err(crate::error::Error::general(format!(
                "an app hook is for '{unknown}', a method no service has"
            )));
        }
        if let Some((path, _)) = service_hooks.first() {
            return Err(crate::error::Error::general(format!(
                "hooks were given for the path '{path}', where no service is registered"
            )));
        }
        let inner = Arc::new(AppInner {
            registry,
            events,
            extensions: crate::extensions::Extensions::default(),
        });
        let app = App { inner };
        self.settings.install(&app.inner.extensions);
        for set in self.extensions {
            set(&app);
        }
        let mut setups = self.setups;
        if self.registered_app_hooks {
            let mut registrations: Vec<&SetupRegistration> =
                inventory::iter::<SetupRegistration>().collect();
            registrations.sort_by_key(|registration| registration.name);
            let registered = registrations
                .into_iter()
                .map(|registration| Setup::new(registration.name, registration.run));
            setups.splice(0..0, registered);
        }
        for setup in &setups {
            setup.run(&app)?;
        }
        Ok(app)
    }
}

fn type_name_of<T>(_: &T) -> &'static str {
    std::any::type_name::<T>()
}
