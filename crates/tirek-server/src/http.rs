//! The HTTP edge: routes, extractors and the mapping of errors to problem bodies.
//! Handlers are as thin as Tauri commands — extract, call one service function, map
//! the result — so every rule lives in a service module and is tested there.
//!
//! Every `/v1` request must carry the protocol version in the `tirek-protocol`
//! header; bodies may be gzip-compressed (`Content-Encoding: gzip`) and are read up
//! to `max_body_bytes` once decompressed; answers are gzip-compressed when the
//! client accepts it. Every request gets an `x-request-id` (kept if the client sent
//! one) that is in its tracing span and its answer; spans carry the method, path
//! and device, never a body.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{FromRequest, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use sqlx::PgPool;
use tirek_protocol::problem::PROBLEM_CONTENT_TYPE;
use tirek_protocol::{
    EnrolRequest, EnrolResponse, PROTOCOL_HEADER, ProblemKind, PullRequest, PullResponse, PushRequest, PushResponse,
    SUPPORTED, StatusResponse,
};
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::decompression::RequestDecompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

use crate::config::Config;
use crate::devices::{self, DeviceContext};
use crate::error::ServerError;
use crate::{db, pull, push};

/// What every handler may use.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The database.
    pub pool: PgPool,
    /// The configuration.
    pub config: Arc<Config>,
}

/// The whole service.
pub fn router(state: AppState) -> Router {
    let v1 = Router::new()
        .route("/v1/enrol", post(enrol))
        .route("/v1/push", post(push))
        .route("/v1/pull", post(pull))
        .route("/v1/status", get(status))
        .layer(middleware::from_fn(require_protocol));
    Router::new()
        .merge(v1)
        .route("/health", get(health))
        .route("/ready", get(ready))
        .fallback(not_found)
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
                .layer(TraceLayer::new_for_http().make_span_with(|request: &Request| {
                    let id = request.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("");
                    tracing::info_span!(
                        "request",
                        id,
                        method = %request.method(),
                        path = %request.uri().path(),
                        device = tracing::field::Empty
                    )
                }))
                .layer(PropagateRequestIdLayer::x_request_id())
                .layer(CompressionLayer::new())
                .layer(RequestDecompressionLayer::new()),
        )
        .with_state(state)
}

async fn enrol(
    State(state): State<AppState>,
    Wire(request): Wire<EnrolRequest>,
) -> Result<Json<EnrolResponse>, ServerError> {
    devices::enrol(&state.pool, request).await.map(Json)
}

async fn push(
    State(state): State<AppState>,
    device: Device,
    Wire(request): Wire<PushRequest>,
) -> Result<Json<PushResponse>, ServerError> {
    push::push(&state.pool, &state.config, &device.0, request).await.map(Json)
}

async fn pull(
    State(state): State<AppState>,
    device: Device,
    Wire(request): Wire<PullRequest>,
) -> Result<Json<PullResponse>, ServerError> {
    pull::pull(&state.pool, &state.config, &device.0, request).await.map(Json)
}

async fn status(State(state): State<AppState>, device: Device) -> Result<Json<StatusResponse>, ServerError> {
    pull::status(&state.pool, &device.0).await.map(Json)
}

/// The process is up.
async fn health() -> &'static str {
    "ok"
}

/// The process is up and its database answers.
async fn ready(State(state): State<AppState>) -> Result<&'static str, ServerError> {
    db::ping(&state.pool).await.map(|()| "ready")
}

async fn not_found() -> ServerError {
    ServerError::NotFound("this path".to_owned())
}

/// Refuses a `/v1` request without a protocol version this server accepts.
async fn require_protocol(request: Request, next: Next) -> Response {
    let value = request.headers().get(PROTOCOL_HEADER).map(|v| v.to_str().unwrap_or("?").to_owned());
    match value.as_deref().map(|v| SUPPORTED.check_header(v)) {
        Some(Ok(_)) => next.run(request).await,
        _ => ServerError::VersionUnsupported { found: value, supported: SUPPORTED }.into_response(),
    }
}

impl IntoResponse for ServerError {
    fn into_response(self) -> Response {
        let kind = self.kind();
        if matches!(kind, ProblemKind::Internal | ProblemKind::Unavailable) {
            tracing::error!(kind = kind.name(), error = %self.chain(), "request failed");
        } else {
            // The detail can quote what the device sent: the kind is enough for the log.
            tracing::info!(kind = kind.name(), "request refused");
        }
        let problem = self.problem();
        let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_vec(&problem).unwrap_or_default();
        let mut response = (status, body).into_response();
        response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_CONTENT_TYPE));
        response
    }
}

/// A JSON body of the protocol, read up to `max_body_bytes`; anything else is a
/// problem body, never axum's plain-text rejection.
#[derive(Debug)]
pub struct Wire<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for Wire<T> {
    type Rejection = ServerError;

    async fn from_request(request: Request<Body>, state: &AppState) -> Result<Self, Self::Rejection> {
        let limit = state.config.max_body_bytes;
        let bytes = axum::body::to_bytes(request.into_body(), limit).await.map_err(|err| {
            let too_long =
                std::error::Error::source(&err).is_some_and(|source| source.is::<http_body_util::LengthLimitError>());
            if too_long {
                ServerError::BatchTooLarge {
                    what: format!("more than {limit} bytes"),
                    max_changes: state.config.max_batch_changes,
                }
            } else {
                ServerError::Malformed(format!("unreadable body: {err}"))
            }
        })?;
        let bytes = if bytes.is_empty() { &b"{}"[..] } else { &bytes[..] };
        serde_json::from_slice(bytes).map(Wire).map_err(|err| ServerError::Malformed(err.to_string()))
    }
}

/// The device whose bearer token the request carries.
#[derive(Debug)]
pub struct Device(pub DeviceContext);

impl FromRequestParts<AppState> for Device {
    type Rejection = ServerError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            .ok_or(ServerError::Unauthenticated)?;
        let device = devices::authenticate(&state.pool, token.trim()).await?;
        tracing::Span::current().record("device", device.writer.device_id.as_str());
        Ok(Device(device))
    }
}
