//! Signer sign/unsign against a floor: precomputed-key HMAC plus base64 of the tag, written
//! directly with the hmac and base64 crates.

use std::hint::black_box;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use hmac::{Hmac, KeyInit, Mac};
use sign_core::{DigestMethod, Signer};

const SIZES: [usize; 3] = [16, 100, 4096];

fn floor<M: Mac + KeyInit + Clone>(c: &mut Criterion, name: &str, key: &[u8]) {
    let mut group = c.benchmark_group(format!("floor/{name}"));
    let mac = <M as KeyInit>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    for size in SIZES {
        let value = vec![b'x'; size];
        group.throughput(Throughput::Bytes(size as u64));
        group.bench_with_input(BenchmarkId::new("sign", size), &value, |b, value| {
            b.iter(|| {
                let mut m = mac.clone();
                m.update(black_box(value));
                let tag = m.finalize().into_bytes();
                let mut out = Vec::with_capacity(value.len() + 1 + 86);
                out.extend_from_slice(value);
                out.push(b'.');
                let mut buf = [0u8; 86];
                let n = URL_SAFE_NO_PAD.encode_slice(tag, &mut buf).unwrap_or(0);
                out.extend_from_slice(buf.get(..n).unwrap_or_default());
                out
            });
        });
        let mut m = mac.clone();
        m.update(&value);
        let tag = URL_SAFE_NO_PAD.encode(m.finalize().into_bytes());
        group.bench_with_input(BenchmarkId::new("unsign", size), &value, |b, value| {
            b.iter(|| {
                let mut raw = [0u8; 64];
                let n = URL_SAFE_NO_PAD
                    .decode_slice(black_box(tag.as_bytes()), &mut raw)
                    .unwrap_or(0);
                let mut m = mac.clone();
                m.update(black_box(value));
                m.verify_slice(raw.get(..n).unwrap_or_default()).is_ok()
            });
        });
    }
    group.finish();
}

fn signer(c: &mut Criterion, digest: DigestMethod) {
    let signer = Signer::builder()
        .key("secret-key")
        .digest(digest)
        .build()
        .unwrap_or_else(|_| unreachable!());
    let mut group = c.benchmark_group(format!("signer/{digest}"));
    for size in SIZES {
        let value = vec![b'x'; size];
        let token = signer.sign(&value);
        group.throughput(Throughput::Bytes(size as u64));
        group.bench_with_input(BenchmarkId::new("sign", size), &value, |b, value| {
            b.iter(|| signer.sign(black_box(value)));
        });
        group.bench_with_input(BenchmarkId::new("unsign", size), &token, |b, token| {
            b.iter(|| signer.unsign(black_box(token)).is_ok());
        });
    }
    group.finish();
}

fn benches(c: &mut Criterion) {
    let sha1 = Signer::new("secret-key").unwrap_or_else(|_| unreachable!());
    let sha256 = Signer::builder()
        .key("secret-key")
        .digest(DigestMethod::Sha256)
        .build()
        .unwrap_or_else(|_| unreachable!());
    floor::<Hmac<sha1::Sha1>>(c, "sha1", sha1.derive_key().expose_secret());
    floor::<Hmac<sha2::Sha256>>(c, "sha256", sha256.derive_key().expose_secret());
    signer(c, DigestMethod::Sha1);
    signer(c, DigestMethod::Sha256);
}

criterion_group!(signer_benches, benches);
criterion_main!(signer_benches);
