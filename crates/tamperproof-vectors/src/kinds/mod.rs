//! The kind registry: every `kind` a vector file may name, with how to build its signer or
//! serializer from a case's parameters, verify a token and sign a payload.
//!
//! One module per family of kinds; each lists its kinds in a `KINDS` slice, and `FAMILIES`
//! registers the slices. Adding a family is one module, its [`Family`] variant and one line
//! of `FAMILIES`. The
//! mapping from parameters to builder methods is written once, in [`settings`], and shared
//! with the command-line tool.

mod django;
mod fields;
mod flask;
mod itsdangerous;
mod jws;
pub mod settings;
mod starlette;

use crate::outcome::Outcome;
use crate::vector_file::Case;

/// Which group of kinds a kind belongs to: kinds of one family share their token layout
/// and how random cases of them are made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Family {
    /// itsdangerous 2.2's signers and serializers.
    Itsdangerous,
    /// itsdangerous 2.0.1's JSON Web Signature serializers.
    Jws,
    /// Flask's session cookies.
    Flask,
    /// Django 5.2's signers, `signing.dumps`, signed cookies and signed-cookie sessions
    /// (separator `:`, base62 times).
    Django,
    /// Starlette's session cookies.
    Starlette,
}

/// What a case's `payload` holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Payload {
    /// A byte string in vector form (the signer kinds).
    Bytes,
    /// Any JSON value.
    Json,
}

/// One kind: what it is and how to run a case of it.
#[derive(Clone, Copy, Debug)]
pub struct Kind {
    /// The `kind` field of its cases.
    pub name: &'static str,
    /// Its family.
    pub family: Family,
    /// The pinned Python environment whose packages make its cases (`target/venv/<name>`).
    pub python_env: &'static str,
    /// What its payloads are.
    pub payload: Payload,
    /// Whether its cases carry a signing time (`timestamp`) and a verification time (`now`).
    pub timed: bool,
    /// Whether a payload that zlib shrinks is compressed (marked with a leading `.`); such
    /// tokens verify everywhere but need not be byte-identical between implementations.
    pub zlib: bool,
    /// Verifies `case.token` at `case.now` (with `case.max_age`). `Err` when the case cannot
    /// be run at all: a parameter the kind does not take, a configuration the crate refuses.
    pub verify: fn(&Case) -> Result<Outcome, String>,
    /// Signs `case.payload` at `case.timestamp` and returns the token. `Err` when the case
    /// cannot be run or signing fails.
    pub sign: fn(&Case) -> Result<Vec<u8>, String>,
}

/// Every family's kinds.
const FAMILIES: &[&[Kind]] = &[
    itsdangerous::KINDS,
    jws::KINDS,
    flask::KINDS,
    django::KINDS,
    starlette::KINDS,
];

/// Every registered kind, family by family.
pub fn all() -> impl Iterator<Item = &'static Kind> {
    FAMILIES.iter().flat_map(|family| family.iter())
}

/// The names of every registered kind.
#[must_use]
pub fn names() -> Vec<&'static str> {
    all().map(|kind| kind.name).collect()
}

/// The kind called `name`.
///
/// # Errors
/// `unknown kind` for a name nothing registers.
pub fn find(name: &str) -> Result<&'static Kind, String> {
    all()
        .find(|kind| kind.name == name)
        .ok_or_else(|| format!("unknown kind {name:?} (known: {})", names().join(", ")))
}

#[cfg(test)]
mod tests {
    use super::{all, find, names};

    #[test]
    fn names_are_unique_and_found() {
        let names = names();
        for name in &names {
            assert_eq!(find(name).map(|kind| kind.name), Ok(*name));
            assert_eq!(names.iter().filter(|other| *other == name).count(), 1);
        }
        assert!(find("no_such_kind").is_err());
        assert!(all().count() >= 9);
    }
}
