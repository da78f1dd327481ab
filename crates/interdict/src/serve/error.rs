//! The one shape every HTTP error takes: `{"status", "code", "message"}`, where `code` is
//! stable for programs to branch on and `message` says what to fix, for people.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub fn not_found(code: &'static str, message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::NOT_FOUND, code, message)
    }

    pub fn no_entity(id: &str) -> Self {
        ApiError::not_found(
            "entity_not_found",
            format!("no entity {id:?} in the store (ids look like ofac-6861 or un-QDi.001)"),
        )
    }

    pub fn not_ready() -> Self {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "not_ready",
            "the screening index is still being built; retry shortly (see /readyz)",
        )
    }

    /// An unexpected failure: logged in full, reported without internals.
    pub fn internal(error: impl std::fmt::Display) -> Self {
        tracing::error!(%error, "request failed");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the server failed to answer; the failure is logged",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({
            "status": self.status.as_u16(),
            "code": self.code,
            "message": self.message,
        });
        (self.status, Json(body)).into_response()
    }
}

impl ApiError {
    /// A store's refusal as HTTP: `Conflict` (someone acted first, or the same person may not
    /// take both steps) is 409, `NotFound` 404, `Invalid` 422, each with the store's message;
    /// anything else is an internal failure.
    pub fn from_store(error: interdict_store::StoreError) -> Self {
        use interdict_store::StoreError;
        match error {
            StoreError::Conflict(message) => {
                ApiError::new(StatusCode::CONFLICT, "conflict", message)
            }
            StoreError::NotFound { kind, id } => {
                let code = match kind {
                    "freeze" => "freeze_not_found",
                    "user" => "user_not_found",
                    "alert" => "alert_not_found",
                    "case" => "case_not_found",
                    "tip contact" => "contact_not_found",
                    _ => "not_found",
                };
                ApiError::not_found(code, format!("no such {kind}: {id}"))
            }
            StoreError::Invalid(message) => ApiError::invalid(message),
            other => ApiError::internal(other),
        }
    }

    /// 422 `invalid`: the request was read, but what it asks for is refused as it stands.
    pub fn invalid(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", message)
    }
}
