#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

mod codec;
pub mod dangerous;
mod de;
mod direct;
mod error;
mod hand_over;
mod ser;
mod session;
mod types;
mod untagging;
mod value;

pub use codec::{SessionCodec, TaggedJsonCodec};
pub use de::from_session_value;
pub use error::TagError;
pub use ser::to_session_value;
pub use session::{
    DEFAULT_MAX_AGE, DEFAULT_SALT, SessionSerializer, session_builder, session_serializer,
};
pub use types::{HttpDate, Markup, Uuid};
pub use value::{
    Session, SessionValue, TAG_BYTES, TAG_DATETIME, TAG_DICT, TAG_KEYS, TAG_MARKUP, TAG_TUPLE,
    TAG_UUID,
};
