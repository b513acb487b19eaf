//! [`Rotation`]: which key verified a cookie, through the formats' public serializers.

use sign_core::Error;

/// A serializer holding the current key alone and, when there are fallback keys, one holding
/// every key: a cookie the first rejects but the second accepts was signed with a fallback.
#[derive(Debug)]
pub(crate) struct Rotation<S> {
    current: S,
    with_fallbacks: Option<S>,
}

impl<S> Rotation<S> {
    pub(crate) const fn new(current: S, with_fallbacks: Option<S>) -> Self {
        Self {
            current,
            with_fallbacks,
        }
    }

    /// The serializer that signs.
    pub(crate) const fn current(&self) -> &S {
        &self.current
    }

    /// `load` with the current key, then with every key; true when a fallback verified it.
    ///
    /// Only a signature no current key made can be a fallback's: an expired or undecodable
    /// cookie signed with the current key stays what it is, without a second try.
    pub(crate) fn open<T>(
        &self,
        load: impl Fn(&S) -> Result<T, Error>,
    ) -> Result<(T, bool), Error> {
        match load(&self.current) {
            Ok(value) => Ok((value, false)),
            Err(error) if error.is_bad_signature() && !error.is_expired() => {
                match &self.with_fallbacks {
                    Some(all) => load(all).map(|value| (value, true)),
                    None => Err(error),
                }
            }
            Err(error) => Err(error),
        }
    }
}
