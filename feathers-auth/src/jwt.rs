//! Signing and verifying access tokens with the configured secret and algorithm.

use std::time::{SystemTime, UNIX_EPOCH};

use feathers_core::{Error, Result};
use jsonwebtoken::errors::ErrorKind as JwtErrorKind;
use jsonwebtoken::{DecodingKey, EncodingKey, Header, Validation};
use serde_json::{Map, Value};

use crate::config::JwtOptions;

/// Signs and verifies access tokens.
pub struct Tokens {
    options: JwtOptions,
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tokens")
            .field("options", &self.options)
            .finish()
    }
}

/// Seconds since the Unix epoch.
pub(crate) fn now_seconds() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}

impl Tokens {
    /// Tokens signed with `secret` under `options`.
    pub fn new(secret: &[u8], options: &JwtOptions) -> Tokens {
        let mut validation = Validation::new(options.algorithm);
        validation.set_audience(&[&options.audience]);
        validation.set_issuer(&[&options.issuer]);
        validation.set_required_spec_claims(&["exp", "aud", "iss", "sub"]);
        validation.validate_nbf = true;
        validation.leeway = 0;
        Tokens {
            options: options.clone(),
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
        }
    }

    /// A new token for `subject`, with `payload`'s claims first, then Feathers' own
    /// (`iat`, `exp`, `aud`, `iss`, `sub`, `jti`). Returns the token and its claims.
    pub fn sign(&self, subject: &str, payload: Map<String, Value>) -> Result<(String, Value)> {
        let now = now_seconds();
        let mut claims = payload;
        claims.insert("iat".into(), now.into());
        claims.insert(
            "exp".into(),
            (now + self.options.expires_in.as_secs()).into(),
        );
        claims.insert("aud".into(), self.options.audience.clone().into());
        claims.insert("iss".into(), self.options.issuer.clone().into());
        claims.insert("sub".into(), subject.into());
        claims.insert("jti".into(), uuid::Uuid::new_v4().to_string().into());
        let mut header = Header::new(self.options.algorithm);
        header.typ = Some(self.options.typ.clone());
        let token = jsonwebtoken::encode(&header, &claims, &self.encoding).map_err(|err| {
            tracing::error!("signing an access token failed: {err}");
            Error::general("Could not create an access token")
        })?;
        Ok((token, Value::Object(claims)))
    }

    /// The claims of `token` when it is ours, unexpired and meant for us: 401
    /// NotAuthenticated otherwise, with a message in the words of Feathers' library.
    pub fn verify(&self, token: &str) -> Result<Value> {
        let data =
            jsonwebtoken::decode::<Map<String, Value>>(token, &self.decoding, &self.validation)
                .map_err(|err| refused(&err))?;
        if data.header.typ.as_deref() != Some(self.options.typ.as_str()) {
            return Err(Error::not_authenticated("invalid token type"));
        }
        Ok(Value::Object(data.claims))
    }

    /// The settings these tokens follow.
    pub fn options(&self) -> &JwtOptions {
        &self.options
    }
}

fn refused(err: &jsonwebtoken::errors::Error) -> Error {
    let message = match err.kind() {
        JwtErrorKind::ExpiredSignature => "jwt expired",
        JwtErrorKind::ImmatureSignature => "jwt not active",
        JwtErrorKind::InvalidSignature => "invalid signature",
        JwtErrorKind::InvalidAudience => "jwt audience invalid",
        JwtErrorKind::InvalidIssuer => "jwt issuer invalid",
        JwtErrorKind::InvalidAlgorithm | JwtErrorKind::InvalidAlgorithmName => "invalid algorithm",
        JwtErrorKind::MissingRequiredClaim(_) | JwtErrorKind::InvalidClaimFormat(_) => {
            "jwt claims invalid"
        }
        _ => "jwt malformed",
    };
    Error::not_authenticated(message)
}
