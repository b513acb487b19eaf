//! UrlSafeSerializer and UrlSafeTimedSerializer dumps/loads (compact JSON, zlib when it pays,
//! base64url) for a small dict and a 4 KiB compressible value.
// A benchmark's fixed inputs cannot fail to build; if they do, the bench is wrong and stops.
#![allow(clippy::expect_used)]

#[path = "../../sign-serde/benches/support/mod.rs"]
mod support;

use criterion::{Criterion, criterion_group, criterion_main};
use sign_url::{UrlSafeSerializer, UrlSafeTimedSerializer};

fn benches(c: &mut Criterion) {
    let plain = UrlSafeSerializer::new("secret-key").expect("serializer");
    let timed = UrlSafeTimedSerializer::new("secret-key").expect("serializer");
    support::bench_serializers(c, ("url_safe", &plain), ("url_safe_timed", &timed));
}

criterion_group!(url_benches, benches);
criterion_main!(url_benches);
