//! The HTTP edge: routes, extractors and the mapping of errors to problem bodies.
//! Handlers are as thin as Tauri commands — extract, call one service function, map
//! the result — so every rule lives in a service module and is tested there.
//!
//! Every `/v1` request must carry the protocol version in the `tirek-protocol`
//! header; bodies may be gzip-compressed (`Content-Encoding: gzip`) and are read up
//! to `max_body_bytes` both as sent (a `Content-Length` above it is refused before
//! a byte of the body is read) and once decompressed (a gzip bomb stops there),
//! within `body_timeout_seconds`; answers are gzip-compressed when the client
//! accepts it. Each `/v1` request spends a token of its address's bucket, and each
//! authenticated one a token of its device's ([`crate::limits`]): over the limit,
//! 429 `rate_limited` with `Retry-After`. Every request gets an `x-request-id` (kept if the client sent
//! one) that is in its tracing span and its answer; spans carry the method, path
//! and device, never a body.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request, State};
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
    APP_VERSION_HEADER, AppVersion, EnrolRequest, EnrolResponse, PROTOCOL_HEADER, ProblemKind, PullRequest,
    PullResponse, PushRequest, PushResponse, StatusResponse, VersionRange,
};
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::decompression::RequestDecompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

use crate::config::Config;
use crate::devices::{self, DeviceContext};
use crate::error::ServerError;
use crate::limits::{self, Limiter, Rate};
use crate::{db, pull, push};

/// What every handler may use.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The database.
    pub pool: PgPool,
    /// The configuration.
    pub config: Arc<Config>,
    /// The rate limits' buckets.
    pub limits: Arc<Limits>,
    /// The protocol versions accepted: [`tirek_protocol::SUPPORTED`], unless a test plays a server
    /// of another generation ([`crate::Server::accept_versions`]).
    pub supported: VersionRange,
    /// The public half of the USB bundles' key (64 hex digits), if one is configured.
    pub bundle_key: Option<String>,
}

/// The rate limiters of this process.
#[derive(Debug)]
pub struct Limits {
    /// Per device, by its id once its token is proven.
    pub device: Limiter<String>,
    /// Per client address.
    pub address: Limiter<IpAddr>,
}

impl Limits {
    /// The limiters `config` asks for.
    pub fn new(config: &Config) -> Self {
        Self {
            device: Limiter::new(Rate { per_minute: config.device_requests_per_minute, burst: config.device_burst }),
            address: Limiter::new(Rate { per_minute: config.address_requests_per_minute, burst: config.address_burst }),
        }
    }
}

/// The whole service.
pub fn router(state: AppState) -> Router {
    let v1 = Router::new()
        .route("/v1/enrol", post(enrol))
        .route("/v1/push", post(push))
        .route("/v1/pull", post(pull))
        .route("/v1/status", get(status))
        .layer(middleware::from_fn_with_state(state.clone(), require_protocol))
        .layer(middleware::from_fn_with_state(state.clone(), limit_address));
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
                .layer(middleware::from_fn_with_state(state.clone(), limit_body_as_sent))
                .layer(RequestDecompressionLayer::new()),
        )
        .with_state(state)
}

async fn enrol(
    State(state): State<AppState>,
    Wire(request): Wire<EnrolRequest>,
) -> Result<Json<EnrolResponse>, ServerError> {
    let mut enrolled = devices::enrol(&state.pool, request).await?;
    enrolled.supported = state.supported;
    enrolled.bundle_key = state.bundle_key.clone();
    Ok(Json(enrolled))
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
    let mut status = pull::status(&state.pool, &device.0).await?;
    status.supported = state.supported;
    status.bundle_key = state.bundle_key.clone();
    Ok(Json(status))
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

/// Spends a token of the client address's bucket, or refuses with 429.
async fn limit_address(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if let Some(ConnectInfo(peer)) = request.extensions().get::<ConnectInfo<SocketAddr>>()
        && let Err(wait) = state.limits.address.check(&limits::address_key(peer.ip()), Instant::now())
    {
        return ServerError::RateLimited { who: "this address", retry_after: limits::retry_after_seconds(wait) }
            .into_response();
    }
    next.run(request).await
}

/// Refuses a body whose `Content-Length` is over `max_body_bytes` before reading
/// it, and cuts one sent without a length when it grows past that — before it is
/// decompressed, so a huge compressed body is never inflated at all.
async fn limit_body_as_sent(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let limit = state.config.max_body_bytes;
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return body_too_large(&state.config).into_response();
    }
    next.run(request.map(|body| Body::new(http_body_util::Limited::new(body, limit)))).await
}

fn body_too_large(config: &Config) -> ServerError {
    ServerError::BatchTooLarge {
        what: format!("more than {} bytes", config.max_body_bytes),
        max_changes: config.max_batch_changes,
    }
}

/// Whether a body error is, at any depth, a length limit being reached: the
/// decompressor wraps the error of the body it reads in an I/O error.
fn is_length_limit(err: &(dyn std::error::Error + 'static)) -> bool {
    let mut current = Some(err);
    while let Some(err) = current {
        if err.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        if let Some(inner) = err.downcast_ref::<std::io::Error>().and_then(|io| io.get_ref())
            && is_length_limit(inner)
        {
            return true;
        }
        current = err.source();
    }
    false
}

/// Refuses a `/v1` request without a protocol version this server accepts, or from
/// an app older than the organisation's `min_app_version` (an app that does not say
/// its version is taken for an older one).
async fn require_protocol(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let value = header_text(&request, PROTOCOL_HEADER);
    if !matches!(value.as_deref().map(|v| state.supported.check_header(v)), Some(Ok(_))) {
        return ServerError::VersionUnsupported { found: value, supported: state.supported }.into_response();
    }
    if let Some(minimum) = state.config.min_app_version() {
        let found = header_text(&request, APP_VERSION_HEADER);
        let version = found.as_deref().and_then(|v| v.parse::<AppVersion>().ok());
        if version.is_none_or(|version| version < minimum) {
            return ServerError::UpdateRequired { found, minimum: minimum.to_string() }.into_response();
        }
    }
    next.run(request).await
}

/// A request header's value as text (`?` where it is not).
fn header_text(request: &Request, name: &str) -> Option<String> {
    request.headers().get(name).map(|v| v.to_str().unwrap_or("?").to_owned())
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
        if let Some(seconds) = problem.retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
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
        let config = &state.config;
        let read = axum::body::to_bytes(request.into_body(), config.max_body_bytes);
        let seconds = config.body_timeout_seconds;
        let bytes = tokio::time::timeout(Duration::from_secs(seconds), read)
            .await
            .map_err(|_| ServerError::BodyTimeout { seconds })?
            .map_err(|err| {
                if is_length_limit(&err) {
                    body_too_large(config)
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
        if let Err(wait) = state.limits.device.check(&device.writer.device_id, Instant::now()) {
            let retry_after = limits::retry_after_seconds(wait);
            return Err(ServerError::RateLimited { who: "this device", retry_after });
        }
        Ok(Device(device))
    }
}
