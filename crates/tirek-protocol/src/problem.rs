//! The body of every refused request: an RFC 9457 problem (`type`, `title`,
//! `status`, `detail`) with a stable `kind` that the app translates — it never
//! parses `title` or `detail`, which are English for logs and support — and the
//! few facts a client needs to recover (the supported versions, the server's clock,
//! the high-water mark to resume from).

use serde::{Deserialize, Serialize};

use crate::version::VersionRange;

/// The media type of a problem body.
pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";

/// What went wrong with a whole request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// The request's protocol version is outside the range the server accepts.
    VersionUnsupported,
    /// The app is older than the organisation asks for (`minimum_app`), though it
    /// speaks the protocol: it is to be updated before it syncs again.
    UpdateRequired,
    /// No bearer token, or one the server does not know.
    Unauthenticated,
    /// The device was revoked by an administrator, or its user disabled.
    DeviceRevoked,
    /// The enrolment code is unknown, used or expired.
    EnrolmentCodeInvalid,
    /// The device id is already enrolled.
    DeviceAlreadyEnrolled,
    /// A change's clock is too far ahead of the server's.
    ClockSkew,
    /// More changes or bytes than one batch may hold.
    BatchTooLarge,
    /// A body or header that cannot be read.
    MalformedRequest,
    /// The batch does not continue the device's sequence: resume from `acknowledged`.
    SequenceGap,
    /// The cursor belongs to another epoch: the server was restored.
    EpochChanged,
    /// A change sent again differs from the one the server stored under the same
    /// device and sequence number: the profile was restored from an older backup or
    /// copied to another computer, and two histories now share one device's name.
    DeviceDiverged,
    /// The caller may not do this.
    Forbidden,
    /// No such resource.
    NotFound,
    /// Too many requests from this device or address: wait `Retry-After` seconds.
    RateLimited,
    /// The request's body came too slowly and was cut off.
    RequestTimeout,
    /// The server cannot answer now (database down); try again later.
    Unavailable,
    /// A fault on the server.
    Internal,
    /// A kind this build does not know, from a newer server: the app shows a
    /// general message rather than failing to read the answer.
    #[serde(other)]
    Other,
}

impl ProblemKind {
    /// Every kind, for tests and documentation.
    pub const ALL: [ProblemKind; 19] = [
        Self::VersionUnsupported,
        Self::UpdateRequired,
        Self::Unauthenticated,
        Self::DeviceRevoked,
        Self::EnrolmentCodeInvalid,
        Self::DeviceAlreadyEnrolled,
        Self::ClockSkew,
        Self::BatchTooLarge,
        Self::MalformedRequest,
        Self::SequenceGap,
        Self::EpochChanged,
        Self::DeviceDiverged,
        Self::Forbidden,
        Self::NotFound,
        Self::RateLimited,
        Self::RequestTimeout,
        Self::Unavailable,
        Self::Internal,
        Self::Other,
    ];

    /// Its HTTP status.
    pub fn status(self) -> u16 {
        match self {
            Self::VersionUnsupported | Self::MalformedRequest => 400,
            Self::Unauthenticated => 401,
            Self::DeviceRevoked | Self::EnrolmentCodeInvalid | Self::Forbidden => 403,
            Self::NotFound => 404,
            Self::RequestTimeout => 408,
            Self::UpdateRequired => 426,
            Self::RateLimited => 429,
            Self::DeviceAlreadyEnrolled | Self::SequenceGap | Self::EpochChanged | Self::DeviceDiverged => 409,
            Self::BatchTooLarge => 413,
            Self::ClockSkew => 422,
            Self::Internal | Self::Other => 500,
            Self::Unavailable => 503,
        }
    }

    /// Its short English title.
    pub fn title(self) -> &'static str {
        match self {
            Self::VersionUnsupported => "protocol version not supported",
            Self::UpdateRequired => "app too old: update it",
            Self::Unauthenticated => "not authenticated",
            Self::DeviceRevoked => "device revoked",
            Self::EnrolmentCodeInvalid => "enrolment code invalid, used or expired",
            Self::DeviceAlreadyEnrolled => "device already enrolled",
            Self::ClockSkew => "device clock too far ahead",
            Self::BatchTooLarge => "batch too large",
            Self::MalformedRequest => "malformed request",
            Self::SequenceGap => "batch does not continue the device's sequence",
            Self::EpochChanged => "server restored: start again",
            Self::DeviceDiverged => "the device's changes differ from those stored under its name",
            Self::Forbidden => "forbidden",
            Self::NotFound => "not found",
            Self::RateLimited => "too many requests: try again later",
            Self::RequestTimeout => "request body too slow",
            Self::Unavailable => "service unavailable",
            Self::Internal => "internal error",
            Self::Other => "unexpected problem",
        }
    }

    /// Its name in the `kind` member, e.g. `device_revoked`.
    pub fn name(self) -> &'static str {
        match self {
            Self::VersionUnsupported => "version_unsupported",
            Self::UpdateRequired => "update_required",
            Self::Unauthenticated => "unauthenticated",
            Self::DeviceRevoked => "device_revoked",
            Self::EnrolmentCodeInvalid => "enrolment_code_invalid",
            Self::DeviceAlreadyEnrolled => "device_already_enrolled",
            Self::ClockSkew => "clock_skew",
            Self::BatchTooLarge => "batch_too_large",
            Self::MalformedRequest => "malformed_request",
            Self::SequenceGap => "sequence_gap",
            Self::EpochChanged => "epoch_changed",
            Self::DeviceDiverged => "device_diverged",
            Self::Forbidden => "forbidden",
            Self::NotFound => "not_found",
            Self::RateLimited => "rate_limited",
            Self::RequestTimeout => "request_timeout",
            Self::Unavailable => "unavailable",
            Self::Internal => "internal",
            Self::Other => "other",
        }
    }
}

/// An RFC 9457 problem body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// A URI naming the problem type: `urn:tirek:problem:<kind>`.
    #[serde(rename = "type")]
    pub type_uri: String,
    /// A short English title.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// The stable kind the app translates.
    pub kind: ProblemKind,
    /// More, in English, for logs and support.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// With `version_unsupported`: the versions the server accepts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supported: Option<VersionRange>,
    /// With `update_required`: the oldest app version the server syncs with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum_app: Option<String>,
    /// With `clock_skew`: the server's clock, Unix milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_time_ms: Option<i64>,
    /// With `sequence_gap`: the device's high-water mark on the server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acknowledged: Option<i64>,
    /// With `batch_too_large`: the most changes a batch may hold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_changes: Option<u32>,
    /// With `epoch_changed`: the server's epoch now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub epoch: Option<String>,
    /// With `rate_limited`: the seconds to wait, as in the `Retry-After` header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
}

impl Problem {
    /// A problem of `kind` with nothing more said.
    pub fn new(kind: ProblemKind) -> Self {
        Self {
            type_uri: format!("urn:tirek:problem:{}", kind.name()),
            title: kind.title().to_owned(),
            status: kind.status(),
            kind,
            detail: None,
            supported: None,
            minimum_app: None,
            server_time_ms: None,
            acknowledged: None,
            max_changes: None,
            epoch: None,
            retry_after: None,
        }
    }

    /// The same with `detail`.
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_reads_as_rfc_9457_with_a_kind() {
        let mut problem = Problem::new(ProblemKind::VersionUnsupported).with_detail("version 9 requested");
        problem.supported = Some(VersionRange { min: 1, max: 2 });
        let json = serde_json::to_value(&problem).expect("serialises");
        assert_eq!(
            json,
            serde_json::json!({
                "type": "urn:tirek:problem:version_unsupported",
                "title": "protocol version not supported",
                "status": 400,
                "kind": "version_unsupported",
                "detail": "version 9 requested",
                "supported": {"min": 1, "max": 2},
            })
        );
        assert_eq!(serde_json::from_value::<Problem>(json).expect("parses"), problem);
    }

    #[test]
    fn every_kind_has_a_matching_name_and_an_error_status() {
        for kind in ProblemKind::ALL {
            let json = serde_json::to_value(kind).expect("serialises");
            assert_eq!(json.as_str(), Some(kind.name()));
            assert!((400..600).contains(&kind.status()), "{kind:?}");
            assert!(!kind.title().is_empty());
        }
    }

    #[test]
    fn an_unknown_kind_from_a_newer_server_still_reads() {
        let json = r#"{"type":"urn:tirek:problem:x","title":"x","status":400,"kind":"something_new"}"#;
        assert_eq!(serde_json::from_str::<Problem>(json).expect("parses").kind, ProblemKind::Other);
    }
}
