//! Users and their API tokens over HTTP: what `interdict user` does, for administrators
//! (and for anyone, their own tokens).

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Extension, Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use interdict_store::User;
use serde::Deserialize;
use serde_json::{Value, json};

use super::api::AppState;
use super::auth::{Caller, role_name};
use super::error::ApiError;
use super::request::json_body;
use crate::users::{self, Role};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewUserBody {
    name: String,
    /// `analyst`, `supervisor` or `administrator`.
    role: String,
    #[serde(default)]
    agency: String,
    /// 12 characters or more; kept only as its argon2 hash.
    password: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenBody {
    #[serde(default)]
    label: String,
}

/// `GET /me`: who the token belongs to.
pub async fn me(Extension(caller): Extension<Caller>) -> Result<Json<Value>, ApiError> {
    let Some(user) = caller.user else {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "this endpoint needs an API token",
        ));
    };
    Ok(Json(json!(user)))
}

/// `GET /users`: every user, by name (never a password hash).
pub async fn list(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<Value>, ApiError> {
    caller.need(Role::Administrator)?;
    let users = app.store.users().await.map_err(ApiError::from_store)?;
    Ok(Json(json!({ "users": users })))
}

/// `POST /users`: an administrator adds a user.
pub async fn add(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    body: Result<Bytes, BytesRejection>,
) -> Result<impl IntoResponse, ApiError> {
    caller.need(Role::Administrator)?;
    let body: NewUserBody = json_body(body)?;
    if Role::of(&body.role).is_none() {
        let roles = [Role::Analyst, Role::Supervisor, Role::Administrator].map(role_name);
        return Err(ApiError::invalid(format!(
            "role: {:?} is not one of {}",
            body.role,
            roles.join(", ")
        )));
    }
    // argon2 is slow on purpose: off the reactor.
    let password = body.password;
    let hash = tokio::task::spawn_blocking(move || users::hash_password(&password))
        .await
        .map_err(ApiError::internal)?
        .map_err(|e| ApiError::invalid(format!("password: {e}")))?;
    let stored = caller
        .store(&app)
        .add_user(&User {
            name: body.name,
            role: body.role,
            agency: body.agency,
            password_hash: hash,
            created_at: String::new(),
            disabled: false,
        })
        .await
        .map_err(ApiError::from_store)?;
    Ok((StatusCode::CREATED, Json(json!(stored))))
}

/// `POST /users/{name}/tokens`: a new API token, shown this once. An administrator issues
/// them for anyone; every user for themself.
pub async fn add_token(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(name): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<impl IntoResponse, ApiError> {
    if caller.name != name {
        caller.need(Role::Administrator)?;
    }
    // The body is optional: without one, the token has no label.
    let body: TokenBody = match &body {
        Ok(bytes) if bytes.iter().all(u8::is_ascii_whitespace) => TokenBody::default(),
        _ => json_body(body)?,
    };
    if body.label.chars().count() > 200 {
        return Err(ApiError::invalid("label: at most 200 characters"));
    }
    let token = users::new_token();
    caller
        .store(&app)
        .add_token(&name, &users::token_hash(&token), &body.label)
        .await
        .map_err(ApiError::from_store)?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "user": name, "label": body.label, "token": token })),
    ))
}
