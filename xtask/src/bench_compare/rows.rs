//! The benchmarks compared in each table: our criterion name (which is also the Python
//! name) and the names of the floor and the discord crate's counterpart, where they exist.

/// Signer and TimestampSigner payload sizes.
const SIZES: [u32; 3] = [16, 100, 4096];

/// Serializer values: the small dict, the password-reset dict, the 4 KiB compressible value.
const VALUES: [&str; 3] = ["small", "reset", "4k"];

/// Values the discord crate is compared on (it has no zlib, so not the 4 KiB one).
const DISCORD_VALUES: [&str; 2] = ["small", "reset"];

/// The zlib implementations, as the zlib bench names them, and what each is.
pub(super) const ZLIB_BACKENDS: [(&str, &str); 4] = [
    ("tamperproof", "tamperproof-zlib (default)"),
    ("zlib-rs", "zlib-rs"),
    ("c-zlib", "C zlib (feature `c-zlib`)"),
    ("miniz", "miniz_oxide"),
];

/// The zlib bench's operations: `zlib/<backend>/<op>`.
pub(super) const ZLIB_OPS: [&str; 10] = [
    "compress/small",
    "compress/reset",
    "compress_if_at_most/small",
    "compress_if_at_most/reset",
    "compress/login_cart",
    "compress/4k",
    "inflate/small",
    "inflate/reset",
    "inflate/login_cart",
    "inflate/4k",
];

/// One table row: our benchmark and the names of what it is compared with.
pub(super) struct Row {
    pub(super) ours: String,
    pub(super) floor: Option<String>,
    pub(super) discord: Option<String>,
}

impl Row {
    fn new(ours: impl Into<String>) -> Self {
        Self {
            ours: ours.into(),
            floor: None,
            discord: None,
        }
    }
}

pub(super) fn signer_rows() -> Vec<Row> {
    let mut rows = Vec::new();
    for digest in ["sha1", "sha256"] {
        for op in ["sign", "unsign"] {
            for size in SIZES {
                let mut row = Row::new(format!("signer/{digest}/{op}/{size}"));
                row.floor = Some(format!("floor/{digest}/{op}/{size}"));
                if digest == "sha1" {
                    row.discord = Some(format!("discord/signer/{op}/{size}"));
                }
                rows.push(row);
            }
        }
    }
    rows
}

pub(super) fn timestamp_rows() -> Vec<Row> {
    let mut rows = Vec::new();
    for op in ["sign", "unsign_max_age"] {
        for size in SIZES {
            let mut row = Row::new(format!("timestamp/{op}/{size}"));
            row.discord = Some(format!("discord/timestamp/{op}/{size}"));
            rows.push(row);
        }
    }
    rows
}

pub(super) fn serializer_rows() -> Vec<Row> {
    let mut rows = Vec::new();
    for (group, load) in [
        ("serializer", "loads"),
        ("timed_serializer", "loads_max_age"),
        ("url_safe", "loads"),
        ("url_safe_timed", "loads_max_age"),
    ] {
        for op in ["dumps", load] {
            for value in VALUES {
                let mut row = Row::new(format!("{group}/{op}/{value}"));
                if group == "url_safe_timed" && DISCORD_VALUES.contains(&value) {
                    row.discord = Some(format!("discord/{group}/{op}/{value}"));
                }
                rows.push(row);
            }
        }
    }
    rows
}

pub(super) fn other_rows() -> Vec<Row> {
    [
        "flask/verify/session",
        "flask/dumps/session",
        "flask/verify/login_cart",
        "flask/dumps/login_cart",
        "jws/loads/small",
        "jws/dumps/small",
        "timed_jws/loads/small",
    ]
    .into_iter()
    .map(Row::new)
    .collect()
}

/// Django (signed-cookie session, `signing.dumps`/`loads`, a signed cookie) and Starlette
/// (`SessionMiddleware` cookie): the benches of sign-django and sign-starlette.
pub(super) fn framework_rows() -> Vec<Row> {
    [
        "django/session/loads",
        "django/session/dumps",
        "django/signing/loads_max_age/small",
        "django/signing/dumps/small",
        "django/cookie/unsign_max_age",
        "django/cookie/sign",
        "starlette/session/loads",
        "starlette/session/dumps",
    ]
    .into_iter()
    .map(Row::new)
    .collect()
}
