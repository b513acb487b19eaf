//! The reader against Python 3.11.7's `json.loads` (each expectation below is what
//! `json.dumps(json.loads(text))` printed, or the exception it raised).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use python_json::{Dialect, Value};

fn redump(text: &str) -> Result<String, String> {
    let value: Value = python_json::from_slice(text.as_bytes()).map_err(|e| e.to_string())?;
    let out = python_json::to_vec(&value, Dialect::PYTHON).map_err(|e| e.to_string())?;
    Ok(String::from_utf8(out).unwrap())
}

#[test]
fn accepted_like_python() {
    for (text, python) in [
        (r#"{"a":1,"b":2,"a":3}"#, r#"{"a": 3, "b": 2}"#),
        (" [1] \n", "[1]"),
        ("1e5", "100000.0"),
        ("-0", "0"),
        ("-0.0", "-0.0"),
        (
            "123456789012345678901234567890",
            "123456789012345678901234567890",
        ),
        (
            "-123456789012345678901234567890",
            "-123456789012345678901234567890",
        ),
        ("18446744073709551616", "18446744073709551616"),
        ("-9223372036854775809", "-9223372036854775809"),
        (r#""\ud83d\ude00\/\n""#, r#""\ud83d\ude00/\n""#),
        (
            r#"{"z": [], "y": {}, "x": null}"#,
            r#"{"z": [], "y": {}, "x": null}"#,
        ),
    ] {
        assert_eq!(redump(text).as_deref(), Ok(python), "{text}");
    }
}

#[test]
fn rejected_like_python() {
    // JSONDecodeError in Python for each.
    for text in [
        "[1,]",
        "01",
        "[01]",
        "1.",
        "-",
        "\" \u{1}\"",
        "[1 2]",
        r#"{"a" 1}"#,
        "",
        "[",
        "{",
        r#"{"a":}"#,
        r#"{,}"#,
        "[,1]",
        "nul",
        "tru",
        r#""\x""#,
        r#""\u12""#,
        "1 2",
    ] {
        assert!(redump(text).is_err(), "{text:?}");
    }
    // Python reads these; they are deviations (docs/compatibility.md 8 and 10).
    for text in ["NaN", "Infinity", "-Infinity", "1e400", r#""\ud800""#] {
        assert!(redump(text).is_err(), "{text:?}");
    }
}

#[test]
fn typed_targets() {
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Typed {
        small: u8,
        wide: u128,
        float: f64,
        name: String,
        list: Vec<i64>,
        maybe: Option<bool>,
    }
    let text = br#"{"small": 7, "wide": 1180591620717411303424, "float": 0.1, "name": "\u00e9",
                    "list": [-1, 2], "maybe": null}"#;
    let typed: Typed = python_json::from_slice(text).unwrap();
    assert_eq!(
        typed,
        Typed {
            small: 7,
            wide: 1_180_591_620_717_411_303_424,
            float: 0.1,
            name: "é".to_owned(),
            list: vec![-1, 2],
            maybe: None,
        }
    );
    assert!(python_json::from_slice::<u8>(b"256").is_err());
    assert!(python_json::from_slice::<(u8, u8)>(b"[1, 2, 3]").is_err());
    // serde_json's own value type: a float for integers beyond 64 bits, as serde_json does.
    let value: serde_json::Value = python_json::from_slice(b"[18446744073709551616]").unwrap();
    assert!(value[0].is_f64());
}

#[test]
fn many_keys_stay_linear_and_ordered() {
    let text = format!(
        "{{{}}}",
        (0..20_000)
            .rev()
            .map(|i| format!("\"k{i}\": {i}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let value: Value = python_json::from_slice(text.as_bytes()).unwrap();
    let map = value.as_object().unwrap();
    assert_eq!(map.len(), 20_000);
    assert_eq!(map.keys().next().map(String::as_str), Some("k19999"));
    assert_eq!(map.get("k5"), Some(&Value::from(5)));
    assert_eq!(
        python_json::to_vec(&value, Dialect::PYTHON).unwrap(),
        text.as_bytes()
    );
}

/// Invalid UTF-8 anywhere in a document (which the reader checks once, up front) changes
/// nothing before it: strings are still read, and the error is where the bad bytes are.
#[test]
fn invalid_utf8_is_found_where_it_is() {
    let read = |bytes: &[u8]| {
        python_json::from_slice::<Value>(bytes)
            .map(|v| String::from_utf8(python_json::to_vec(&v, Dialect::COMPACT).unwrap()).unwrap())
            .map_err(|e| e.to_string())
    };
    for (bytes, want) in [
        (
            &b"{\"a\":\"x\",\"b\":\"\xff\"}"[..],
            Err("invalid UTF-8 in string at byte 14"),
        ),
        (
            b"[\"\xc3\xa9\",\"\xff\"]",
            Err("invalid UTF-8 in string at byte 7"),
        ),
        (
            b"[\"\xc3\xa9\",\"a\\n\xc3\"]",
            Err("invalid UTF-8 in string at byte 7"),
        ),
        (
            b"[\"\xc3\xa9\",1]\xff",
            Err("trailing characters at byte 8"),
        ),
        (b"[\"\xc3\xa9\",\xff]", Err("expected a value at byte 6")),
        (b"[\"\xc3\xa9\",1]", Ok("[\"\u{e9}\",1]")),
        // What the plain-run fast path hands on: the end of the input, a control character,
        // escapes (kept or refused), and a run that is not UTF-8 before the closing quote.
        (b"[\"abc", Err("unterminated string at byte 5")),
        (
            b"[\"ab\x01\"]",
            Err("control character in string at byte 4"),
        ),
        (b"[\"a\\q\"]", Err("invalid escape at byte 5")),
        (b"[\"a\\n\\u00e9\"]", Ok("[\"a\\n\u{e9}\"]")),
        (b"{\"\xc3\":1}", Err("invalid UTF-8 in string at byte 2")),
    ] {
        let want = want.map(str::to_owned).map_err(str::to_owned);
        assert_eq!(read(bytes), want, "{bytes:?}");
    }
}

/// `null`, `true` and `false` are read whole wherever they end, and a prefix or a
/// misspelling is refused where it starts.
#[test]
fn literals_are_read_whole() {
    let read = |bytes: &[u8]| {
        python_json::from_slice::<Value>(bytes)
            .map(|v| String::from_utf8(python_json::to_vec(&v, Dialect::COMPACT).unwrap()).unwrap())
            .map_err(|e| e.to_string())
    };
    for (bytes, want) in [
        (&b"true"[..], Ok("true")),
        (b"false", Ok("false")),
        (b"null", Ok("null")),
        (b"[true,false,null]", Ok("[true,false,null]")),
        (b"{\"a\":null}", Ok("{\"a\":null}")),
        (b"tru", Err("invalid literal at byte 0")),
        (b"[fals", Err("invalid literal at byte 1")),
        (b"[nul]", Err("invalid literal at byte 1")),
        (b"[truE]", Err("invalid literal at byte 1")),
        (b"nulll", Err("trailing characters at byte 4")),
        (b"", Err("unexpected end of input at byte 0")),
    ] {
        let want = want.map(str::to_owned).map_err(str::to_owned);
        assert_eq!(read(bytes), want, "{bytes:?}");
    }
}
