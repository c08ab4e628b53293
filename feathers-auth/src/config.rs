//! Authentication settings, set in code or read from the environment.

use std::time::Duration;

use feathers_core::{Error, Result};

use crate::password::HashingOptions;

/// The shortest secret accepted, in bytes.
pub const MIN_SECRET_BYTES: usize = 32;

/// Authentication settings (Feathers' `app.get('authentication')`).
///
/// ```
/// # use feathers_auth::AuthConfig;
/// let config = AuthConfig::new("a secret of at least thirty-two bytes!!")
///     .service("users")
///     .expires_in(std::time::Duration::from_secs(3600));
/// assert!(config.validate().is_ok());
/// ```
#[derive(Clone)]
pub struct AuthConfig {
    /// The secret tokens are signed with (HMAC). At least 32 bytes.
    pub secret: String,
    /// The name of the entity in params and results. Default `user`.
    pub entity: String,
    /// The path of the users service. Default `users`.
    pub service: String,
    /// The id field of the entity, the token's subject. Default `id`.
    pub entity_id: String,
    /// The path the authentication service is registered at. Default `authentication`.
    pub path: String,
    /// The strategies the authentication service accepts. Default `jwt` and `local`.
    pub auth_strategies: Vec<String>,
    /// Token settings.
    pub jwt: JwtOptions,
    /// Username and password settings.
    pub local: LocalOptions,
    /// Login attempt and sign-up limits.
    pub rate_limit: RateLimitOptions,
    /// How many passwords are hashed at once, and how many may wait.
    pub hashing: HashingOptions,
}

impl std::fmt::Debug for AuthConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthConfig")
            .field("secret", &"<hidden>")
            .field("entity", &self.entity)
            .field("service", &self.service)
            .field("entity_id", &self.entity_id)
            .field("path", &self.path)
            .field("auth_strategies", &self.auth_strategies)
            .field("jwt", &self.jwt)
            .field("local", &self.local)
            .field("rate_limit", &self.rate_limit)
            .field("hashing", &self.hashing)
            .finish()
    }
}

/// Token settings (Feathers' `jwtOptions`).
#[derive(Clone, Debug)]
pub struct JwtOptions {
    /// The header's `typ`; tokens with another `typ` are refused. Default `access`.
    pub typ: String,
    /// The `aud` claim written and required. Default `https://yourdomain.com`.
    pub audience: String,
    /// The `iss` claim written and required. Default `feathers`.
    pub issuer: String,
    /// The signing algorithm, the only one accepted: `HS256` (default), `HS384` or `HS512`.
    pub algorithm: jsonwebtoken::Algorithm,
    /// How long a token is valid. Default one day (`1d`).
    pub expires_in: Duration,
}

impl Default for JwtOptions {
    fn default() -> JwtOptions {
        JwtOptions {
            typ: "access".to_owned(),
            audience: "https://yourdomain.com".to_owned(),
            issuer: "feathers".to_owned(),
            algorithm: jsonwebtoken::Algorithm::HS256,
            expires_in: Duration::from_secs(24 * 60 * 60),
        }
    }
}

/// Settings of the local (username and password) strategy.
#[derive(Clone, Debug)]
pub struct LocalOptions {
    /// The field holding the username, in login data and in user records. Default `email`.
    pub username_field: String,
    /// The field holding the password in login data and its hash in records. Default `password`.
    pub password_field: String,
    /// The message of every failed local login. Default `Invalid login`.
    pub error_message: String,
    /// How usernames are compared: the same rule is applied to the username field
    /// of every create, update and patch of the users service and to the username
    /// of every local login. Default [`UsernameNormalization::TrimLowercase`].
    pub username_normalization: UsernameNormalization,
}

/// How a username is made canonical before it is stored or looked up.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum UsernameNormalization {
    /// Trimmed and in lower case, so that `Alice@Example.com ` and
    /// `alice@example.com` are one account (the default: usernames are emails).
    #[default]
    TrimLowercase,
    /// Exactly as typed (Feathers' own behaviour).
    AsTyped,
}

impl UsernameNormalization {
    /// `username` in its canonical form.
    ///
    /// ```
    /// # use feathers_auth::UsernameNormalization;
    /// assert_eq!(UsernameNormalization::TrimLowercase.apply(" Alice@X.com"), "alice@x.com");
    /// assert_eq!(UsernameNormalization::AsTyped.apply("Alice@X.com"), "Alice@X.com");
    /// ```
    pub fn apply(self, username: &str) -> String {
        match self {
            UsernameNormalization::TrimLowercase => username.trim().to_lowercase(),
            UsernameNormalization::AsTyped => username.to_owned(),
        }
    }
}

impl Default for LocalOptions {
    fn default() -> LocalOptions {
        LocalOptions {
            username_field: "email".to_owned(),
            password_field: "password".to_owned(),
            error_message: "Invalid login".to_owned(),
            username_normalization: UsernameNormalization::default(),
        }
    }
}

/// Limits on local login attempts and on sign-ups. On by default with generous
/// limits: they stop password guessing and sign-up floods, not people.
///
/// The login policy (each limit refills evenly over its minute):
///
/// - every attempt counts against its client address (`per_address_per_minute`);
/// - a failed attempt counts against the pair of its address and the username
///   (`failures_per_address_and_username_per_minute`): an address that keeps guessing
///   one account's password is refused (429) for that account, while the account
///   logs in from anywhere else; a success from the address clears its failures;
/// - a failed attempt also counts against the username from everywhere
///   (`failures_per_username_per_minute`), which bounds a guessing attack spread over
///   many addresses; addresses the account has logged in from before are exempt from
///   this one, so the owner's usual places keep working during such an attack.
///
/// Successful logins count only against the address's overall limit.
#[derive(Clone, Debug)]
pub struct RateLimitOptions {
    /// Whether attempts and sign-ups are limited at all. Default true.
    pub enabled: bool,
    /// Login attempts one client address may make per minute (a burst of that many,
    /// then one more every `60 / n` seconds). Default 60.
    pub per_address_per_minute: u32,
    /// Failed logins per minute one address may have for one username. Default 10.
    pub failures_per_address_and_username_per_minute: u32,
    /// Failed logins per minute for one username from addresses it has not logged in
    /// from. Default 100.
    pub failures_per_username_per_minute: u32,
    /// Sign-ups (external `create` calls on the users service) one client address may
    /// make per hour (a burst of that many, then one every `60 / n` minutes); 0 turns
    /// the sign-up limit off. Default 20.
    pub sign_ups_per_address_per_hour: u32,
    /// Read the client address from `X-Forwarded-For` (its last entry, the one the
    /// proxy added). Only for servers behind a proxy that sets it. Default false.
    pub trust_forwarded_for: bool,
}

impl Default for RateLimitOptions {
    fn default() -> RateLimitOptions {
        RateLimitOptions {
            enabled: true,
            per_address_per_minute: 60,
            failures_per_address_and_username_per_minute: 10,
            failures_per_username_per_minute: 100,
            sign_ups_per_address_per_hour: 20,
            trust_forwarded_for: false,
        }
    }
}

impl AuthConfig {
    /// Settings with Feathers' defaults and this secret.
    pub fn new(secret: impl Into<String>) -> AuthConfig {
        AuthConfig {
            secret: secret.into(),
            entity: "user".to_owned(),
            service: "users".to_owned(),
            entity_id: "id".to_owned(),
            path: "authentication".to_owned(),
            auth_strategies: vec!["jwt".to_owned(), "local".to_owned()],
            jwt: JwtOptions::default(),
            local: LocalOptions::default(),
            rate_limit: RateLimitOptions::default(),
            hashing: HashingOptions::default(),
        }
    }

    /// Settings from the environment, Feathers' defaults for what is not set:
    ///
    /// | variable | setting |
    /// |---|---|
    /// | `FEATHERS_AUTH_SECRET` | `secret` (required) |
    /// | `FEATHERS_AUTH_ENTITY` | `entity` |
    /// | `FEATHERS_AUTH_SERVICE` | `service` |
    /// | `FEATHERS_AUTH_STRATEGIES` | `auth_strategies`, comma separated |
    /// | `FEATHERS_AUTH_USERNAME_FIELD`, `FEATHERS_AUTH_PASSWORD_FIELD` | `local` fields |
    /// | `FEATHERS_AUTH_AUDIENCE`, `FEATHERS_AUTH_ISSUER` | `jwt.audience`, `jwt.issuer` |
    /// | `FEATHERS_AUTH_ALGORITHM` | `jwt.algorithm` (`HS256`, `HS384`, `HS512`) |
    /// | `FEATHERS_AUTH_EXPIRES_IN` | `jwt.expires_in` (`1d`, `12h`, `30m`, or seconds) |
    /// | `FEATHERS_AUTH_USERNAME_NORMALIZATION` | `lowercase` (default) or `as-typed` |
    /// | `FEATHERS_AUTH_RATE_LIMIT` | `off` to turn login and sign-up limits off |
    /// | `FEATHERS_AUTH_SIGN_UPS_PER_HOUR` | `rate_limit.sign_ups_per_address_per_hour` (0: off) |
    /// | `FEATHERS_AUTH_HASHING_WORKERS`, `FEATHERS_AUTH_HASHING_QUEUE` | `hashing` |
    /// | `FEATHERS_AUTH_TRUST_FORWARDED_FOR` | `true` behind a proxy setting `X-Forwarded-For` |
    pub fn from_env() -> Result<AuthConfig> {
        let secret = std::env::var("FEATHERS_AUTH_SECRET").map_err(|_| missing_secret())?;
        AuthConfig::new(secret).with_env()
    }

    /// These settings, with every `FEATHERS_AUTH_*` variable that is set applied
    /// (see [`AuthConfig::from_env`]; the secret too when set).
    pub fn with_env(mut self) -> Result<AuthConfig> {
        let var = |name: &str| std::env::var(format!("FEATHERS_AUTH_{name}")).ok();
        if let Some(secret) = var("SECRET") {
            self.secret = secret;
        }
        if let Some(entity) = var("ENTITY") {
            self.entity = entity;
        }
        if let Some(service) = var("SERVICE") {
            self.service = service;
        }
        if let Some(strategies) = var("STRATEGIES") {
            self.auth_strategies = strategies
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect();
        }
        if let Some(field) = var("USERNAME_FIELD") {
            self.local.username_field = field;
        }
        if let Some(field) = var("PASSWORD_FIELD") {
            self.local.password_field = field;
        }
        if let Some(audience) = var("AUDIENCE") {
            self.jwt.audience = audience;
        }
        if let Some(issuer) = var("ISSUER") {
            self.jwt.issuer = issuer;
        }
        if let Some(algorithm) = var("ALGORITHM") {
            self.jwt.algorithm = parse_algorithm(&algorithm)?;
        }
        if let Some(expires) = var("EXPIRES_IN") {
            self.jwt.expires_in = parse_duration(&expires)?;
        }
        if let Some(rule) = var("USERNAME_NORMALIZATION") {
            self.local.username_normalization = match rule.as_str() {
                "lowercase" => UsernameNormalization::TrimLowercase,
                "as-typed" => UsernameNormalization::AsTyped,
                other => {
                    return Err(Error::general(format!(
                    "FEATHERS_AUTH_USERNAME_NORMALIZATION is '{other}': use lowercase or as-typed"
                )))
                }
            };
        }
        if let Some(count) = var("SIGN_UPS_PER_HOUR") {
            self.rate_limit.sign_ups_per_address_per_hour =
                parse_count("SIGN_UPS_PER_HOUR", &count)?;
        }
        if let Some(count) = var("HASHING_WORKERS") {
            self.hashing.workers = parse_count("HASHING_WORKERS", &count)? as usize;
        }
        if let Some(count) = var("HASHING_QUEUE") {
            self.hashing.queue = parse_count("HASHING_QUEUE", &count)? as usize;
        }
        if let Some(limit) = var("RATE_LIMIT") {
            self.rate_limit.enabled = !matches!(limit.as_str(), "off" | "false" | "0");
        }
        if let Some(trust) = var("TRUST_FORWARDED_FOR") {
            self.rate_limit.trust_forwarded_for = matches!(trust.as_str(), "true" | "1" | "yes");
        }
        Ok(self)
    }

    /// Sets the users service's path.
    pub fn service(mut self, path: impl Into<String>) -> AuthConfig {
        self.service = path.into().trim_matches('/').to_owned();
        self
    }

    /// Sets the entity name (`params.user` for `user`).
    pub fn entity(mut self, name: impl Into<String>) -> AuthConfig {
        self.entity = name.into();
        self
    }

    /// Sets the strategies the authentication service accepts.
    pub fn strategies<S: Into<String>>(mut self, names: impl IntoIterator<Item = S>) -> AuthConfig {
        self.auth_strategies = names.into_iter().map(Into::into).collect();
        self
    }

    /// Sets how long tokens are valid.
    pub fn expires_in(mut self, duration: Duration) -> AuthConfig {
        self.jwt.expires_in = duration;
        self
    }

    /// Sets the local strategy's username and password fields.
    pub fn local_fields(mut self, username: &str, password: &str) -> AuthConfig {
        self.local.username_field = username.to_owned();
        self.local.password_field = password.to_owned();
        self
    }

    /// Sets how usernames are normalised at sign-up and login.
    pub fn username_normalization(mut self, rule: UsernameNormalization) -> AuthConfig {
        self.local.username_normalization = rule;
        self
    }

    /// Sets the login attempt and sign-up limits.
    pub fn rate_limit(mut self, options: RateLimitOptions) -> AuthConfig {
        self.rate_limit = options;
        self
    }

    /// Sets how many passwords are hashed at once and how many may wait.
    pub fn hashing(mut self, options: HashingOptions) -> AuthConfig {
        self.hashing = options;
        self
    }

    /// Checks the settings: the secret's length, the algorithm, the strategies.
    pub fn validate(&self) -> Result<()> {
        if self.secret.len() < MIN_SECRET_BYTES {
            return Err(Error::general(format!(
                "the authentication secret is {} bytes long; it must have at least {MIN_SECRET_BYTES}. \
                 Set FEATHERS_AUTH_SECRET to a long random value, for example the output of \
                 `openssl rand -base64 48`, or pass one to AuthConfig::new",
                self.secret.len()
            )));
        }
        if !matches!(
            self.jwt.algorithm,
            jsonwebtoken::Algorithm::HS256
                | jsonwebtoken::Algorithm::HS384
                | jsonwebtoken::Algorithm::HS512
        ) {
            return Err(Error::general(format!(
                "the token algorithm {:?} is not supported: use HS256, HS384 or HS512",
                self.jwt.algorithm
            )));
        }
        if let Some(unknown) = self
            .auth_strategies
            .iter()
            .find(|name| !matches!(name.as_str(), "jwt" | "local"))
        {
            return Err(Error::general(format!(
                "unknown authentication strategy '{unknown}': the strategies are 'jwt' and 'local'"
            )));
        }
        if self.jwt.expires_in.is_zero() {
            return Err(Error::general("tokens must be valid for some time"));
        }
        Ok(())
    }
}

fn missing_secret() -> Error {
    Error::general(
        "no authentication secret is set. Set FEATHERS_AUTH_SECRET to a random value of at least \
         32 bytes, for example the output of `openssl rand -base64 48`",
    )
}

fn parse_count(name: &str, text: &str) -> Result<u32> {
    text.trim().parse().map_err(|_| {
        Error::general(format!(
            "FEATHERS_AUTH_{name} is '{text}': it must be a whole number"
        ))
    })
}

fn parse_algorithm(name: &str) -> Result<jsonwebtoken::Algorithm> {
    match name {
        "HS256" => Ok(jsonwebtoken::Algorithm::HS256),
        "HS384" => Ok(jsonwebtoken::Algorithm::HS384),
        "HS512" => Ok(jsonwebtoken::Algorithm::HS512),
        other => Err(Error::general(format!(
            "FEATHERS_AUTH_ALGORITHM is '{other}': use HS256, HS384 or HS512"
        ))),
    }
}

/// Reads a duration as Feathers' `expiresIn`: seconds as a bare number, or `1d`,
/// `12h`, `30m`, `2 days`.
pub fn parse_duration(text: &str) -> Result<Duration> {
    let text = text.trim();
    if let Ok(seconds) = text.parse::<u64>() {
        return Ok(Duration::from_secs(seconds));
    }
    humantime::parse_duration(text).map_err(|err| {
        Error::general(format!(
            "'{text}' is not a duration ({err}); write it as 1d, 12h, 30m or seconds"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_secret_is_refused_with_a_way_to_set_one() {
        let err = AuthConfig::new("short")
            .validate()
            .expect_err("this must fail");
        assert!(err.message().contains("FEATHERS_AUTH_SECRET"), "{err}");
        assert!(err.message().contains("at least 32"), "{err}");
        assert!(AuthConfig::new("x".repeat(32)).validate().is_ok());
    }

    #[test]
    fn defaults_are_feathers_defaults() {
        let config = AuthConfig::new("x".repeat(32));
        assert_eq!(config.entity, "user");
        assert_eq!(config.service, "users");
        assert_eq!(config.auth_strategies, ["jwt", "local"]);
        assert_eq!(config.local.username_field, "email");
        assert_eq!(config.local.password_field, "password");
        assert_eq!(config.jwt.typ, "access");
        assert_eq!(config.jwt.algorithm, jsonwebtoken::Algorithm::HS256);
        assert_eq!(config.jwt.expires_in, Duration::from_secs(86_400));
    }

    #[test]
    fn durations_read_like_feathers_expires_in() {
        assert_eq!(parse_duration("1d").ok(), Some(Duration::from_secs(86_400)));
        assert_eq!(
            parse_duration("12h").ok(),
            Some(Duration::from_secs(43_200))
        );
        assert_eq!(parse_duration("90").ok(), Some(Duration::from_secs(90)));
        assert!(parse_duration("soon").is_err());
    }

    #[test]
    fn unknown_strategies_and_algorithms_are_refused() {
        let config = AuthConfig::new("x".repeat(32)).strategies(["jwt", "oauth"]);
        assert!(config.validate().is_err());
        assert!(parse_algorithm("none").is_err());
        assert!(parse_algorithm("RS256").is_err());
    }
}
