//! The [`json!`](crate::json!) macro.

/// Builds a [`Value`](crate::Value) from JSON-like syntax, keeping object keys in the order
/// written (unlike serde_json's `json!` with its default sorted map).
///
/// Keys are string literals; values are `null`, `true`, `false`, nested `[...]` / `{...}`, or
/// any `Serialize` expression, taken by reference ([`to_value`](crate::to_value)); one that
/// cannot be written (a NaN float, say) becomes `null`, as with serde_json's `json!`.
///
/// ```
/// let value = python_json::json!({"b": 1, "a": [true, null, "x", 2.5]});
/// assert_eq!(value.to_string(), r#"{"b":1,"a":[true,null,"x",2.5]}"#);
/// ```
#[macro_export]
macro_rules! json {
    (null) => { $crate::Value::Null };
    (true) => { $crate::Value::Bool(true) };
    (false) => { $crate::Value::Bool(false) };
    ([]) => { $crate::Value::Array(::std::vec::Vec::new()) };
    ([ $($tt:tt)+ ]) => { $crate::Value::Array($crate::json!(@array [] $($tt)+)) };
    ({}) => { $crate::Value::Object($crate::Map::new()) };
    ({ $($tt:tt)+ }) => {{
        let mut map = $crate::Map::new();
        $crate::json!(@object map $($tt)+);
        $crate::Value::Object(map)
    }};
    ($other:expr) => { $crate::to_value(&$other).unwrap_or($crate::Value::Null) };

    // Arrays: munch one element at a time.
    (@array [$($done:expr,)*]) => { ::std::vec![$($done,)*] };
    (@array [$($done:expr,)*] null $(, $($rest:tt)*)?) => {
        $crate::json!(@array [$($done,)* $crate::json!(null),] $($($rest)*)?)
    };
    (@array [$($done:expr,)*] true $(, $($rest:tt)*)?) => {
        $crate::json!(@array [$($done,)* $crate::json!(true),] $($($rest)*)?)
    };
    (@array [$($done:expr,)*] false $(, $($rest:tt)*)?) => {
        $crate::json!(@array [$($done,)* $crate::json!(false),] $($($rest)*)?)
    };
    (@array [$($done:expr,)*] [$($inner:tt)*] $(, $($rest:tt)*)?) => {
        $crate::json!(@array [$($done,)* $crate::json!([$($inner)*]),] $($($rest)*)?)
    };
    (@array [$($done:expr,)*] {$($inner:tt)*} $(, $($rest:tt)*)?) => {
        $crate::json!(@array [$($done,)* $crate::json!({$($inner)*}),] $($($rest)*)?)
    };
    (@array [$($done:expr,)*] $next:expr $(, $($rest:tt)*)?) => {
        $crate::json!(@array [$($done,)* $crate::json!($next),] $($($rest)*)?)
    };

    // Objects: one `key: value` entry at a time.
    (@object $map:ident) => {};
    (@object $map:ident $key:literal : null $(, $($rest:tt)*)?) => {
        $map.insert(::std::string::String::from($key), $crate::json!(null));
        $crate::json!(@object $map $($($rest)*)?);
    };
    (@object $map:ident $key:literal : true $(, $($rest:tt)*)?) => {
        $map.insert(::std::string::String::from($key), $crate::json!(true));
        $crate::json!(@object $map $($($rest)*)?);
    };
    (@object $map:ident $key:literal : false $(, $($rest:tt)*)?) => {
        $map.insert(::std::string::String::from($key), $crate::json!(false));
        $crate::json!(@object $map $($($rest)*)?);
    };
    (@object $map:ident $key:literal : [$($inner:tt)*] $(, $($rest:tt)*)?) => {
        $map.insert(::std::string::String::from($key), $crate::json!([$($inner)*]));
        $crate::json!(@object $map $($($rest)*)?);
    };
    (@object $map:ident $key:literal : {$($inner:tt)*} $(, $($rest:tt)*)?) => {
        $map.insert(::std::string::String::from($key), $crate::json!({$($inner)*}));
        $crate::json!(@object $map $($($rest)*)?);
    };
    (@object $map:ident $key:literal : $value:expr $(, $($rest:tt)*)?) => {
        $map.insert(::std::string::String::from($key), $crate::json!($value));
        $crate::json!(@object $map $($($rest)*)?);
    };
}
