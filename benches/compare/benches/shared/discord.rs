//! The discord `itsdangerous` crate's URL-safe timed serializer as the benches build it
//! (salt `itsdangerous`, the defaults otherwise: what Python's `URLSafeTimedSerializer`
//! uses), shared by `compare.rs` and `profile.rs`.

use itsdangerous::{
    IntoTimestampSigner, TimedSerializer, URLSafeEncoding, default_builder,
    timed_serializer_with_signer,
};
use tamperproof_bench_compare::KEY;

/// The discord crate's URL-safe timed serializer under the benches' key.
pub(crate) fn url_safe_timed() -> impl TimedSerializer {
    timed_serializer_with_signer(
        default_builder(KEY)
            .with_salt("itsdangerous")
            .build()
            .into_timestamp_signer(),
        URLSafeEncoding,
    )
}
