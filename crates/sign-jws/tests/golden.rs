//! Golden tokens and errors of the JWS serializers (docs/jws.md), each produced by
//! Python itsdangerous 2.0.1 (`J` = `JSONWebSignatureSerializer`, `TJ` =
//! `TimedJSONWebSignatureSerializer` with `now()` fixed at T0; the call is in each comment).

// Helpers shared by the tests are test code too.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use std::time::{Duration, UNIX_EPOCH};

use python_json::{Value, json};
use sign_core::ErrorKind;
use sign_core::FixedClock;
use sign_jws::dangerous::{self, none_algorithm};
use sign_jws::{Header, JwsAlgorithm, JwsSerializer, TimedJwsSerializer, WithHeader};

const T0: u64 = 1_308_874_145;

fn header(value: Value) -> Header {
    match value {
        Value::Object(map) => map,
        _ => panic!("not an object"),
    }
}

fn jws(algorithm: JwsAlgorithm) -> JwsSerializer {
    JwsSerializer::builder()
        .key("secret-key")
        .map_codec(|codec| codec.with_algorithm(algorithm))
        .build()
        .unwrap()
}

fn timed(now: u64) -> TimedJwsSerializer {
    TimedJwsSerializer::builder()
        .key("secret-key")
        .map_codec(|codec| codec.with_expires_in(3600))
        .clock(FixedClock(now))
        .build()
        .unwrap()
}

fn round_trip(serializer: &JwsSerializer, value: &Value, token: &str) {
    assert_eq!(serializer.dumps(value).unwrap(), token, "{value}");
    assert_eq!(serializer.loads::<Value>(token).unwrap(), *value);
}

#[test]
fn default_hs512() {
    // J("secret-key").dumps({"id": 42})
    round_trip(
        &JwsSerializer::new("secret-key").unwrap(),
        &json!({"id": 42}),
        "eyJhbGciOiJIUzUxMiJ9.eyJpZCI6NDJ9.bUM97EV675eRdOnUCl7atMzuK0jzlpD6HGxtbXWab4negzPPi43uaX0Tf7aFG3jZZBmsTkgwghnyLHFkLHX4oQ",
    );
}

#[test]
fn every_algorithm() {
    let table = [
        // J("secret-key", algorithm_name="HS256").dumps("value")
        (
            JwsAlgorithm::Hs256,
            "eyJhbGciOiJIUzI1NiJ9.InZhbHVlIg.YmRmTzrYseXHHGOGKJ0FsnlxCfoMda_JkRiddEGgxow",
        ),
        // J("secret-key", algorithm_name="HS384").dumps("value")
        (
            JwsAlgorithm::Hs384,
            "eyJhbGciOiJIUzM4NCJ9.InZhbHVlIg.RVO8IvCqYub6RdN_c3pkgSPVuRYbL_THeGjcVR7pf14NeIc-94hO3-OCKCX5KCJx",
        ),
        // J("secret-key", algorithm_name="HS512").dumps("value")
        (
            JwsAlgorithm::Hs512,
            "eyJhbGciOiJIUzUxMiJ9.InZhbHVlIg.KeDIMTsf49RuyxwU34JXipi2M5SmTFzOds5fjwjt9uLUsNdJpwUaE_ILjTHXAc-dyloUwmeFyKSnmAVgmEJM3Q",
        ),
        // J("secret-key", algorithm_name="none").dumps("value"): empty signature.
        (none_algorithm(), "eyJhbGciOiJub25lIn0.InZhbHVlIg."),
    ];
    for (algorithm, token) in table {
        round_trip(&jws(algorithm), &json!("value"), token);
    }
}

#[test]
fn header_fields_come_first_and_alg_is_forced() {
    let s = JwsSerializer::new("secret-key").unwrap();
    // J("secret-key").dumps({"id": 42}, header_fields={"kid":"k1","typ":"JWT"})
    let fields = header(json!({"kid": "k1", "typ": "JWT"}));
    let token = s.dumps_with_header(&json!({"id": 42}), &fields).unwrap();
    assert_eq!(
        token,
        "eyJraWQiOiJrMSIsInR5cCI6IkpXVCIsImFsZyI6IkhTNTEyIn0.eyJpZCI6NDJ9.NuimmHMglkIWy2J2_XM9IvsNls8Uhl2V08CGbuE5yHN3thejwhaBRRatIshW1DOKi3ykwQnVNU8gf7laY_akMA"
    );
    let (value, got) = s.loads_with_header::<Value>(&token, None).unwrap();
    assert_eq!(value, json!({"id": 42}));
    assert_eq!(
        Value::Object(got),
        json!({"kid": "k1", "typ": "JWT", "alg": "HS512"})
    );

    // J("secret-key").dumps(1, header_fields={"alg":"none","x":1}): alg overwritten in place.
    let fields = header(json!({"alg": "none", "x": 1}));
    assert_eq!(
        s.dumps_with_header(&1, &fields).unwrap(),
        "eyJhbGciOiJIUzUxMiIsIngiOjF9.MQ.YX-NifphigMUZWcSEyNbQJU6ejxB_MiMYB8lMHe--7JSVVIcxDjsfCMbNhKR1JgAycTOWk1uiTJjsedd1p3Emg"
    );
    // make_header leaves the caller's map alone.
    assert_eq!(fields["alg"], "none");
}

#[test]
fn salts_derive_with_sha1() {
    // J("secret-key", salt="my-salt").dumps(1)
    let salted = JwsSerializer::builder()
        .key("secret-key")
        .salt("my-salt")
        .build()
        .unwrap();
    let token = "eyJhbGciOiJIUzUxMiJ9.MQ.u4wcltJSPCw1qLQaEVqDT4OQ94ZvsqxqoiRgyX2eWyvQCQCFRgqrX92RZklTx-v-MAJ2Vz1f1uOAnDFSJRXcWA";
    assert_eq!(salted.dumps(&1).unwrap(), token);
    assert_eq!(salted.loads::<i32>(token).unwrap(), 1);
    // The key is sha1(b"my-salt" + b"signer" + b"secret-key"), 20 bytes (hashlib).
    let signer = salted.make_signer(None).unwrap();
    let key = signer.derive_key();
    let hex: String = key
        .expose_secret()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(hex, "9969af0aaba8702c7136f960d7ee3ce11448c5da");

    // J("secret-key").dumps(1, salt="x")
    let s = JwsSerializer::new("secret-key").unwrap();
    let token = "eyJhbGciOiJIUzUxMiJ9.MQ.gfqy73uiWa5PMg4zOWhJvQL7ZrNDX64DUqvvCB2AY5vTSkAcVyGshcDnwOQ_I0KujK0fHXgOb0iKu277I_WtVQ";
    assert_eq!(s.dumps_with_salt(&1, "x").unwrap(), token);
    assert_eq!(s.loads_with_salt::<i32>(token, "x").unwrap(), 1);
    assert!(s.loads::<i32>(token).unwrap_err().is_bad_signature());

    // J("secret-key", salt="").dumps(1): the empty salt is a salt, not "no salt".
    let token = "eyJhbGciOiJIUzUxMiJ9.MQ.a4ctW8BAGcgmiovpiImAgq-014pUvEkAkkcy6pIUI-pyD6CUhFAmPvUpmFXeGqXe_xzG_JLE0Pa67ckj63dxJg";
    assert_eq!(s.dumps_with_salt(&1, "").unwrap(), token);
    assert_eq!(
        s.loads::<i32>(token).unwrap_err().kind(),
        ErrorKind::BadSignature
    );
}

#[test]
fn compact_json_keeps_utf8_and_python_numbers() {
    let s = JwsSerializer::new("secret-key").unwrap();
    // J("secret-key").dumps({"n": "é"})
    round_trip(
        &s,
        &json!({"n": "é"}),
        "eyJhbGciOiJIUzUxMiJ9.eyJuIjoiw6kifQ.hUFrLArj6jIOShYa9Hp7ukLMENcI5PWXMBtwaS5VpNrD-NttuiZElkkInrAqPQNjavDbq57nu1ZTQTOsSKQxxQ",
    );
    // J("secret-key").dumps({"f": 1e16, "g": 0.1, "big": 2**70, "emoji": "😀"})
    let value: Value = python_json::from_slice(
        r#"{"f": 1e+16, "g": 0.1, "big": 1180591620717411303424, "emoji": "😀"}"#.as_bytes(),
    )
    .unwrap();
    round_trip(
        &s,
        &value,
        "eyJhbGciOiJIUzUxMiJ9.eyJmIjoxZSsxNiwiZyI6MC4xLCJiaWciOjExODA1OTE2MjA3MTc0MTEzMDM0MjQsImVtb2ppIjoi8J-YgCJ9.BNCqMYe_5O5zAGO-2nT8rY9GjKOvLJiCRzVChHbFCGM03nYAO1VLoquNeS2_RpF0kI5V9_eUvQuUPuF-vL26sw",
    );
}

#[test]
fn key_rotation() {
    // J(["old", "new"]).dumps("rotated"): the last key signs.
    let rotated = JwsSerializer::builder()
        .keys(["old", "new"])
        .build()
        .unwrap();
    let token = "eyJhbGciOiJIUzUxMiJ9.InJvdGF0ZWQi.19LcsOVSl7v1vUn9LvBkD1Fjqj50GmRjmpcC3wTKN1yusH-w0onHBwJgpL6SY61qpUzGF3PwqaVMczoSdzWfqg";
    assert_eq!(rotated.dumps(&"rotated").unwrap(), token);
    assert_eq!(
        JwsSerializer::new("new")
            .unwrap()
            .loads::<String>(token)
            .unwrap(),
        "rotated"
    );
    // Every key verifies.
    let old = JwsSerializer::new("old").unwrap().dumps(&"x").unwrap();
    assert_eq!(rotated.loads::<String>(&old).unwrap(), "x");
}

#[test]
fn timed_token_and_expiry() {
    // TJ("secret-key", expires_in=3600).dumps({"id": 42}) at T0
    let token = "eyJhbGciOiJIUzUxMiIsImlhdCI6MTMwODg3NDE0NSwiZXhwIjoxMzA4ODc3NzQ1fQ.eyJpZCI6NDJ9.zmDNmioBzsHNFeCFtSVE2Um-jF7dkpNFv8AZqnf8XgniLXSPD-asVGxJiL9wkz4DEoq3foS-4bSUgwWbZwIvJw";
    assert_eq!(timed(T0).dumps(&json!({"id": 42})).unwrap(), token);
    let (value, got) = timed(T0).loads_with_header::<Value>(token, None).unwrap();
    assert_eq!(value, json!({"id": 42}));
    assert_eq!(
        Value::Object(got),
        json!({"alg": "HS512", "iat": 1_308_874_145, "exp": 1_308_877_745})
    );
    // At now == exp it loads.
    assert_eq!(
        timed(T0 + 3600).loads::<Value>(token).unwrap(),
        json!({"id": 42})
    );
    // At exp + 1: SignatureExpired("Signature expired"), payload {'id': 42}, date_signed T0.
    let err = timed(T0 + 3601).loads::<Value>(token).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::SignatureExpired);
    assert_eq!(err.to_string(), "signature expired");
    assert_eq!(
        err.date_signed(),
        Some(UNIX_EPOCH + Duration::from_secs(T0))
    );
    assert_eq!(
        dangerous::unverified_payload::<Value>(&err, token.as_ref()),
        Some(json!({"id": 42}))
    );
}

#[test]
fn timed_header_fields_iat_exp_in_place() {
    // TJ("secret-key", expires_in=3600).dumps(1, header_fields={"exp":1,"kid":"x","iat":"q"})
    let fields = header(json!({"exp": 1, "kid": "x", "iat": "q"}));
    let token = timed(T0).dumps_with_header(&1, &fields).unwrap();
    assert_eq!(
        token,
        "eyJleHAiOjEzMDg4Nzc3NDUsImtpZCI6IngiLCJpYXQiOjEzMDg4NzQxNDUsImFsZyI6IkhTNTEyIn0.MQ.cVLdkP1pYHD3XaHfunFxGblDvXZ6YPdO6nb08RaxcYdJ0I_qmVBaaiV2CD7dD5Uqsxz89qW-_vIjMcb2Yb2D7A"
    );
    // TJ.loads(token, return_header=True) == (1, {'exp': 1308877745, 'kid': 'x', 'iat': 1308874145, 'alg': 'HS512'})
    let (value, got) = timed(T0).loads_with_header::<i32>(&token, None).unwrap();
    assert_eq!(value, 1);
    assert_eq!(
        String::from_utf8(python_json::to_vec(&got, python_json::Dialect::COMPACT).unwrap())
            .unwrap(),
        r#"{"exp":1308877745,"kid":"x","iat":1308874145,"alg":"HS512"}"#
    );
}

#[test]
fn timed_salt_algorithm_and_none() {
    // TJ("secret-key", algorithm_name="HS256", salt="reset").dumps({"user": 7}) at T0
    let s = TimedJwsSerializer::builder()
        .key("secret-key")
        .map_codec(|codec| codec.with_algorithm(JwsAlgorithm::Hs256))
        .salt("reset")
        .clock(FixedClock(T0))
        .build()
        .unwrap();
    let token = "eyJhbGciOiJIUzI1NiIsImlhdCI6MTMwODg3NDE0NSwiZXhwIjoxMzA4ODc3NzQ1fQ.eyJ1c2VyIjo3fQ.Ni-HF2ndhhQDQi9gsKuCSqxI37__yIDkQt_Dj6SJjes";
    assert_eq!(s.dumps(&json!({"user": 7})).unwrap(), token);
    assert_eq!(s.loads::<Value>(token).unwrap(), json!({"user": 7}));

    // TJ("secret-key", algorithm_name="none", expires_in=0).dumps([1, 2.5, None]) at T0
    let s = TimedJwsSerializer::builder()
        .key("secret-key")
        .map_codec(|codec| codec.with_algorithm(none_algorithm()))
        .map_codec(|codec| codec.with_expires_in(0))
        .clock(FixedClock(T0))
        .build()
        .unwrap();
    let token =
        "eyJhbGciOiJub25lIiwiaWF0IjoxMzA4ODc0MTQ1LCJleHAiOjEzMDg4NzQxNDV9.WzEsMi41LG51bGxd.";
    assert_eq!(s.dumps(&json!([1, 2.5, null])).unwrap(), token);
    assert_eq!(s.loads::<Value>(token).unwrap(), json!([1, 2.5, null]));
}

#[test]
fn algorithm_mismatch_and_none_tokens() {
    let hs512 = JwsSerializer::new("secret-key").unwrap();
    let hs256_header = header(json!({"alg": "HS256"}));
    // hs512.make_signer().sign(hs512.dump_payload({"alg": "HS256"}, "value")):
    // BadHeader("Algorithm mismatch"), e.header == {"alg": "HS256"}, e.payload == "value".
    let signed = hs512.codec().dump_payload(&hs256_header, &"value").unwrap();
    let token = hs512.make_signer(None).unwrap().sign(&signed);
    let err = hs512.loads::<Value>(&token).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BadHeader);
    assert_eq!(err.to_string(), "algorithm mismatch");
    assert!(err.is_bad_signature());
    assert_eq!(
        dangerous::unverified_header(&err, &token),
        Some(json!({"alg": "HS256"}))
    );
    assert_eq!(
        dangerous::unverified_payload::<Value>(&err, &token),
        Some(json!("value"))
    );

    // J("secret-key").loads(J("secret-key", algorithm_name="none").dumps("value")):
    // BadSignature("Signature b'' does not match").
    let err = hs512
        .loads::<Value>("eyJhbGciOiJub25lIn0.InZhbHVlIg.")
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BadSignature);
    // And the reverse: J(..., algorithm_name="none").loads(J("secret-key").dumps("value")).
    let err = jws(none_algorithm())
        .loads::<Value>("eyJhbGciOiJIUzUxMiJ9.InZhbHVlIg.KeDIMTsf49RuyxwU34JXipi2M5SmTFzOds5fjwjt9uLUsNdJpwUaE_ILjTHXAc-dyloUwmeFyKSnmAVgmEJM3Q")
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BadSignature);
    // A header without alg, or a non-string alg: "Algorithm mismatch" too.
    for h in [json!({}), json!({"alg": 5})] {
        let signed = hs512
            .codec()
            .dump_payload(&header(h.clone()), &"value")
            .unwrap();
        let token = hs512.make_signer(None).unwrap().sign(&signed);
        let err = hs512.loads::<Value>(&token).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::BadHeader, "{h}");
        assert_eq!(dangerous::unverified_header(&err, &token), Some(h));
    }
}

#[test]
fn load_payload_error_table() {
    // s = J("secret-key"); s.loads(s.make_signer().sign(v), return_header=True) for each v.
    let s = JwsSerializer::new("secret-key").unwrap();
    let signer = s.make_signer(None).unwrap();
    let table: [(&str, ErrorKind, &str); 13] = [
        ("ab", ErrorKind::BadPayload, "no \".\" found in value"),
        (
            "a.b",
            ErrorKind::BadHeader,
            "could not base64 decode the header",
        ),
        (
            "ew.b",
            ErrorKind::BadPayload,
            "could not base64 decode the payload",
        ),
        (
            "ew.ab",
            ErrorKind::BadHeader,
            "could not unserialize header because it was malformed",
        ),
        (
            "W10.ab",
            ErrorKind::BadHeader,
            "header payload is not a JSON object",
        ),
        ("e30.e30", ErrorKind::BadHeader, "algorithm mismatch"),
        // Python decodes the non-canonical "ab" to b"i" and fails on the JSON; strict base64
        // fails first here. Same class (compatibility.md deviation 1).
        (
            "e30.ab",
            ErrorKind::BadPayload,
            "could not base64 decode the payload",
        ),
        (
            "eyJhbGciOiJIUzI1NiJ9.ab",
            ErrorKind::BadPayload,
            "could not base64 decode the payload",
        ),
        (
            "a.b.c",
            ErrorKind::BadHeader,
            "could not base64 decode the header",
        ),
        (
            "eyJhbGciOiJIUzUxMiJ9.MQ.MQ",
            ErrorKind::BadPayload,
            "could not base64 decode the payload",
        ),
        (
            ".",
            ErrorKind::BadHeader,
            "could not unserialize header because it was malformed",
        ),
        ("e30.", ErrorKind::BadPayload, "could not load the payload"),
        (
            "eyJhbGciOiJIUzUxMiJ9.",
            ErrorKind::BadPayload,
            "could not load the payload",
        ),
    ];
    for (value, kind, message) in table {
        let err = s.loads::<Value>(signer.sign(value)).unwrap_err();
        assert_eq!(
            (err.kind(), err.to_string().as_str()),
            (kind, message),
            "{value}"
        );
    }
    // "W10.ab": e.header == []; "e30.e30": e.header == {} and e.payload == {}.
    let token = signer.sign("W10.ab");
    let err = s.loads::<Value>(&token).unwrap_err();
    assert_eq!(dangerous::unverified_header(&err, &token), Some(json!([])));
    let token = signer.sign("e30.e30");
    let err = s.loads::<Value>(&token).unwrap_err();
    assert_eq!(dangerous::unverified_header(&err, &token), Some(json!({})));
    assert_eq!(
        dangerous::unverified_payload::<Value>(&err, &token),
        Some(json!({}))
    );
}

#[test]
fn python_decodes_header_before_alg_check() {
    let s = JwsSerializer::new("secret-key").unwrap();
    let signer = s.make_signer(None).unwrap();
    // Duplicate keys: the last value wins at the first position.
    // s.loads(sign(b64('{"alg":"HS256","x":1,"alg":"HS512"}') + "." + b64("1")), return_header=True)
    // == (1, {'alg': 'HS512', 'x': 1})
    let token = signer.sign("eyJhbGciOiJIUzI1NiIsIngiOjEsImFsZyI6IkhTNTEyIn0.MQ");
    let (value, got) = s.loads_with_header::<i32>(&token, None).unwrap();
    assert_eq!(value, 1);
    assert_eq!(
        String::from_utf8(python_json::to_vec(&got, python_json::Dialect::COMPACT).unwrap())
            .unwrap(),
        r#"{"alg":"HS512","x":1}"#
    );
    // Whitespace around JSON is fine: b64(' {"alg":"HS512"} ') . b64(" 1 ") loads as 1.
    let token = signer.sign("IHsiYWxnIjoiSFM1MTIifSA.IDEg");
    assert_eq!(s.loads::<i32>(&token).unwrap(), 1);
    // A bad payload beats an alg mismatch: b64('{"alg":"HS256"}') . b64("{") is BadPayload.
    let token = signer.sign("eyJhbGciOiJIUzI1NiJ9.ew");
    assert_eq!(
        s.loads::<Value>(&token).unwrap_err().kind(),
        ErrorKind::BadPayload
    );
}

#[test]
fn untimed_accepts_timed_tokens_and_not_the_reverse() {
    // J("secret-key").loads(TJ("secret-key").dumps(1), return_header=True)
    // == (1, {'alg': 'HS512', 'iat': 1308874145, 'exp': 1308877745})
    let token = timed(T0).dumps(&1).unwrap();
    let (value, got) = JwsSerializer::new("secret-key")
        .unwrap()
        .loads_with_header::<i32>(&token, None)
        .unwrap();
    assert_eq!(value, 1);
    assert_eq!(
        Value::Object(got),
        json!({"alg": "HS512", "iat": T0, "exp": T0 + 3600})
    );
    // TJ.loads(J.dumps(1)): BadSignature("Missing expiry date").
    let token = JwsSerializer::new("secret-key").unwrap().dumps(&1).unwrap();
    let err = timed(T0).loads::<i32>(&token).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BadSignature);
    assert_eq!(err.to_string(), "missing expiry date");
    assert_eq!(
        dangerous::unverified_payload::<i32>(&err, token.as_bytes()),
        Some(1)
    );
}

/// `ft.loads(sign(dump_payload({"alg": "HS512", "iat": 1308874000, "exp": exp}, "v")),
/// return_header=True)` with `now() == T0`, for each `exp`.
#[test]
fn exp_is_read_with_python_int() {
    let s = timed(T0);
    let signer = s.make_signer(None).unwrap();
    let plain = JwsSerializer::new("unused").unwrap();
    let token = |exp: Value| {
        let h = header(json!({"alg": "HS512", "iat": 1_308_874_000, "exp": exp}));
        signer.sign(plain.codec().dump_payload(&h, &"v").unwrap())
    };
    let ok: [(Value, &str); 8] = [
        (json!(" 1308874146 "), "1308874146"),
        (json!("+1308874146"), "1308874146"),
        (json!("1_308_874_146"), "1308874146"),
        (json!("١٣٠٨٨٧٤١٤٦"), "1308874146"),
        (json!("\u{2003} 1308874146\u{2003}"), "1308874146"),
        (json!(1_308_874_145.9), "1308874145"),
        (
            json!(1e300),
            "1000000000000000052504760255204420248704468581108159154915854115511802457988908195786371375080447864043704443832883878176942523235360430575644792184786706982848387200926575803737830233794788090059368953234970799945081119038967640880074652742780142494579258788820056842838115669472196386865459400540160",
        ),
        (
            python_json::from_slice(b"1000000000000000000000000000000").unwrap(),
            "1000000000000000000000000000000",
        ),
    ];
    for (exp, int) in ok {
        let (value, got) = s
            .loads_with_header::<String>(token(exp.clone()), None)
            .unwrap();
        assert_eq!(value, "v");
        assert_eq!(got["exp"].to_string(), int, "{exp}");
    }
    let iat_date = UNIX_EPOCH + Duration::from_secs(1_308_874_000);
    let expired = [
        json!(true),
        json!(false),
        json!(1_308_874_144.9),
        json!(-0.5),
        json!("-0"),
    ];
    for exp in expired {
        let signed = token(exp.clone());
        let err = s.loads::<String>(&signed).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::SignatureExpired, "{exp}");
        assert_eq!(err.date_signed(), Some(iat_date));
        assert_eq!(
            dangerous::unverified_payload::<String>(&err, signed.as_ref()).as_deref(),
            Some("v")
        );
    }
    // ValueError in Python, and -1: BadHeader("Expiry date is not an IntDate").
    // None, [] and {} raise TypeError in Python; BadHeader here.
    let bad = [
        json!("1308874146.0"),
        json!("0x10"),
        json!(""),
        json!("1__0"),
        json!("\u{1c}1308874146\u{1f}"),
        json!("1308874146\u{0}"),
        json!(-1),
        json!(null),
        json!([]),
        json!({}),
    ];
    for exp in bad {
        let signed = token(exp.clone());
        let err = s.loads::<String>(&signed).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::BadHeader, "{exp}");
        assert_eq!(err.to_string(), "expiry date is not an IntDate");
        assert_eq!(
            dangerous::unverified_payload::<String>(&err, signed.as_ref()).as_deref(),
            Some("v")
        );
    }
}

#[test]
fn issue_date_of_expired_tokens() {
    // ft.loads(sign(dump_payload({"alg": "HS512", "iat": iat, "exp": 5}, "v"))) at T0:
    // SignatureExpired with date_signed as listed (Python's ValueError for years past 9999
    // is None here).
    let s = timed(T0);
    let signer = s.make_signer(None).unwrap();
    let plain = JwsSerializer::new("unused").unwrap();
    let table = [
        (json!(true), Some(UNIX_EPOCH + Duration::from_secs(1))),
        (json!(1.9), Some(UNIX_EPOCH + Duration::from_secs(1))),
        (json!("x"), None),
        (json!(null), None),
        (json!(-5), UNIX_EPOCH.checked_sub(Duration::from_secs(5))),
        (
            json!(253_402_300_799_u64),
            Some(UNIX_EPOCH + Duration::from_secs(253_402_300_799)),
        ),
        (json!(253_402_300_800_u64), None),
    ];
    for (iat, date) in table {
        let h = header(json!({"alg": "HS512", "iat": iat.clone(), "exp": 5}));
        let token = signer.sign(plain.codec().dump_payload(&h, &"v").unwrap());
        let err = s.loads::<String>(&token).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::SignatureExpired, "{iat}");
        assert_eq!(err.date_signed(), date, "{iat}");
    }
}

#[test]
fn loads_unsafe_matches_python() {
    let s = JwsSerializer::new("secret-key").unwrap();
    let signer = s.make_signer(None).unwrap();
    let ts = timed(T0);
    let tsigner = ts.make_signer(None).unwrap();
    let forge = |signed: &str| {
        let mut t = signer.sign(signed);
        t.truncate(t.len() - 2);
        t.extend_from_slice(b"AA");
        t
    };
    let mismatch = signer.sign(
        s.codec()
            .dump_payload(&header(json!({"alg": "HS256"})), &json!({"a": 1}))
            .unwrap(),
    );

    // s.loads_unsafe(s.dumps([1]), return_header=True) == (True, ([1], {'alg': 'HS512'}))
    let (valid, loaded) =
        dangerous::loads_unsafe_with_header::<Value>(&s, s.dumps(&[1]).unwrap(), None).unwrap();
    assert!(valid);
    let (value, got) = loaded.unwrap();
    assert_eq!(
        (value, Value::Object(got)),
        (json!([1]), json!({"alg": "HS512"}))
    );
    // Bad signature over a good body: (False, ([1], {'alg': 'HS512'})).
    let (valid, loaded) =
        dangerous::loads_unsafe_with_header::<Value>(&s, forge("eyJhbGciOiJIUzUxMiJ9.WzFd"), None)
            .unwrap();
    assert!(!valid);
    assert_eq!(loaded.unwrap().0, json!([1]));
    // Alg mismatch with a good signature: (False, None); with a bad one: (False, {'a': 1}).
    assert_eq!(
        sign_serde::dangerous::loads_unsafe::<Value, _, _>(&s, &mismatch, None, None).unwrap(),
        (false, None)
    );
    let mut bad = mismatch.clone();
    bad.truncate(bad.len() - 2);
    bad.extend_from_slice(b"AA");
    assert_eq!(
        sign_serde::dangerous::loads_unsafe::<Value, _, _>(&s, &bad, None, None).unwrap(),
        (false, Some(json!({"a": 1})))
    );
    // Bad signature and a header that is not an object: BadHeader is raised.
    let err = sign_serde::dangerous::loads_unsafe::<Value, _, _>(&s, forge("W10.MQ"), None, None)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BadHeader);
    let err = sign_serde::dangerous::loads_unsafe::<Value, _, _>(&s, forge("a.MQ"), None, None)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BadHeader);
    // Bad signature and a bad payload: (False, None).
    assert_eq!(
        sign_serde::dangerous::loads_unsafe::<Value, _, _>(&s, forge("e30.ew"), None, None)
            .unwrap(),
        (false, None)
    );
    // Good signature, bad header: (False, None); good signature, bad payload: BadPayload.
    assert_eq!(
        sign_serde::dangerous::loads_unsafe::<Value, _, _>(&s, signer.sign("W10.MQ"), None, None)
            .unwrap(),
        (false, None)
    );
    let err =
        sign_serde::dangerous::loads_unsafe::<Value, _, _>(&s, signer.sign("e30.ew"), None, None)
            .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BadPayload);
    // No separator: (False, None).
    assert_eq!(
        sign_serde::dangerous::loads_unsafe::<Value, _, _>(&s, "abc", None, None).unwrap(),
        (false, None)
    );
    // Timed: expired (dict, str and list payloads) and missing exp give (False, None).
    // An int payload raises TypeError in Python (`b"." in 3`); (False, None) here.
    for payload in [json!({"a": 1}), json!("v"), json!([1]), json!(3)] {
        let h = header(json!({"alg": "HS512", "iat": 1, "exp": 5}));
        let token = tsigner.sign(s.codec().dump_payload(&h, &payload).unwrap());
        assert_eq!(
            sign_serde::dangerous::loads_unsafe::<Value, _, _>(&ts, &token, None, None).unwrap(),
            (false, None),
            "{payload}"
        );
    }
    let token = tsigner.sign(
        s.codec()
            .dump_payload(&header(json!({"alg": "HS512"})), &json!({"a": 1}))
            .unwrap(),
    );
    assert_eq!(
        sign_serde::dangerous::loads_unsafe::<Value, _, _>(&ts, &token, None, None).unwrap(),
        (false, None)
    );
}

#[test]
fn algorithm_names() {
    // J("k", algorithm_name="invalid"): NotImplementedError("Algorithm not supported").
    let err = "invalid".parse::<JwsAlgorithm>().unwrap_err();
    assert!(err.to_string().contains("not supported"), "{err}");
    assert!(dangerous::algorithm_from_name("invalid").is_err());
    assert!(dangerous::algorithm_from_name("hs256").is_err());
    // "none" only through dangerous.
    assert!("none".parse::<JwsAlgorithm>().is_err());
    assert_eq!(
        dangerous::algorithm_from_name("none").unwrap(),
        none_algorithm()
    );
    for algorithm in JwsAlgorithm::HMAC {
        assert_eq!(algorithm.name().parse::<JwsAlgorithm>().unwrap(), algorithm);
        assert_eq!(
            dangerous::algorithm_from_name(algorithm.name()).unwrap(),
            algorithm
        );
    }
    assert_eq!(JwsAlgorithm::default(), JwsAlgorithm::Hs512);
}

#[test]
fn empty_key_needs_opt_in() {
    // J("").dumps(1): Python accepts an empty key.
    assert!(JwsSerializer::new("").is_err());
    let s = JwsSerializer::builder()
        .key("")
        .allow_empty_key()
        .build()
        .unwrap();
    assert_eq!(
        s.dumps(&1).unwrap(),
        "eyJhbGciOiJIUzUxMiJ9.MQ.6KcOzcCqFLlDxqqPzt1-S6yM-OzPm2vNukeba82F1TW2l-sC154RHsaRNFdyAMQYatFWTusK6omfQo6MCNVGTw"
    );
    assert!(JwsSerializer::builder().build().is_err());
}

#[test]
fn debug_does_not_leak_keys() {
    let s = TimedJwsSerializer::builder()
        .key("hunter2-very-secret")
        .salt("salt")
        .build()
        .unwrap();
    let printed = format!(
        "{s:?} {:?}",
        JwsSerializer::new("hunter2-very-secret").unwrap()
    );
    assert!(!printed.contains("hunter2"), "{printed}");
}

#[test]
fn the_codec_fixes_the_signer_options_jws_implies() {
    // itsdangerous 2.0.1's make_signer ignores every signer option but salt and algorithm:
    // so does the engine's builder with the JWS codec.
    let value = json!({"id": 42});
    let plain = JwsSerializer::new("secret-key").unwrap();
    let tweaked = JwsSerializer::builder()
        .key("secret-key")
        .separator("~")
        .digest(sign_core::DigestMethod::Sha256)
        .key_derivation(sign_core::KeyDerivation::Hmac)
        .algorithm(sign_core::Algorithm::Hmac(sign_core::DigestMethod::Sha1))
        .build()
        .unwrap();
    assert_eq!(tweaked.dumps(&value).unwrap(), plain.dumps(&value).unwrap());
    assert_eq!(plain.signer_config().configured_salt(), None);
    // A per-call salt switches the derivation to django-concat, as a configured one does.
    let salted = JwsSerializer::builder()
        .key("secret-key")
        .salt("s")
        .build()
        .unwrap();
    assert_eq!(
        plain.dumps_with_salt(&value, "s").unwrap(),
        salted.dumps(&value).unwrap()
    );
    assert_eq!(
        plain.make_signer(Some(b"s")).unwrap().sign("x"),
        salted.make_signer(None).unwrap().sign("x")
    );
    assert_ne!(plain.dumps(&value).unwrap(), salted.dumps(&value).unwrap());
    // The engine's clock is the timed header's.
    let timed = TimedJwsSerializer::builder()
        .key("secret-key")
        .clock(FixedClock(T0))
        .build()
        .unwrap();
    assert_eq!(timed.codec().now(), T0);
    assert_eq!(timed.codec().make_header(None)["iat"], json!(T0));
}
