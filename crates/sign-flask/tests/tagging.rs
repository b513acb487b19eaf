//! Flask's tagged JSON, value by value. Every expected text below was printed by Flask 3.1.3
//! (`flask.sessions.session_json_serializer.dumps(v)` inside an app context, or `.loads(s)`);
//! the call is named next to each case.
// Test helpers outside `#[test]` functions fail loudly on broken fixtures.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stderr
)]

use std::collections::BTreeMap;

use python_json::{Value, json};
use sign_core::{ConfigError, ErrorKind, FixedClock, KeyRing};
use sign_flask::dangerous::KeylessLimits;
use sign_flask::{
    HttpDate, Markup, Session, SessionValue, TaggedJsonCodec, Uuid, dangerous, from_session_value,
    session_builder, session_serializer, to_session_value,
};

fn dumps(value: &impl serde::Serialize) -> String {
    String::from_utf8(TaggedJsonCodec.to_vec(value).unwrap()).unwrap()
}

fn loads(text: &str) -> SessionValue {
    TaggedJsonCodec.from_slice(text.as_bytes()).unwrap()
}

fn dict(entries: Vec<(&str, SessionValue)>) -> SessionValue {
    SessionValue::Dict(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
    )
}

fn int(n: i64) -> SessionValue {
    n.into()
}

#[test]
fn observed_encodings() {
    // dumps({"z": [(1, 2), {"b": b"a"}], "a": "é"})
    let nested = dict(vec![
        (
            "z",
            SessionValue::List(vec![
                SessionValue::Tuple(vec![int(1), int(2)]),
                dict(vec![("b", SessionValue::Bytes(b"a".to_vec()))]),
            ]),
        ),
        ("a", "é".into()),
    ]);
    let text = r#"{"a":"\u00e9","z":[{" t":[1,2]},{"b":{" b":"YQ=="}}]}"#;
    assert_eq!(dumps(&nested), text);
    assert_eq!(loads(text), nested);

    // dumps([1, [2, (3,)]])
    let list = SessionValue::List(vec![
        int(1),
        SessionValue::List(vec![int(2), SessionValue::Tuple(vec![int(3)])]),
    ]);
    assert_eq!(dumps(&list), r#"[1,[2,{" t":[3]}]]"#);
    assert_eq!(loads(r#"[1,[2,{" t":[3]}]]"#), list);

    // dumps({" t": 5}), dumps({" di": "x"}), dumps({" x": 1}), dumps({" t": 1, "b": 2})
    for (value, text) in [
        (dict(vec![(" t", int(5))]), r#"{" di":{" t__":5}}"#),
        (dict(vec![(" di", "x".into())]), r#"{" di":{" di__":"x"}}"#),
        (dict(vec![(" x", int(1))]), r#"{" x":1}"#),
        (
            dict(vec![(" t", int(1)), ("b", int(2))]),
            r#"{" t":1,"b":2}"#,
        ),
    ] {
        assert_eq!(dumps(&value), text);
        assert_eq!(loads(text), value);
    }

    // dumps("é😀")
    assert_eq!(dumps(&"é😀"), r#""\u00e9\ud83d\ude00""#);

    // dumps(b"\x00\xffhi"), dumps(Markup("<b>x</b>")), dumps(UUID("12345678-1234-5678-...")),
    let uuid = Uuid::parse("12345678-1234-5678-1234-567812345678").unwrap();
    assert_eq!(
        dumps(&SessionValue::Bytes(b"\x00\xffhi".to_vec())),
        r#"{" b":"AP9oaQ=="}"#
    );
    assert_eq!(dumps(&Markup::new("<b>x</b>")), r#"{" m":"<b>x</b>"}"#);
    assert_eq!(dumps(&uuid), r#"{" u":"12345678123456781234567812345678"}"#);
    assert_eq!(uuid.to_string(), "12345678-1234-5678-1234-567812345678");

    // dumps({"k": {" di": {" t": (1,)}}}): escapes nest.
    let deep = dict(vec![(
        "k",
        dict(vec![(
            " di",
            dict(vec![(" t", SessionValue::Tuple(vec![int(1)]))]),
        )]),
    )]);
    let text = r#"{"k":{" di":{" di__":{" di":{" t__":{" t":[1]}}}}}}"#;
    assert_eq!(dumps(&deep), text);
    assert_eq!(loads(text), deep);
}

#[test]
fn datetimes() {
    // dumps(datetime(2011, 6, 24, 2, 9, 5, tzinfo=+02:00)) -> converted to UTC
    let date = HttpDate::parse("Fri, 24 Jun 2011 02:09:05 +0200").unwrap();
    assert_eq!(date.unix_seconds(), 1_308_874_145);
    assert_eq!(dumps(&date), r#"{" d":"Fri, 24 Jun 2011 00:09:05 GMT"}"#);
    // dumps(datetime(1, 1, 1)), dumps(datetime(1969, 12, 31, 23, 59, 59)),
    // dumps(datetime(9999, 12, 31, 23, 59, 59))
    for text in [
        "Mon, 01 Jan 0001 00:00:00 GMT",
        "Wed, 31 Dec 1969 23:59:59 GMT",
        "Fri, 31 Dec 9999 23:59:59 GMT",
    ] {
        let date = HttpDate::parse(text).unwrap();
        assert_eq!(date.to_string(), text);
        assert_eq!(
            HttpDate::from_system_time(date.to_system_time()),
            Some(date)
        );
    }
    assert_eq!(
        HttpDate::parse("Wed, 31 Dec 1969 23:59:59 GMT")
            .unwrap()
            .unix_seconds(),
        -1
    );
    // loads('{" d":"Sat, 01 Jan 10000 00:00:00 GMT"}') gives None in Flask: out of range here.
    assert!(HttpDate::parse("Sat, 01 Jan 10000 00:00:00 GMT").is_err());
    assert!(HttpDate::parse("Fri, 31 Feb 2011 00:00:00 GMT").is_err());
    assert!(HttpDate::parse("garbage").is_err());
    assert_eq!(HttpDate::from_unix_seconds(253_402_300_800), None);
}

#[test]
fn third_party_json_is_untagged() {
    // loads('{" t":[1,2]}'), loads('{" b":"aGk="}'), loads('{" di":{" t__":{" t":[1]}}}')
    assert_eq!(
        loads(r#"{" t":[1,2]}"#),
        SessionValue::Tuple(vec![int(1), int(2)])
    );
    assert_eq!(
        loads(r#"{" b":"aGk="}"#),
        SessionValue::Bytes(b"hi".to_vec())
    );
    assert_eq!(
        loads(r#"{" di":{" t__":{" t":[1]}}}"#),
        dict(vec![(" t", SessionValue::Tuple(vec![int(1)]))])
    );
    // loads('{" b":"a-Gk="}') == b"hi" (non-alphabet characters skipped);
    // loads('{" u":"{12345678123456781234567812345678}"}') is the UUID.
    assert_eq!(
        loads(r#"{" b":"a-Gk="}"#),
        SessionValue::Bytes(b"hi".to_vec())
    );
    assert_eq!(
        loads(r#"{" u":"{12345678123456781234567812345678}"}"#),
        SessionValue::Uuid(Uuid::from_bytes([
            0x12, 0x34, 0x56, 0x78, 0x12, 0x34, 0x56, 0x78, 0x12, 0x34, 0x56, 0x78, 0x12, 0x34,
            0x56, 0x78
        ]))
    );
    // loads('{" di":{"a":1}}') == {'': 1}: Python drops the last two characters.
    assert_eq!(loads(r#"{" di":{"a":1}}"#), dict(vec![("", int(1))]));
}

#[test]
fn tags_flask_rejects_are_bad_payload() {
    // Flask raises on each: TypeError, ValueError, binascii.Error, TypeError, TypeError.
    for text in [
        r#"{" t":5}"#,
        r#"{" u":"zz"}"#,
        r#"{" b":"aGk"}"#,
        r#"{" di":5}"#,
        r#"{" di":{" t":1}}"#,
    ] {
        let err = TaggedJsonCodec
            .from_slice::<SessionValue>(text.as_bytes())
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::BadPayload, "{text}");
    }
}

#[test]
fn serializers_see_the_tagged_form() {
    let value = dict(vec![
        ("t", SessionValue::Tuple(vec![int(1)])),
        ("x", dict(vec![(" m", "y".into())])),
    ]);
    let tagged = json!({"t": {" t": [1]}, "x": {" di": {" m__": "y"}}});
    // Any serializer sees the tagged form; Python's compact JSON of it is Flask's bytes.
    assert_eq!(
        python_json::to_vec(&value, python_json::Dialect::COMPACT).unwrap(),
        br#"{"t":{" t":[1]},"x":{" di":{" m__":"y"}}}"#
    );
    assert_eq!(
        serde_json::to_value(&value).unwrap(),
        serde_json::json!({"t": {" t": [1]}, "x": {" di": {" m__": "y"}}})
    );
    assert_eq!(value.to_tagged_json(), tagged);
    assert_eq!(Value::from(&value), tagged);
    assert_eq!(
        python_json::from_slice::<SessionValue>(tagged.to_string().as_bytes()).unwrap(),
        value
    );
    assert_eq!(SessionValue::try_from(tagged).unwrap(), value);
    // Big integers keep every digit both ways.
    let big: SessionValue = python_json::from_slice(b"[1180591620717411303424, 1e-07]").unwrap();
    assert_eq!(dumps(&big), "[1180591620717411303424,1e-07]");
    let back: Value = from_session_value(big).unwrap();
    assert_eq!(back.to_string(), "[1180591620717411303424,1e-07]");
}

#[test]
fn rust_types_map_to_python_types() {
    #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    struct Typed {
        pair: (u8, String),
        list: Vec<u8>,
        html: Markup,
        maybe: Option<u32>,
        free: SessionValue,
    }
    let typed = Typed {
        pair: (1, "a".to_owned()),
        list: vec![1, 2],
        html: Markup::new("<p>"),
        maybe: None,
        free: SessionValue::Tuple(vec![]),
    };
    let value = to_session_value(&typed).unwrap();
    assert_eq!(
        value.to_tagged_json(),
        json!({"free": {" t": []}, "html": {" m": "<p>"}, "list": [1, 2], "maybe": null,
               "pair": {" t": [1, "a"]}})
    );
    assert_eq!(from_session_value::<Typed>(value).unwrap(), typed);
    // A String field reads Markup; a Vec<u8> reads bytes.
    let s: String = from_session_value(Markup::new("<b>").into()).unwrap();
    assert_eq!(s, "<b>");
    let b: Vec<u8> = from_session_value(SessionValue::Bytes(vec![9, 8])).unwrap();
    assert_eq!(b, vec![9, 8]);
    // NaN has no session form.
    assert!(to_session_value(&f64::NAN).is_err());
}

/// A dict whose key reads like serde_json's number token is a dict, written and read back as
/// one; an integer beyond 64 bits stays a number. The Rust tuple sends the value through the
/// session tree (it needs a tag), where both once looked alike.
/// `session_json_serializer.dumps({"t": (1, 2), "v": {"$serde_json::private::Number": "5"},
/// "b": 123456789012345678901234567890})`.
#[test]
fn number_token_keys_are_keys() {
    #[derive(serde::Serialize)]
    struct Mixed {
        t: (u8, u8),
        v: SessionValue,
        b: SessionValue,
    }
    let token_dict = dict(vec![(python_json::NUMBER_TOKEN, "5".into())]);
    let big = loads("123456789012345678901234567890");
    let mixed = Mixed {
        t: (1, 2),
        v: token_dict.clone(),
        b: big.clone(),
    };
    let text = r#"{"b":123456789012345678901234567890,"t":{" t":[1,2]},"v":{"$serde_json::private::Number":"5"}}"#;
    assert_eq!(dumps(&mixed), text);
    assert_eq!(
        to_session_value(&mixed).unwrap(),
        dict(vec![
            ("b", big.clone()),
            ("t", SessionValue::Tuple(vec![int(1), int(2)])),
            ("v", token_dict.clone()),
        ])
    );
    assert_eq!(to_session_value(&token_dict).unwrap(), token_dict);
    assert_eq!(to_session_value(&big).unwrap(), big);
    assert_eq!(
        loads(text),
        dict(vec![
            ("b", big),
            ("t", SessionValue::Tuple(vec![int(1), int(2)])),
            ("v", token_dict.clone()),
        ])
    );
}

/// Python writes a dict's int and bool keys as text (`{1: "a", True: 2}` is
/// `{"1": "a", "true": 2}`); a Rust map with number or bool keys reads them back, from the
/// cookie as from the session value and as python_json's reader does: the first key (read
/// ahead) and the others alike, at the top and nested. A key that is not such a number is an
/// error, not a silent string.
#[test]
fn number_and_bool_keys_read_as_their_type() {
    let text = r#"{"1":"a","20":"b","-3":"c"}"#;
    let expected = BTreeMap::from([
        (1, "a".to_owned()),
        (20, "b".to_owned()),
        (-3, "c".to_owned()),
    ]);
    let from_cookie: BTreeMap<i32, String> = TaggedJsonCodec.from_slice(text.as_bytes()).unwrap();
    assert_eq!(from_cookie, expected);
    let from_value: BTreeMap<i32, String> = from_session_value(loads(text)).unwrap();
    assert_eq!(from_value, expected);
    let from_reader: BTreeMap<i32, String> = python_json::from_slice(text.as_bytes()).unwrap();
    assert_eq!(from_reader, expected);

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Cart {
        counts: BTreeMap<u64, u8>,
        flags: BTreeMap<bool, String>,
        prices: BTreeMap<String, BTreeMap<u16, f64>>,
    }
    let text = r#"{"counts":{"7":2,"18446744073709551615":1},"flags":{"false":"n","true":"y"},
        "prices":{"eu":{"1":2.5}}}"#;
    let expected = Cart {
        counts: BTreeMap::from([(7, 2), (u64::MAX, 1)]),
        flags: BTreeMap::from([(false, "n".to_owned()), (true, "y".to_owned())]),
        prices: BTreeMap::from([("eu".to_owned(), BTreeMap::from([(1, 2.5)]))]),
    };
    let from_cookie: Cart = TaggedJsonCodec.from_slice(text.as_bytes()).unwrap();
    assert_eq!(from_cookie, expected);
    let from_value: Cart = from_session_value(loads(text)).unwrap();
    assert_eq!(from_value, expected);

    for wrong in [r#"{"x":"a"}"#, r#"{"1":"a","x":"b"}"#, r#"{"256":"a"}"#] {
        let error = TaggedJsonCodec
            .from_slice::<BTreeMap<u8, String>>(wrong.as_bytes())
            .unwrap_err();
        assert!(
            format!("{error:?}").contains("not a number of the expected type"),
            "{wrong}: {error:?}"
        );
        assert!(from_session_value::<BTreeMap<u8, String>>(loads(wrong)).is_err());
    }
}

/// Python's integers have no size: a session may hold `2**70`. Each target reads it as it
/// reads such an integer from JSON text: exactly into `SessionValue`, `python_json::Value`
/// and `i128`/`u128`, as the nearest float into `serde_json::Value` and `f64` (as serde_json
/// itself does, not as a `{"$serde_json::private::Number": ...}` dict that would write back
/// as a dict), the same from the cookie as from the session value, at the top, in lists and
/// inside tags (which the reader reads ahead).
#[test]
fn big_integers_reach_each_target_as_it_reads_them() {
    const BIG: &str = "1180591620717411303424"; // 2**70
    const HUGE: &str = "1606938044258990275541962092341162602522202993782792835301376"; // 2**200
    let text = format!(r#"{{"l":[{BIG},-{BIG}],"n":{BIG},"t":{{" t":[{BIG}]}},"w":{HUGE}}}"#);
    let exact = |digits: &str| python_json::Number::from_json_text(digits).unwrap();
    let float = |digits: &str| digits.parse::<f64>().unwrap();

    // serde_json's value: floats, from the cookie, from the session value, and from the
    // same JSON read without Flask's tags.
    let expected = serde_json::json!({
        "l": [float(BIG), -float(BIG)], "n": float(BIG), "t": {" t": [float(BIG)]},
        "w": float(HUGE),
    });
    let from_cookie: serde_json::Value = TaggedJsonCodec.from_slice(text.as_bytes()).unwrap();
    assert_eq!(from_cookie, expected);
    let from_value: serde_json::Value = from_session_value(loads(&text)).unwrap();
    assert_eq!(from_value, expected);
    let from_reader: serde_json::Value = python_json::from_slice(text.as_bytes()).unwrap();
    assert_eq!(from_reader["n"], expected["n"]);
    assert!(from_cookie["n"].is_f64() && from_cookie["l"][0].is_f64());

    // Exact targets.
    let session = loads(&text);
    assert_eq!(
        session.as_dict().unwrap()["n"],
        SessionValue::Number(exact(BIG))
    );
    assert_eq!(
        session.as_dict().unwrap()["t"],
        SessionValue::Tuple(vec![SessionValue::Number(exact(BIG))])
    );
    let value: python_json::Value = TaggedJsonCodec.from_slice(text.as_bytes()).unwrap();
    assert_eq!(value["n"], Value::Number(exact(BIG)));
    assert_eq!(value["w"], Value::Number(exact(HUGE)));
    let value: python_json::Value = from_session_value(session.clone()).unwrap();
    assert_eq!(value["l"][1], Value::Number(exact(&format!("-{BIG}"))));

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Typed {
        l: Vec<i128>,
        n: u128,
        t: (f64,),
        w: python_json::Value,
    }
    let expected = Typed {
        l: vec![1 << 70, -(1 << 70)],
        n: 1 << 70,
        t: (float(BIG),),
        w: Value::Number(exact(HUGE)),
    };
    let from_cookie: Typed = TaggedJsonCodec.from_slice(text.as_bytes()).unwrap();
    assert_eq!(from_cookie, expected);
    let from_value: Typed = from_session_value(session).unwrap();
    assert_eq!(from_value, expected);

    // A python_json::Value inside a struct keeps its numbers exact however deep.
    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Holder {
        held: python_json::Value,
    }
    let text = format!(r#"{{"held":{{"deep":[{{" t":[{BIG}]}}]}}}}"#);
    let holder: Holder = TaggedJsonCodec.from_slice(text.as_bytes()).unwrap();
    assert_eq!(
        holder.held["deep"][0],
        python_json::json!({" t": [(exact(BIG))]})
    );

    // Beyond a float's range: an error for the float targets, exact for the others.
    let text = format!(r#"{{"n":1{}}}"#, "0".repeat(400));
    assert!(
        TaggedJsonCodec
            .from_slice::<serde_json::Value>(text.as_bytes())
            .is_err()
    );
    assert!(from_session_value::<serde_json::Value>(loads(&text)).is_err());
    assert!(
        TaggedJsonCodec
            .from_slice::<Session>(text.as_bytes())
            .is_ok()
    );
}

/// The known limitation (docs/compatibility.md): where serde buffers a value before its
/// target sees it (`#[serde(flatten)]`, untagged and internally tagged enums), a key loses
/// the mark that it is document text, and a dict whose first key is the number token reads
/// as that number, as with serde_json's `arbitrary_precision`. Read directly, it is a dict.
#[test]
fn number_token_keys_in_buffered_targets() {
    #[derive(serde::Deserialize)]
    struct Flattened {
        #[serde(flatten)]
        rest: BTreeMap<String, SessionValue>,
    }
    let text = r#"{"v":{"$serde_json::private::Number":"5"},"w":1}"#;
    let direct: Session = TaggedJsonCodec.from_slice(text.as_bytes()).unwrap();
    assert_eq!(
        direct["v"],
        dict(vec![(python_json::NUMBER_TOKEN, "5".into())])
    );
    let flattened: Flattened = TaggedJsonCodec.from_slice(text.as_bytes()).unwrap();
    assert_eq!(flattened.rest["v"], int(5));
}

#[test]
fn open_session_follows_flask() {
    let sessions = session_builder()
        .key("secret")
        .clock(FixedClock(1_308_874_145))
        .build()
        .unwrap();
    // Flask 3.1.3's cookie for {"a": 1} at T0 (app.secret_key = "secret").
    let cookie = "eyJhIjoxfQ.TgPVoQ.Vlr_Jz1KAK-AL-4WaTlES0RX-6s";
    let session = sessions.loads_or_default::<Session>(cookie).unwrap();
    assert_eq!(session, Session::from([("a".to_owned(), int(1))]));
    assert!(
        sessions
            .loads_or_default::<Session>("eyJhIjoxfQ.TgPVoQ.AAAA")
            .unwrap()
            .is_empty()
    );
    // Debug never shows the key.
    assert!(!format!("{sessions:?}").contains("secret\""));
    assert!(!format!("{:?}", session_builder().key("hunter22")).contains("hunter22"));
}

#[test]
fn keyless_inspection_is_bounded() {
    // Flask's compressed cookie for {"big": "x"*200} with secret "secret" at T0.
    let cookie = ".eJyrVkrKTFeyUqoYJkCpFgBptWCt.TgPVoQ.IVYgyQM3T4anqmTqwewir39Z9ak";
    let value = dangerous::decode_unverified(cookie, &KeylessLimits::default()).unwrap();
    assert_eq!(
        value.get("big").and_then(SessionValue::as_str),
        Some(&*"x".repeat(200))
    );
    let err = dangerous::decode_unverified(cookie, &KeylessLimits::new().max_payload_len(100))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BadPayload);
    let err =
        dangerous::decode_unverified(cookie, &KeylessLimits::new().max_json_values(1)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BadPayload);
}

#[test]
fn empty_keys() {
    // The errors Flask users get: no SECRET_KEY, an empty SECRET_KEY (with or without
    // fallbacks, even when empty fallbacks are allowed), an empty fallback not asked for.
    assert_eq!(
        session_builder().build().unwrap_err(),
        ConfigError::NoSecretKey
    );
    assert_eq!(
        session_serializer("").unwrap_err(),
        ConfigError::EmptySecretKey
    );
    let ring = |secret: &str, fallbacks: &[&str]| {
        session_builder().key_ring(KeyRing::secret_key_with_fallbacks(
            secret,
            fallbacks.iter().copied(),
        ))
    };
    assert_eq!(
        session_builder()
            .key_ring(KeyRing::secret_key_with_fallbacks("", ["old"]).allow_empty_older_keys())
            .build()
            .unwrap_err(),
        ConfigError::EmptySecretKey
    );
    assert_eq!(
        ring("k", &[""]).build().unwrap_err(),
        ConfigError::EmptySecretKey
    );
    assert!(
        session_builder()
            .key_ring(KeyRing::secret_key_with_fallbacks("k", [""]).allow_empty_older_keys())
            .build()
            .is_ok()
    );
    assert!(ring("k", &["old"]).build().is_ok());
    let _unused: BTreeMap<String, SessionValue> = Session::new();
}

#[test]
fn python_leniency_we_reject() {
    // Flask 3.1.3 session_json_serializer.loads(...) accepts each of these (Flask never writes
    // them): ('a', 'b'), Markup('5'), None, {'': 1}. We answer BadPayload
    // (docs/compatibility.md, Flask section).
    for text in [
        r#"{" t":"ab"}"#,
        r#"{" m":5}"#,
        r#"{" d":"not a date"}"#,
        r#"{" di":{"ab":1,"cd":2}}"#,
    ] {
        let err = TaggedJsonCodec
            .from_slice::<SessionValue>(text.as_bytes())
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::BadPayload, "{text}");
    }
}

/// Repeated keys, as Flask 3.1.3 reads them (`session_json_serializer.loads(t)`, printed
/// next to each): the dict keeps a repeated key's last value, and only then is it untagged;
/// a session's map target reads the same dict. Stricter: a struct target refuses a repeated
/// field (docs/compatibility.md, deviation 15), and a value a repeated key replaces is still
/// checked (F5).
/// docs/compatibility.md, deviation 15: a typed target sees every value of a repeated key,
/// except the repeats of a first key that is a tag key, which replace its value while the
/// object is read ahead (as Python's dict does before Flask untags it).
#[test]
fn a_first_tag_keys_repeats_are_merged_before_a_typed_target() {
    let merged: BTreeMap<String, Vec<i64>> = TaggedJsonCodec
        .from_slice(br#"{" t":"x"," t":[2],"a":[1]}"#)
        .unwrap();
    assert_eq!(
        merged,
        BTreeMap::from([(" t".to_owned(), vec![2]), ("a".to_owned(), vec![1])])
    );
    assert!(
        TaggedJsonCodec
            .from_slice::<BTreeMap<String, Vec<i64>>>(br#"{"a":[1]," t":"x"," t":[2]}"#)
            .is_err()
    );
}

#[test]
fn repeated_keys_follow_flask() {
    // (2,)
    assert_eq!(
        loads(r#"{" t":[1]," t":[2]}"#),
        SessionValue::Tuple(vec![int(2)])
    );
    // {' t': [2], 'a': 1}
    assert_eq!(
        loads(r#"{" t":[1],"a":1," t":[2]}"#),
        dict(vec![
            (" t", SessionValue::List(vec![int(2)])),
            ("a", int(1))
        ])
    );
    // {'a': 2}
    assert_eq!(loads(r#"{"a":1,"a":2}"#), dict(vec![("a", int(2))]));
    // {'x': {' b': 2}}
    assert_eq!(
        loads(r#"{"x":{" di":{" t__":1}," di":{" b__":2}}}"#),
        dict(vec![("x", dict(vec![(" b", int(2))]))])
    );
    // {'_fresh': False, '_user_id': '1'}
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Login {
        _fresh: bool,
        _user_id: String,
    }
    // Stricter (docs/compatibility.md, deviation 15): a struct refuses the repeated field, as
    // for every serializer; a map keeps the last value, as Flask.
    let err = TaggedJsonCodec
        .from_slice::<Login>(br#"{"_fresh":true,"_user_id":"1","_fresh":false}"#)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BadPayload);
    assert!(
        std::error::Error::source(&err)
            .is_some_and(|cause| cause.to_string().starts_with("duplicate field `_fresh`")),
        "{err:?}"
    );
    let session: Session = TaggedJsonCodec
        .from_slice(br#"{"_fresh":true,"_user_id":"1","_fresh":false}"#)
        .unwrap();
    assert_eq!(session["_fresh"], SessionValue::Bool(false));
    // ValueError: badly formed hexadecimal UUID string (the last " u" is the tag's value).
    // {'x': 1}: Python never untags the replaced value; we do, and refuse it (F5).
    for text in [
        r#"{"x":{" u":"0123456789abcdef0123456789abcdef"," u":"x"}}"#,
        r#"{"x":{" u":"zz"},"x":1}"#,
    ] {
        let err = TaggedJsonCodec
            .from_slice::<SessionValue>(text.as_bytes())
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::BadPayload, "{text}");
    }
}

#[test]
fn flask_key_order_secret_key_signs_fallbacks_verify() {
    let at = FixedClock(1_308_874_145);
    let rotated = session_builder()
        .key_ring(KeyRing::secret_key_with_fallbacks("new", ["older", "old"]))
        .clock(at)
        .build()
        .unwrap();
    let only = |key: &str| session_builder().key(key).clock(at).build().unwrap();
    let session = Session::from([("a".to_owned(), 1.into())]);
    // SECRET_KEY signs: the cookie is the one a lone SECRET_KEY="new" makes (e2e_flask.rs
    // checks that Flask reads it).
    let cookie = rotated.dumps(&session).unwrap();
    assert_eq!(cookie, only("new").dumps(&session).unwrap());
    assert_ne!(cookie, only("old").dumps(&session).unwrap());
    // Every fallback verifies; a key outside the ring does not.
    for key in ["older", "old", "new"] {
        let from_key = only(key).dumps(&session).unwrap();
        assert_eq!(rotated.loads::<Session>(&from_key).unwrap(), session);
    }
    let stranger = only("stranger").dumps(&session).unwrap();
    assert!(
        rotated
            .loads::<Session>(&stranger)
            .unwrap_err()
            .is_bad_signature()
    );
    // The ring is fallbacks then SECRET_KEY, as Flask builds its key list.
    let signer = rotated.signer_config().build().unwrap();
    let keys: Vec<&[u8]> = signer
        .secret_keys()
        .iter()
        .map(sign_core::SecretKey::expose_secret)
        .collect();
    assert_eq!(keys, [&b"older"[..], b"old", b"new"]);
}

#[test]
fn flask_default_max_age_is_31_days_and_replaceable() {
    let cookie = "eyJhIjoxfQ.TgPVoQ.Vlr_Jz1KAK-AL-4WaTlES0RX-6s"; // Flask 3.1.3, "secret", T0
    let t0 = 1_308_874_145;
    let at = |now| session_builder().key("secret").clock(FixedClock(now));
    let sessions = at(t0 + 2_678_400).build().unwrap();
    assert_eq!(sessions.max_age(), Some(sign_flask::DEFAULT_MAX_AGE));
    assert!(sessions.loads::<Session>(cookie).is_ok());
    let late = at(t0 + 2_678_401).build().unwrap();
    assert_eq!(
        late.loads::<Session>(cookie).unwrap_err().kind(),
        ErrorKind::SignatureExpired
    );
    assert!(late.loads_or_default::<Session>(cookie).unwrap().is_empty());
    // One call with a longer age; a builder without any.
    assert!(late.loads_max_age::<Session>(cookie, 2_678_401_u64).is_ok());
    assert!(
        at(t0 + 10 * 2_678_400)
            .no_max_age()
            .build()
            .unwrap()
            .loads::<Session>(cookie)
            .is_ok()
    );
}
