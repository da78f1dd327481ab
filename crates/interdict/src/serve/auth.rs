//! Who is asking: `Authorization: Bearer itk_…`, looked up by the token's SHA-256, and the
//! role each route needs.
//!
//! Until the store has a user, the screening routes are open (the caller is `anonymous`)
//! and the workflow routes are shut, saying to add one. Once users exist, every route but
//! `/healthz`, `/readyz` and `/openapi.json` needs a token of an enabled user. Screening
//! routes answer in about a millisecond, so they take a token's user (and whether the store
//! has users) from a cache kept at most [`CACHE_TTL`]; workflow routes (every change, and the
//! audit trail) look both up afresh each time, so a disabled user can change nothing from the
//! moment they are disabled.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use interdict_store::{Store, User};

use super::api::AppState;
use super::error::ApiError;
use crate::users::{Role, token_hash};

/// How long a token's user, or whether the store has users at all, is taken from memory on
/// the screening routes.
pub const CACHE_TTL: Duration = Duration::from_secs(30);
/// Tokens remembered at once; past this the cache starts over.
const CACHE_MAX: usize = 10_000;
/// The name of the caller on open routes while the store has no users.
pub const ANONYMOUS: &str = "anonymous";

/// The token cache: users by token hash, and whether the store has users.
#[derive(Default)]
pub struct Auth {
    tokens: Mutex<HashMap<[u8; 32], (Instant, User)>>,
    has_users: Mutex<Option<(Instant, bool)>>,
}

impl Auth {
    pub fn new() -> Arc<Auth> {
        Arc::new(Auth::default())
    }

    /// The user a token belongs to; from the cache when `cached` and the entry is fresh.
    async fn user_of(
        &self,
        store: &dyn Store,
        hash: [u8; 32],
        cached: bool,
    ) -> Result<Option<User>, ApiError> {
        if cached {
            let tokens = self.tokens.lock().unwrap_or_else(|p| p.into_inner());
            if let Some((at, user)) = tokens.get(&hash)
                && at.elapsed() < CACHE_TTL
            {
                return Ok(Some(user.clone()));
            }
        }
        let found = store.token_user(&hash).await.map_err(ApiError::internal)?;
        let mut tokens = self.tokens.lock().unwrap_or_else(|p| p.into_inner());
        match &found {
            Some(user) => {
                if tokens.len() >= CACHE_MAX {
                    tokens.retain(|_, (at, _)| at.elapsed() < CACHE_TTL);
                    if tokens.len() >= CACHE_MAX {
                        tokens.clear();
                    }
                }
                tokens.insert(hash, (Instant::now(), user.clone()));
            }
            None => {
                tokens.remove(&hash);
            }
        }
        Ok(found)
    }

    /// Whether the store has any user; from the cache when `cached` and the answer is fresh.
    async fn has_users(&self, store: &dyn Store, cached: bool) -> Result<bool, ApiError> {
        if cached {
            let known = *self.has_users.lock().unwrap_or_else(|p| p.into_inner());
            if let Some((at, answer)) = known
                && at.elapsed() < CACHE_TTL
            {
                return Ok(answer);
            }
        }
        let answer = !store.users().await.map_err(ApiError::internal)?.is_empty();
        *self.has_users.lock().unwrap_or_else(|p| p.into_inner()) = Some((Instant::now(), answer));
        Ok(answer)
    }
}

/// Who a request acts as. Handlers take it with `Extension<Caller>`.
#[derive(Debug, Clone)]
pub struct Caller {
    pub name: String,
    /// `None` for `anonymous`, while the store has no users.
    pub role: Option<Role>,
    pub user: Option<User>,
}

impl Caller {
    fn anonymous() -> Caller {
        Caller {
            name: ANONYMOUS.into(),
            role: None,
            user: None,
        }
    }

    fn of(user: User) -> Caller {
        Caller {
            name: user.name.clone(),
            role: Some(Role::of(&user.role).unwrap_or(Role::Analyst)),
            user: Some(user),
        }
    }

    /// Refuses (403 `forbidden`, naming the role) unless the caller has at least `need`.
    pub fn need(&self, need: Role) -> Result<(), ApiError> {
        match self.role {
            Some(role) if role >= need => Ok(()),
            Some(_) => Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                format!(
                    "{} is {} and may not do this: it needs the {} role",
                    self.name,
                    role_name(self.role.unwrap_or(Role::Analyst)),
                    role_name(need)
                ),
            )),
            None => Err(unauthenticated("this endpoint needs an API token")),
        }
    }

    /// The store, recording the changes made through it as made by the caller.
    pub fn store(&self, app: &AppState) -> Arc<dyn Store> {
        app.store.for_actor(&self.name)
    }
}

/// `analyst`, `supervisor` or `administrator`.
pub fn role_name(role: Role) -> String {
    format!("{role:?}").to_lowercase()
}

fn unauthenticated(message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::UNAUTHORIZED, "unauthenticated", message)
}

/// The token in `Authorization: Bearer …`: `None` when there is no such header, an error
/// when there is one that is not a bearer token shaped like ours.
fn bearer(headers: &HeaderMap) -> Result<Option<[u8; 32]>, ApiError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let text = value.to_str().unwrap_or_default().trim();
    let token = match text.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => token.trim(),
        _ => {
            return Err(unauthenticated(
                "the Authorization header should be `Bearer itk_…` (an API token from \
                 `interdict user token` or POST /users/{name}/tokens)",
            ));
        }
    };
    let shaped = token
        .strip_prefix("itk_")
        .is_some_and(|hex| hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()));
    if !shaped {
        return Err(unauthenticated(
            "that is not an interdict API token (`itk_` and 64 hex digits)",
        ));
    }
    Ok(Some(token_hash(token)))
}

/// The enabled user behind the request's token, `None` without a token.
async fn caller(
    app: &AppState,
    token: Result<Option<[u8; 32]>, ApiError>,
    cached: bool,
) -> Result<Option<Caller>, ApiError> {
    let Some(hash) = token? else {
        return Ok(None);
    };
    match app.auth.user_of(app.store.as_ref(), hash, cached).await? {
        Some(user) if user.disabled => Err(unauthenticated(format!(
            "this token's user {} is disabled",
            user.name
        ))),
        Some(user) => Ok(Some(Caller::of(user))),
        None => Err(unauthenticated(
            "unknown API token: it was never issued by this store",
        )),
    }
}

/// For the screening routes: open while the store has no users, a token after.
pub async fn screening(State(app): State<AppState>, mut request: Request, next: Next) -> Response {
    let has_users = match app.auth.has_users(app.store.as_ref(), true).await {
        Ok(has) => has,
        Err(e) => return e.into_response(),
    };
    let found = if has_users {
        caller(&app, bearer(request.headers()), true).await
    } else {
        // No user can hold a token yet: whatever the header says, the caller is anonymous.
        Ok(Some(Caller::anonymous()))
    };
    match found {
        Ok(Some(caller)) => {
            request.extensions_mut().insert(caller);
            next.run(request).await
        }
        Ok(None) => refuse(unauthenticated(
            "this store has users: send `Authorization: Bearer itk_…` with an API token",
        )),
        Err(e) => refuse(e),
    }
}

/// For the workflow routes (freezes, audit, users, suppressions): a token of an enabled user,
/// looked up afresh; shut while the store has no users.
pub async fn workflow(State(app): State<AppState>, mut request: Request, next: Next) -> Response {
    match app.auth.has_users(app.store.as_ref(), false).await {
        Ok(true) => {}
        Ok(false) => {
            return refuse(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "no_users",
                "this store has no users yet, so nobody may do this: add an administrator with \
                 `interdict user add NAME --role administrator`, then a token with \
                 `interdict --as NAME user token NAME`",
            ));
        }
        Err(e) => return e.into_response(),
    }
    match caller(&app, bearer(request.headers()), false).await {
        Ok(Some(caller)) => {
            request.extensions_mut().insert(caller);
            next.run(request).await
        }
        Ok(None) => refuse(unauthenticated(
            "this endpoint needs an API token: send `Authorization: Bearer itk_…`",
        )),
        Err(e) => refuse(e),
    }
}

/// For a change made from a screening route, where the caller may have come from the cache:
/// their user looked up afresh, so that a user disabled a moment ago changes nothing.
/// `anonymous` (a store without users) passes.
pub async fn still_enabled(app: &AppState, caller: &Caller) -> Result<(), Response> {
    enabled_now(app, caller).await.map_err(refuse)
}

/// [`still_enabled`], as an [`ApiError`] for handlers that answer with one.
pub async fn enabled_now(app: &AppState, caller: &Caller) -> Result<(), ApiError> {
    let Some(user) = &caller.user else {
        return Ok(());
    };
    let users = app.store.users().await.map_err(ApiError::internal)?;
    match users.iter().find(|u| u.name == user.name) {
        Some(found) if !found.disabled => Ok(()),
        _ => Err(unauthenticated(format!(
            "this token's user {} is disabled",
            user.name
        ))),
    }
}

/// A 401 with the challenge HTTP asks for.
fn refuse(error: ApiError) -> Response {
    let challenge = error.status == StatusCode::UNAUTHORIZED;
    let mut response = error.into_response();
    if challenge {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"interdict\""),
        );
    }
    response
}
