//! Byte-for-byte checks against Python 3.11's `json.dumps`. Every expected string below was
//! produced by running Python; the commands are recorded next to each table.

use std::collections::BTreeMap;

use proptest::prelude::*;
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use super::{Dialect, WriteError, to_vec, write};

fn dump<T: Serialize + ?Sized>(value: &T, dialect: Dialect) -> Result<String, String> {
    let bytes = to_vec(value, dialect).map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
}

fn parse(text: &str) -> crate::Value {
    match crate::from_slice(text.as_bytes()) {
        Ok(value) => value,
        Err(e) => panic!("test input {text:?} is not JSON: {e}"),
    }
}

// Inputs are JSON texts, parsed by this crate's reader into `Value` on our
// side and by `json.loads` on Python's. The generator, in Python 3.11:
//
//   def lit(s):  # a Rust string literal
//       out = []
//       for ch in s:
//           o = ord(ch)
//           if ch == '\\': out.append('\\\\')
//           elif ch == '"': out.append('\\"')
//           elif 0x20 <= o < 0x7f: out.append(ch)
//           else: out.append('\\u{%x}' % o)
//       return '"' + ''.join(out) + '"'
//   for s in inputs:
//       v = json.loads(s)
//       a = json.dumps(v)
//       b = json.dumps(v, ensure_ascii=False, separators=(",", ":"))
//       c = json.dumps(v, separators=(",", ":"), sort_keys=True)
//       print(f"({lit(s)}, {lit(a)}, {lit(b)}, {lit(c)}),")
//
// Columns: input, Dialect::PYTHON, Dialect::COMPACT, Dialect::FLASK.
const VALUE_CASES: &[(&str, &str, &str, &str)] = &[
    ("null", "null", "null", "null"),
    ("true", "true", "true", "true"),
    ("false", "false", "false", "false"),
    ("0", "0", "0", "0"),
    ("-1", "-1", "-1", "-1"),
    ("\"\"", "\"\"", "\"\"", "\"\""),
    ("[]", "[]", "[]", "[]"),
    ("{}", "{}", "{}", "{}"),
    ("[[]]", "[[]]", "[[]]", "[[]]"),
    ("{\"a\":{}}", "{\"a\": {}}", "{\"a\":{}}", "{\"a\":{}}"),
    ("[{}, []]", "[{}, []]", "[{},[]]", "[{},[]]"),
    (
        "\"plain ascii ~\"",
        "\"plain ascii ~\"",
        "\"plain ascii ~\"",
        "\"plain ascii ~\"",
    ),
    (
        "\"quote \\\" backslash \\\\ slash / solidus \\/\"",
        "\"quote \\\" backslash \\\\ slash / solidus /\"",
        "\"quote \\\" backslash \\\\ slash / solidus /\"",
        "\"quote \\\" backslash \\\\ slash / solidus /\"",
    ),
    (
        "\"\\b\\f\\n\\r\\t\"",
        "\"\\b\\f\\n\\r\\t\"",
        "\"\\b\\f\\n\\r\\t\"",
        "\"\\b\\f\\n\\r\\t\"",
    ),
    (
        "\"\\u0000\\u0001\\u0007\\u000b\\u000e\\u001b\\u001f \\u0020\"",
        "\"\\u0000\\u0001\\u0007\\u000b\\u000e\\u001b\\u001f  \"",
        "\"\\u0000\\u0001\\u0007\\u000b\\u000e\\u001b\\u001f  \"",
        "\"\\u0000\\u0001\\u0007\\u000b\\u000e\\u001b\\u001f  \"",
    ),
    (
        "\"\\u007f del\"",
        "\"\\u007f del\"",
        "\"\u{7f} del\"",
        "\"\\u007f del\"",
    ),
    (
        "\"\\u0080\\u00a0\\u00e9\\u00ff\\u0100\"",
        "\"\\u0080\\u00a0\\u00e9\\u00ff\\u0100\"",
        "\"\u{80}\u{a0}\u{e9}\u{ff}\u{100}\"",
        "\"\\u0080\\u00a0\\u00e9\\u00ff\\u0100\"",
    ),
    (
        "\"\\u2028\\u2029\"",
        "\"\\u2028\\u2029\"",
        "\"\u{2028}\u{2029}\"",
        "\"\\u2028\\u2029\"",
    ),
    (
        "\"\\ufeff\\ufffd\\uffff\"",
        "\"\\ufeff\\ufffd\\uffff\"",
        "\"\u{feff}\u{fffd}\u{ffff}\"",
        "\"\\ufeff\\ufffd\\uffff\"",
    ),
    (
        "\"\\ud83d\\ude00 \\ud800\\udc00 \\udbff\\udfff\"",
        "\"\\ud83d\\ude00 \\ud800\\udc00 \\udbff\\udfff\"",
        "\"\u{1f600} \u{10000} \u{10ffff}\"",
        "\"\\ud83d\\ude00 \\ud800\\udc00 \\udbff\\udfff\"",
    ),
    (
        "\"\u{e9}\u{1f600}\u{4e2d}\u{6587}\"",
        "\"\\u00e9\\ud83d\\ude00\\u4e2d\\u6587\"",
        "\"\u{e9}\u{1f600}\u{4e2d}\u{6587}\"",
        "\"\\u00e9\\ud83d\\ude00\\u4e2d\\u6587\"",
    ),
    (
        "{\"\u{e9}\": \"\u{fc}\", \"\\u2028\": \"\\u007f\"}",
        "{\"\\u00e9\": \"\\u00fc\", \"\\u2028\": \"\\u007f\"}",
        "{\"\u{e9}\":\"\u{fc}\",\"\u{2028}\":\"\u{7f}\"}",
        "{\"\\u00e9\":\"\\u00fc\",\"\\u2028\":\"\\u007f\"}",
    ),
    (
        "[1, [2, [3, [4, {\"k\": [5, {\"deep\": null}]}]]]]",
        "[1, [2, [3, [4, {\"k\": [5, {\"deep\": null}]}]]]]",
        "[1,[2,[3,[4,{\"k\":[5,{\"deep\":null}]}]]]]",
        "[1,[2,[3,[4,{\"k\":[5,{\"deep\":null}]}]]]]",
    ),
    (
        "{\"b\": 1, \"a\": 2, \"c\": {\"z\": [3, 2, 1], \"y\": {}}}",
        "{\"b\": 1, \"a\": 2, \"c\": {\"z\": [3, 2, 1], \"y\": {}}}",
        "{\"b\":1,\"a\":2,\"c\":{\"z\":[3,2,1],\"y\":{}}}",
        "{\"a\":2,\"b\":1,\"c\":{\"y\":{},\"z\":[3,2,1]}}",
    ),
    (
        "{\"a\": 1, \"b\": 2, \"a\": 3}",
        "{\"a\": 3, \"b\": 2}",
        "{\"a\":3,\"b\":2}",
        "{\"a\":3,\"b\":2}",
    ),
    (
        "{\"z\": 1, \"\u{e9}\": 2, \"a\": 3, \"\u{1f600}\": 4, \"\\uffff\": 5, \"A\": 6, \"\": 7, \"aa\": 8, \"a\\u0000\": 9, \"Z\": 10}",
        "{\"z\": 1, \"\\u00e9\": 2, \"a\": 3, \"\\ud83d\\ude00\": 4, \"\\uffff\": 5, \"A\": 6, \"\": 7, \"aa\": 8, \"a\\u0000\": 9, \"Z\": 10}",
        "{\"z\":1,\"\u{e9}\":2,\"a\":3,\"\u{1f600}\":4,\"\u{ffff}\":5,\"A\":6,\"\":7,\"aa\":8,\"a\\u0000\":9,\"Z\":10}",
        "{\"\":7,\"A\":6,\"Z\":10,\"a\":3,\"a\\u0000\":9,\"aa\":8,\"z\":1,\"\\u00e9\":2,\"\\uffff\":5,\"\\ud83d\\ude00\":4}",
    ),
    (
        "{\"\\ud83d\\ude00\": 1, \"\\uff61\": 2, \"\\ue000\": 3}",
        "{\"\\ud83d\\ude00\": 1, \"\\uff61\": 2, \"\\ue000\": 3}",
        "{\"\u{1f600}\":1,\"\u{ff61}\":2,\"\u{e000}\":3}",
        "{\"\\ue000\":3,\"\\uff61\":2,\"\\ud83d\\ude00\":1}",
    ),
    (
        "[18446744073709551616, 100000000000000000000, -1180591620717411303424]",
        "[18446744073709551616, 100000000000000000000, -1180591620717411303424]",
        "[18446744073709551616,100000000000000000000,-1180591620717411303424]",
        "[18446744073709551616,100000000000000000000,-1180591620717411303424]",
    ),
    (
        "[340282366920938463463374607431768211456, -170141183460469231731687303715884105729]",
        "[340282366920938463463374607431768211456, -170141183460469231731687303715884105729]",
        "[340282366920938463463374607431768211456,-170141183460469231731687303715884105729]",
        "[340282366920938463463374607431768211456,-170141183460469231731687303715884105729]",
    ),
    (
        "[123456789012345678901234567890123456789012345678901234567890]",
        "[123456789012345678901234567890123456789012345678901234567890]",
        "[123456789012345678901234567890123456789012345678901234567890]",
        "[123456789012345678901234567890123456789012345678901234567890]",
    ),
    (
        "[9007199254740993, -9007199254740993, 18446744073709551615, -9223372036854775808]",
        "[9007199254740993, -9007199254740993, 18446744073709551615, -9223372036854775808]",
        "[9007199254740993,-9007199254740993,18446744073709551615,-9223372036854775808]",
        "[9007199254740993,-9007199254740993,18446744073709551615,-9223372036854775808]",
    ),
    (
        "[1E5, 1.0e2, -0, -0.0, 0.0, 0E0, 1e-400, -1e-400]",
        "[100000.0, 100.0, 0, -0.0, 0.0, 0.0, 0.0, -0.0]",
        "[100000.0,100.0,0,-0.0,0.0,0.0,0.0,-0.0]",
        "[100000.0,100.0,0,-0.0,0.0,0.0,0.0,-0.0]",
    ),
    (
        "[1.5, 2.5, -3.25, 0.1, 0.30000000000000004, 1e16, 1e15, 1e-5, 1e-4, 1E+2, 1e-07, 123.456e-10]",
        "[1.5, 2.5, -3.25, 0.1, 0.30000000000000004, 1e+16, 1000000000000000.0, 1e-05, 0.0001, 100.0, 1e-07, 1.23456e-08]",
        "[1.5,2.5,-3.25,0.1,0.30000000000000004,1e+16,1000000000000000.0,1e-05,0.0001,100.0,1e-07,1.23456e-08]",
        "[1.5,2.5,-3.25,0.1,0.30000000000000004,1e+16,1000000000000000.0,1e-05,0.0001,100.0,1e-07,1.23456e-08]",
    ),
    (
        "[5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 4.9e-324, 2.5e-324]",
        "[5e-324, 2.2250738585072014e-308, 1.7976931348623157e+308, 5e-324, 5e-324]",
        "[5e-324,2.2250738585072014e-308,1.7976931348623157e+308,5e-324,5e-324]",
        "[5e-324,2.2250738585072014e-308,1.7976931348623157e+308,5e-324,5e-324]",
    ),
    (
        "[0.1e1, 10e-1, 100e-2, 1.00000000000000000001, 9007199254740993.0, 12345678901234567890.0]",
        "[1.0, 1.0, 1.0, 1.0, 9007199254740992.0, 1.2345678901234567e+19]",
        "[1.0,1.0,1.0,1.0,9007199254740992.0,1.2345678901234567e+19]",
        "[1.0,1.0,1.0,1.0,9007199254740992.0,1.2345678901234567e+19]",
    ),
    ("{\"id\": 42}", "{\"id\": 42}", "{\"id\":42}", "{\"id\":42}"),
    ("[1, 2, 3, 4]", "[1, 2, 3, 4]", "[1,2,3,4]", "[1,2,3,4]"),
    (
        "{\"a\": \"\\u00e9\", \"b\": [1, 2.5, null, true]}",
        "{\"a\": \"\\u00e9\", \"b\": [1, 2.5, null, true]}",
        "{\"a\":\"\u{e9}\",\"b\":[1,2.5,null,true]}",
        "{\"a\":\"\\u00e9\",\"b\":[1,2.5,null,true]}",
    ),
    // A repeated key keeps its first place and its last value (Python 3.11's `json.loads`,
    // then `json.dumps` as each dialect writes).
    (
        r#"{"a":1,"b":0,"a":2}"#,
        r#"{"a": 2, "b": 0}"#,
        r#"{"a":2,"b":0}"#,
        r#"{"a":2,"b":0}"#,
    ),
    (
        r#"{"a":{"x":1},"a":[2]}"#,
        r#"{"a": [2]}"#,
        r#"{"a":[2]}"#,
        r#"{"a":[2]}"#,
    ),
    // Objects keyed by serde_json's number token are dicts like any other (Python 3.11's
    // `json.loads`, then `json.dumps` as each dialect writes).
    (
        r#"{"$serde_json::private::Number":"5"}"#,
        r#"{"$serde_json::private::Number": "5"}"#,
        r#"{"$serde_json::private::Number":"5"}"#,
        r#"{"$serde_json::private::Number":"5"}"#,
    ),
    (
        r#"{"$serde_json::private::Number":"123456789012345678901234567890","a":1}"#,
        r#"{"$serde_json::private::Number": "123456789012345678901234567890", "a": 1}"#,
        r#"{"$serde_json::private::Number":"123456789012345678901234567890","a":1}"#,
        r#"{"$serde_json::private::Number":"123456789012345678901234567890","a":1}"#,
    ),
    (
        r#"{"x":{"$serde_json::private::Number":"5"},"y":[{"$serde_json::private::Number":5}]}"#,
        r#"{"x": {"$serde_json::private::Number": "5"}, "y": [{"$serde_json::private::Number": 5}]}"#,
        r#"{"x":{"$serde_json::private::Number":"5"},"y":[{"$serde_json::private::Number":5}]}"#,
        r#"{"x":{"$serde_json::private::Number":"5"},"y":[{"$serde_json::private::Number":5}]}"#,
    ),
    (
        r#"{"a":1,"$serde_json::private::Number":"5"}"#,
        r#"{"a": 1, "$serde_json::private::Number": "5"}"#,
        r#"{"a":1,"$serde_json::private::Number":"5"}"#,
        r#"{"$serde_json::private::Number":"5","a":1}"#,
    ),
];

// (bits, Python `json.dumps`/`repr`), generated by running in Python 3.11:
//   for e in EXPRESSIONS: x = float(eval(e)); print(hex(struct.unpack('<Q', struct.pack('<d', x))[0]), json.dumps(x))
// with the expression recorded next to each case.
const FLOAT_CASES: &[(u64, &str)] = &[
    (0x0000000000000000, "0.0"),                      // 0.0
    (0x8000000000000000, "-0.0"),                     // -0.0
    (0x3ff0000000000000, "1.0"),                      // 1.0
    (0xbff0000000000000, "-1.0"),                     // -1.0
    (0x3fe0000000000000, "0.5"),                      // 0.5
    (0x3fb999999999999a, "0.1"),                      // 0.1
    (0x3fc999999999999a, "0.2"),                      // 0.2
    (0x3fd3333333333334, "0.30000000000000004"),      // 0.1+0.2
    (0x3fd5555555555555, "0.3333333333333333"),       // 1/3
    (0x3fe5555555555555, "0.6666666666666666"),       // 2/3
    (0xbfd5555555555555, "-0.3333333333333333"),      // -1/3
    (0x400921fb54442d18, "3.141592653589793"),        // 3.141592653589793
    (0x4005bf0a8b145769, "2.718281828459045"),        // 2.718281828459045
    (0x4059000000000000, "100.0"),                    // 100.0
    (0x4059000000000000, "100.0"),                    // 1e2
    (0x405edd2f1a9fbe77, "123.456"),                  // 123.456
    (0xc05edd2f1a9fbe77, "-123.456"),                 // -123.456
    (0x430c6bf526340000, "1000000000000000.0"),       // 1e15
    (0x430c6bf526340004, "1000000000000000.5"),       // 1e15+0.5
    (0x430c6bf52633ffff, "999999999999999.9"),        // 999999999999999.9
    (0x4341c37937e07fff, "9999999999999998.0"),       // 9999999999999998.0
    (0x4341c37937e08000, "1e+16"),                    // 1e16
    (0x4341c37937e08001, "1.0000000000000002e+16"),   // 1e16+2
    (0xc341c37937e08000, "-1e+16"),                   // -1e16
    (0x4376345785d8a000, "1e+17"),                    // 1e17
    (0x437b69b4ba630f35, "1.2345678901234568e+17"),   // 1.2345678901234568e+17
    (0x4480f0cf064dd592, "1e+22"),                    // 1e22
    (0x44b52d02c7e14af6, "1e+23"),                    // 1e23
    (0x54b249ad2594c37d, "1e+100"),                   // 1e100
    (0x7e37e43c8800759c, "1e+300"),                   // 1e300
    (0x7fefffffffffffff, "1.7976931348623157e+308"),  // 1.7976931348623157e308
    (0xffefffffffffffff, "-1.7976931348623157e+308"), // -1.7976931348623157e308
    (0x421bf08eb0000000, "30000000000.0"),            // 3e10
    (0x421bf08eb0020000, "30000000000.5"),            // 30000000000.5
    (0x3f50624dd2f1a9fc, "0.001"),                    // 1e-3
    (0x3f1a36e2eb1c432d, "0.0001"),                   // 1e-4
    (0x3f202e4b6ce5dc68, "0.00012345"),               // 0.00012345
    (0x3f1a36e2eb1c432d, "0.0001"),                   // 0.0001
    (0x3f1a36e2eb1c432c, "9.999999999999999e-05"),    // 9.999999999999999e-05
    (0x3ee4f8b588e368f1, "1e-05"),                    // 1e-05
    (0xbee4f8b588e368f1, "-1e-05"),                   // -1e-05
    (0x3eef75104d551d69, "1.5e-05"),                  // 1.5e-05
    (0x3eb0c6f7a0b5ed8d, "1e-06"),                    // 1e-06
    (0x3e7ad7f29abcaf48, "1e-07"),                    // 1e-07
    (0x3ddb7cdfd9d7bdbb, "1e-10"),                    // 1e-10
    (0x2b2bff2ee48e0530, "1e-100"),                   // 1e-100
    (0x01a56e1fc2f8f359, "1e-300"),                   // 1e-300
    (0x0010000000000000, "2.2250738585072014e-308"),  // 2.2250738585072014e-308
    (0x000fffffffffffff, "2.225073858507201e-308"),   // 2.225073858507201e-308
    (0x0000000000000001, "5e-324"),                   // 5e-324
    (0x8000000000000001, "-5e-324"),                  // -5e-324
    (0x0000000000000002, "1e-323"),                   // 1e-323
    (0x0000000000000064, "4.94e-322"),                // 4.9406564584124654e-322
    (0x0000000000000003, "1.5e-323"),                 // 1.5e-323
    (0x4330000000000000, "4503599627370496.0"),       // 2**52
    (0x4340000000000000, "9007199254740992.0"),       // 2**53
    (0x4340000000000001, "9007199254740994.0"),       // 2**53+2
    (0x43e0000000000000, "9.223372036854776e+18"),    // 2**63
    (0x43f0000000000000, "1.8446744073709552e+19"),   // 2**64
    (0x7fe0000000000000, "8.98846567431158e+307"),    // 2**1023
    (0x3fd3333333333334, "0.30000000000000004"),      // 0.1*3
    (0x3ff199999999999a, "1.1"),                      // 1.1
    (0x4005666666666666, "2.675"),                    // 2.675
    (0x3ff0147ae147ae14, "1.005"),                    // 1.005
    (0x3fe0000000000000, "0.5"),                      // 5e-1
    (0x3fd3333333333333, "0.3"),                      // 0.3
    (0x419d6f34547df3b6, "123456789.123"),            // 123456789.123
    (0xbf201f31f46ed246, "-0.000123"),                // -0.000123
    (0x4011666666666666, "4.35"),                     // 4.35
    (0x3fe6666666666666, "0.7"),                      // 0.7
    (0x3ff0000000000001, "1.0000000000000002"),       // 1.0000000000000002
    (0x3fefffffffffffff, "0.9999999999999999"),       // 0.9999999999999999
    (0x7feffffffffffffe, "1.7976931348623155e+308"),  // 1.7976931348623155e308
    (0x7fe0000000000000, "8.98846567431158e+307"),    // 8.98846567431158e307
    (0x444b1ae4d6e2ef50, "1e+21"),                    // 1e21
    (0x3e9421f5f40d8376, "3e-07"),                    // 1e-7*3
    (0x441aabdf2145b430, "1.23e+20"),                 // 123e18
    (0x41678c29dccccccd, "12345678.9"),               // 12345678.9
    (0x3f847ae147ae147b, "0.01"),                     // 0.01
    (0x3f50624dd2f1a9fc, "0.001"),                    // 0.001
    (0x3f201f31f46ed246, "0.000123"),                 // 1.23e-4
    (0x3ee9cb8320b15070, "1.23e-05"),                 // 1.23e-5
    (0x4340e0198eaee000, "9500000000000000.0"),       // 9.5e15
    (0x4375181ff25a9800, "9.5e+16"),                  // 9.5e16
    (0x43118b54f22aeb03, "1234567890123456.8"),       // 1234567890123456.7
    (0x4345ee2a2eb5a5c4, "1.2345678901234568e+16"),   // 12345678901234567.0
    // Exact halfway values, where Python's dtoa rounds the last digit half-even and Rust's
    // shortest formatting rounds up: Decimal(x) is 1192656705925299.25, 821086703817.65625,
    // -86233083430741.125.
    (0x4310f2dc1d2ec2cd, "1192656705925299.2"), // 1192656705925299.25
    (0x4267e5929a193500, "821086703817.6562"),  // 821086703817.65625
    (0xc2d39b6d1391d548, "-86233083430741.12"), // -86233083430741.125
];

#[test]
fn values_match_python() {
    for (input, python, compact, flask) in VALUE_CASES {
        let value = parse(input);
        assert_eq!(
            dump(&value, Dialect::PYTHON).as_deref(),
            Ok(*python),
            "PYTHON {input}"
        );
        assert_eq!(
            dump(&value, Dialect::COMPACT).as_deref(),
            Ok(*compact),
            "COMPACT {input}"
        );
        assert_eq!(
            dump(&value, Dialect::FLASK).as_deref(),
            Ok(*flask),
            "FLASK {input}"
        );
    }
}

#[test]
fn floats_match_python() {
    for (bits, expected) in FLOAT_CASES {
        let value = f64::from_bits(*bits);
        for dialect in [Dialect::PYTHON, Dialect::COMPACT, Dialect::FLASK] {
            assert_eq!(
                dump(&value, dialect).as_deref(),
                Ok(*expected),
                "{bits:#018x}"
            );
        }
    }
}

#[test]
fn float_fixture_matches_python() {
    let fixture = include_str!("float_repr_cases.txt");
    let mut checked = 0;
    for line in fixture.lines().filter(|l| !l.starts_with('#')) {
        let Some((hex, expected)) = line.split_once(' ') else {
            panic!("bad fixture line {line:?}");
        };
        let Ok(bits) = u64::from_str_radix(hex, 16) else {
            panic!("bad fixture bits {line:?}");
        };
        let value = f64::from_bits(bits);
        assert_eq!(
            dump(&value, Dialect::COMPACT).as_deref(),
            Ok(expected),
            "{hex}"
        );
        // The same float inside a serde_json::Number, as text from another writer.
        let number = parse(&format!("{value:e}"));
        assert_eq!(
            dump(&number, Dialect::COMPACT).as_deref(),
            Ok(expected),
            "{hex}"
        );
        checked += 1;
    }
    assert_eq!(checked, 3200);
}

/// Serializes its pairs as a map in the given order, with any key type.
struct Pairs<'a, K, V>(&'a [(K, V)]);

impl<K: Serialize, V: Serialize> Serialize for Pairs<'_, K, V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in self.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

/// A key of any of the types Python accepts.
enum PyKey {
    Int(i64),
    Float(f64),
    Bool(bool),
    Str(&'static str),
    None,
}

impl Serialize for PyKey {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            PyKey::Int(v) => serializer.serialize_i64(*v),
            PyKey::Float(v) => serializer.serialize_f64(*v),
            PyKey::Bool(v) => serializer.serialize_bool(*v),
            PyKey::Str(v) => serializer.serialize_str(v),
            PyKey::None => serializer.serialize_none(),
        }
    }
}

struct Bytes(&'static [u8]);

impl Serialize for Bytes {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(self.0)
    }
}

#[derive(Serialize)]
struct Record {
    b: u8,
    a: &'static str,
    c: Option<i32>,
}

#[derive(Serialize)]
enum Shape {
    Unit,
    New(i32),
    Tup(i32, char),
    Struct { y: i32, x: Vec<f64> },
}

#[derive(Serialize)]
struct Unit;

#[derive(Serialize)]
struct Newtype(u8);

/// A number given as text through serde_json's number protocol, as serde_json with
/// `arbitrary_precision` (turned on by some other crate in a build) serializes its `Number`.
struct NumberText(String);

impl Serialize for NumberText {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct(crate::NUMBER_TOKEN, 1)?;
        s.serialize_field(crate::NUMBER_TOKEN, &self.0)?;
        s.end()
    }
}

fn number(text: &str) -> NumberText {
    NumberText(text.to_owned())
}

/// Checks one Rust value against the three dialects' Python output.
fn check<T: Serialize + ?Sized>(value: &T, python: &str, compact: &str, flask: &str) {
    assert_eq!(dump(value, Dialect::PYTHON).as_deref(), Ok(python));
    assert_eq!(dump(value, Dialect::COMPACT).as_deref(), Ok(compact));
    assert_eq!(dump(value, Dialect::FLASK).as_deref(), Ok(flask));
}

// Expected strings: for each Python value `v` in the comment, in Python 3.11,
//   json.dumps(v)
//   json.dumps(v, ensure_ascii=False, separators=(",", ":"))
//   json.dumps(v, separators=(",", ":"), sort_keys=True)
#[test]
fn serde_data_model_matches_python() {
    // {"b": 1, "a": "x", "c": None}
    check(
        &Record {
            b: 1,
            a: "x",
            c: None,
        },
        "{\"b\": 1, \"a\": \"x\", \"c\": null}",
        "{\"b\":1,\"a\":\"x\",\"c\":null}",
        "{\"a\":\"x\",\"b\":1,\"c\":null}",
    );
    // "Unit"
    check(&Shape::Unit, "\"Unit\"", "\"Unit\"", "\"Unit\"");
    // {"New": -7}
    check(
        &Shape::New(-7),
        "{\"New\": -7}",
        "{\"New\":-7}",
        "{\"New\":-7}",
    );
    // {"Tup": [1, "é"]}
    check(
        &Shape::Tup(1, 'é'),
        "{\"Tup\": [1, \"\\u00e9\"]}",
        "{\"Tup\":[1,\"\u{e9}\"]}",
        "{\"Tup\":[1,\"\\u00e9\"]}",
    );
    // {"Struct": {"y": 1, "x": [2.5]}}
    check(
        &Shape::Struct { y: 1, x: vec![2.5] },
        "{\"Struct\": {\"y\": 1, \"x\": [2.5]}}",
        "{\"Struct\":{\"y\":1,\"x\":[2.5]}}",
        "{\"Struct\":{\"x\":[2.5],\"y\":1}}",
    );
    // {10: "a", 9: "b", -1: "c", 0: "d"}
    check(
        &Pairs(&[(10, "a"), (9, "b"), (-1, "c"), (0, "d")]),
        "{\"10\": \"a\", \"9\": \"b\", \"-1\": \"c\", \"0\": \"d\"}",
        "{\"10\":\"a\",\"9\":\"b\",\"-1\":\"c\",\"0\":\"d\"}",
        "{\"-1\":\"c\",\"0\":\"d\",\"9\":\"b\",\"10\":\"a\"}",
    );
    // {2.5: 1, 2: 2, True: 3, False: 4, -1: 5, 1e16: 6, -0.5: 7}
    check(
        &Pairs(&[
            (PyKey::Float(2.5), 1),
            (PyKey::Int(2), 2),
            (PyKey::Bool(true), 3),
            (PyKey::Bool(false), 4),
            (PyKey::Int(-1), 5),
            (PyKey::Float(1e16), 6),
            (PyKey::Float(-0.5), 7),
        ]),
        "{\"2.5\": 1, \"2\": 2, \"true\": 3, \"false\": 4, \"-1\": 5, \"1e+16\": 6, \"-0.5\": 7}",
        "{\"2.5\":1,\"2\":2,\"true\":3,\"false\":4,\"-1\":5,\"1e+16\":6,\"-0.5\":7}",
        "{\"-1\":5,\"-0.5\":7,\"false\":4,\"true\":3,\"2\":2,\"2.5\":1,\"1e+16\":6}",
    );
    // {"b": 1, "é": 2, "a": 3}
    check(
        &Pairs(&[("b", 1), ("é", 2), ("a", 3)]),
        "{\"b\": 1, \"\\u00e9\": 2, \"a\": 3}",
        "{\"b\":1,\"\u{e9}\":2,\"a\":3}",
        "{\"a\":3,\"b\":1,\"\\u00e9\":2}",
    );
    // {None: 1}
    check(
        &Pairs(&[(PyKey::None, 1)]),
        "{\"null\": 1}",
        "{\"null\":1}",
        "{\"null\":1}",
    );
    // [0, 255, 104, 105] (Python has no bytes in JSON; serde_json writes an array)
    check(
        &Bytes(b"\x00\xffhi"),
        "[0, 255, 104, 105]",
        "[0,255,104,105]",
        "[0,255,104,105]",
    );
    // "é"
    check(&'é', "\"\\u00e9\"", "\"\u{e9}\"", "\"\\u00e9\"");
    // [1, None]
    check(&[Some(1), None], "[1, null]", "[1,null]", "[1,null]");
    // [1, "a", [True, False]]
    check(
        &(1, "a", [true, false]),
        "[1, \"a\", [true, false]]",
        "[1,\"a\",[true,false]]",
        "[1,\"a\",[true,false]]",
    );
    // [None, None, None]
    check(
        &((), Unit, Option::<u8>::None),
        "[null, null, null]",
        "[null,null,null]",
        "[null,null,null]",
    );
    // 5
    check(&Newtype(5), "5", "5", "5");
    // [0.1, 16777216.0, 3.4028235e38, 1e-07, -0.0, 1e-45]: f32 as its shortest digits
    check(
        &[0.1_f32, 16_777_216.0, f32::MAX, 1e-7, -0.0, 1e-45],
        "[0.1, 16777216.0, 3.4028235e+38, 1e-07, -0.0, 1e-45]",
        "[0.1,16777216.0,3.4028235e+38,1e-07,-0.0,1e-45]",
        "[0.1,16777216.0,3.4028235e+38,1e-07,-0.0,1e-45]",
    );
    // [-128, 255, -2**127, 2**128 - 1, -2**63, 2**64 - 1]
    check(
        &(-128_i8, 255_u8, i128::MIN, u128::MAX, i64::MIN, u64::MAX),
        "[-128, 255, -170141183460469231731687303715884105728, \
         340282366920938463463374607431768211455, -9223372036854775808, 18446744073709551615]",
        "[-128,255,-170141183460469231731687303715884105728,\
         340282366920938463463374607431768211455,-9223372036854775808,18446744073709551615]",
        "[-128,255,-170141183460469231731687303715884105728,\
         340282366920938463463374607431768211455,-9223372036854775808,18446744073709551615]",
    );
    // {100000.0: 1, 5: 2, 10**30: 3}: serde_json::Number keys "1E5", "5", "1e30" as text
    check(
        &Pairs(&[
            (number("1E5"), 1),
            (number("5"), 2),
            (number("1000000000000000000000000000000"), 3),
        ]),
        "{\"100000.0\": 1, \"5\": 2, \"1000000000000000000000000000000\": 3}",
        "{\"100000.0\":1,\"5\":2,\"1000000000000000000000000000000\":3}",
        "{\"5\":2,\"100000.0\":1,\"1000000000000000000000000000000\":3}",
    );
    // {nan: 1, inf: 2, -inf: 3, 1e-05: 4}: valid JSON as keys (FLASK: see the error test)
    let float_keys = Pairs(&[
        (f64::NAN, 1),
        (f64::INFINITY, 2),
        (f64::NEG_INFINITY, 3),
        (1e-5, 4),
    ]);
    assert_eq!(
        dump(&float_keys, Dialect::PYTHON).as_deref(),
        Ok("{\"NaN\": 1, \"Infinity\": 2, \"-Infinity\": 3, \"1e-05\": 4}")
    );
    assert_eq!(
        dump(&float_keys, Dialect::COMPACT).as_deref(),
        Ok("{\"NaN\":1,\"Infinity\":2,\"-Infinity\":3,\"1e-05\":4}")
    );
    // Sorted keys in a BTreeMap of strings, nested: {"b": {"z": 1, "a": 2}, "a": []}
    let mut inner = BTreeMap::new();
    inner.insert("z", 1);
    inner.insert("a", 2);
    check(
        &Pairs(&[("b", Some(inner)), ("a", None)]),
        "{\"b\": {\"a\": 2, \"z\": 1}, \"a\": null}",
        "{\"b\":{\"a\":2,\"z\":1},\"a\":null}",
        "{\"a\":null,\"b\":{\"a\":2,\"z\":1}}",
    );
}

#[test]
fn itsdangerous_reference_payloads() {
    // The payload parts of tokens made by itsdangerous 2.2.0 (docs/compatibility.md,
    // "JSON dialects").
    let cases = [
        (r#"{"id": 42}"#, Dialect::PYTHON, r#"{"id": 42}"#),
        (r#"{"id": 42}"#, Dialect::COMPACT, r#"{"id":42}"#),
        (
            r#"{"a": "é", "b": [1, 2.5, null, true]}"#,
            Dialect::PYTHON,
            r#"{"a": "\u00e9", "b": [1, 2.5, null, true]}"#,
        ),
        (r#"[1e16, -0.0]"#, Dialect::PYTHON, r#"[1e+16, -0.0]"#),
        (r#""😀""#, Dialect::PYTHON, r#""\ud83d\ude00""#),
        (r#""😀""#, Dialect::COMPACT, "\"\u{1f600}\""),
        (r#"{"b":1,"a":2}"#, Dialect::PYTHON, r#"{"b": 1, "a": 2}"#),
        (
            r#"{"b":1,"a":"é"}"#,
            Dialect::FLASK,
            r#"{"a":"\u00e9","b":1}"#,
        ),
    ];
    for (input, dialect, expected) in cases {
        assert_eq!(
            dump(&parse(input), dialect).as_deref(),
            Ok(expected),
            "{input}"
        );
    }
}

#[test]
fn errors() {
    for dialect in [Dialect::PYTHON, Dialect::COMPACT, Dialect::FLASK] {
        for value in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert_eq!(to_vec(&value, dialect), Err(WriteError::NonFinite));
            assert_eq!(to_vec(&[1.0, value], dialect), Err(WriteError::NonFinite));
        }
        assert_eq!(to_vec(&f32::NAN, dialect), Err(WriteError::NonFinite));
        // Python's json.loads reads 1e400 as inf, and json.dumps writes `Infinity`.
        assert_eq!(
            to_vec(&number("1e400"), dialect),
            Err(WriteError::NonFinite)
        );
        assert_eq!(
            to_vec(&number("-1e400"), dialect),
            Err(WriteError::NonFinite)
        );
        // Python: ValueError: Exceeds the limit (4300 digits) for integer string conversion.
        let long = format!("-1{}", "0".repeat(4300));
        assert_eq!(
            to_vec(&number(&long), dialect),
            Err(WriteError::IntegerTooLong { digits: 4301 })
        );
        assert_eq!(
            to_vec(&Pairs(&[(number(&long), 1)]), dialect),
            Err(WriteError::IntegerTooLong { digits: 4301 })
        );
        // Python: TypeError: keys must be str, int, float, bool or None, not tuple.
        assert_eq!(
            to_vec(&Pairs(&[((1, 2), 1)]), dialect),
            Err(WriteError::KeyType { found: "a tuple" })
        );
        assert_eq!(
            to_vec(&Pairs(&[(vec![1], 1)]), dialect),
            Err(WriteError::KeyType {
                found: "a sequence"
            })
        );
        assert_eq!(
            to_vec(&Pairs(&[(Bytes(b"k"), 1)]), dialect),
            Err(WriteError::KeyType { found: "bytes" })
        );
        assert_eq!(
            to_vec(&Pairs(&[(Shape::New(1), 1)]), dialect),
            Err(WriteError::KeyType {
                found: "an enum variant with data"
            })
        );
    }
    // Unit variants are fine as keys, as in serde_json.
    assert_eq!(
        dump(&Pairs(&[(Shape::Unit, 1)]), Dialect::PYTHON).as_deref(),
        Ok("{\"Unit\": 1}")
    );

    // sort_keys only: Python's sorted() raises TypeError on these.
    // json.dumps({1: 1, "a": 2}, sort_keys=True): '<' not supported between 'str' and 'int'
    let mixed = Pairs(&[(PyKey::Int(1), 1), (PyKey::Str("a"), 2)]);
    assert_eq!(
        to_vec(&mixed, Dialect::FLASK),
        Err(WriteError::UnorderableKeys {
            first: "str",
            second: "int"
        })
    );
    assert!(to_vec(&mixed, Dialect::PYTHON).is_ok());
    // json.dumps({None: 1, 2: 2}, sort_keys=True): '<' not supported between 'int' and 'NoneType'
    let none = Pairs(&[(PyKey::None, 1), (PyKey::Int(2), 2)]);
    assert_eq!(
        to_vec(&none, Dialect::FLASK),
        Err(WriteError::UnorderableKeys {
            first: "int",
            second: "NoneType"
        })
    );
    // A single None key needs no comparison, in Python too.
    assert!(to_vec(&Pairs(&[(PyKey::None, 1)]), Dialect::FLASK).is_ok());
    // Python orders NaN keys by accident of its sort; we refuse.
    let nan = Pairs(&[(f64::NAN, 1), (1.0, 2)]);
    assert_eq!(to_vec(&nan, Dialect::FLASK), Err(WriteError::NanKey));
}

#[test]
fn write_appends() {
    let mut out = b"prefix:".to_vec();
    assert_eq!(write(&[1, 2], Dialect::PYTHON, &mut out), Ok(()));
    assert_eq!(out, b"prefix:[1, 2]");
}

/// Serializes like `serde_json::value::RawValue` (the `raw_value` feature is not enabled here).
struct RawValue(&'static str);

impl Serialize for RawValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let token = "$serde_json::private::RawValue";
        let mut s = serializer.serialize_struct(token, 1)?;
        s.serialize_field(token, self.0)?;
        s.end()
    }
}

#[test]
fn raw_value_text_is_rewritten() {
    let raw = RawValue("{\"b\" : 1E5, \"a\":[ \"\u{e9}\" ]}");
    assert_eq!(
        dump(&raw, Dialect::PYTHON).as_deref(),
        Ok("{\"b\": 100000.0, \"a\": [\"\\u00e9\"]}")
    );
    assert!(to_vec(&RawValue("{"), Dialect::PYTHON).is_err());
}

#[test]
fn number_from_f64_uses_python_layout() {
    // serde_json's own Number text for these is "1e16"/"1e-7"; Python writes 1e+16 and 1e-07.
    let values = serde_json::json!([1e16, 1e-7, 1e-5, 100.0]);
    assert_eq!(
        dump(&values, Dialect::PYTHON).as_deref(),
        Ok("[1e+16, 1e-07, 1e-05, 100.0]")
    );
}

proptest! {
    #[test]
    fn finite_floats_round_trip(bits in any::<u64>()) {
        let value = f64::from_bits(bits);
        prop_assume!(value.is_finite());
        let text = dump(&value, Dialect::PYTHON).map_err(TestCaseError::fail)?;
        let back: f64 = text.parse().map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
        prop_assert_eq!(back.to_bits(), bits, "{}", text);
        // Python's layout: positional with a ".", or d[.ddd]e±XX with at least 2 exponent digits.
        match text.split_once('e') {
            Some((mantissa, exponent)) => {
                prop_assert!(exponent.starts_with('+') || exponent.starts_with('-'));
                prop_assert!(exponent.len() >= 3);
                prop_assert!(!mantissa.ends_with(".0"));
            }
            None => prop_assert!(text.contains('.')),
        }
    }

    #[test]
    fn strings_round_trip_through_serde_json(text in any::<String>()) {
        for dialect in [Dialect::PYTHON, Dialect::COMPACT, Dialect::FLASK] {
            let json = dump(&text, dialect).map_err(TestCaseError::fail)?;
            let back: String = serde_json::from_str(&json)
                .map_err(|e| TestCaseError::fail(format!("{json}: {e}")))?;
            prop_assert_eq!(&back, &text);
            if dialect.ensure_ascii() {
                prop_assert!(json.bytes().all(|b| (b' '..=b'~').contains(&b)));
            } else {
                prop_assert!(json.bytes().all(|b| b >= b' '));
            }
        }
    }

    #[test]
    fn sorted_keys_are_in_code_point_order(keys in proptest::collection::vec(any::<String>(), 0..8)) {
        let pairs: Vec<(String, usize)> = keys.iter().cloned().zip(0..).collect();
        let json = dump(&Pairs(&pairs), Dialect::FLASK).map_err(TestCaseError::fail)?;
        let back: crate::Value = crate::from_slice(json.as_bytes())
            .map_err(|e| TestCaseError::fail(format!("{json}: {e}")))?;
        let back = back.as_object().ok_or_else(|| TestCaseError::fail("not an object"))?;
        let written: Vec<&String> = back.keys().collect();
        let mut sorted: Vec<&String> = written.clone();
        sorted.sort();
        prop_assert_eq!(written, sorted);
    }
}

#[test]
fn json_macro_keeps_order_and_nests() {
    let x = 7_u8;
    let value = crate::json!({
        "z": {"b": [1, -2, 2.5, null, true, false, [], {}], "a": x},
        "y": "text",
        "big": 123_456_789_012_345_678_901_234_567_890_i128,
    });
    assert_eq!(
        dump(&value, Dialect::PYTHON).as_deref(),
        Ok(
            r#"{"z": {"b": [1, -2, 2.5, null, true, false, [], {}], "a": 7}, "y": "text", "big": 123456789012345678901234567890}"#
        )
    );
    assert_eq!(crate::json!([x, "a", null]), crate::json!([7, "a", null]));
}

/// `sort_keys` writes string keys that come in order straight out, and sorts everything
/// else: either way the text is that of the entries stably sorted and written unsorted
/// (Django's dialect is Flask's without `sort_keys`), nested or not, whatever the order, the
/// repeats and where the first out-of-order key comes.
#[test]
fn sorted_objects_are_the_stably_sorted_entries() {
    let keys = ["a", "b", "ab", "\u{e9}", "B", "", "a\"", "b"];
    for len in 0..=keys.len() {
        for rotation in 0..len.max(1) {
            let mut pairs: Vec<(&str, i64)> = keys
                .iter()
                .take(len)
                .cycle()
                .skip(rotation)
                .take(len)
                .zip(0..)
                .map(|(k, v)| (*k, v))
                .collect();
            for reversed in [false, true] {
                if reversed {
                    pairs.reverse();
                }
                let mut sorted = pairs.clone();
                sorted.sort_by(|a, b| a.0.cmp(b.0));
                let inner = Pairs(&pairs);
                let nested = [("z", Pairs(&pairs)), ("y", Pairs(&pairs))];
                let nested_sorted = [("y", Pairs(&sorted)), ("z", Pairs(&sorted))];
                assert_eq!(
                    dump(&inner, Dialect::FLASK),
                    dump(&Pairs(&sorted), Dialect::DJANGO),
                    "{pairs:?}"
                );
                assert_eq!(
                    dump(&Pairs(&nested), Dialect::FLASK),
                    dump(&Pairs(&nested_sorted), Dialect::DJANGO),
                    "{pairs:?}"
                );
            }
        }
    }
    // A string key, then others: sorted (and refused) as before.
    assert_eq!(
        dump(
            &Pairs(&[(PyKey::Str("a"), 1), (PyKey::Int(1), 2)]),
            Dialect::FLASK
        ),
        Err(WriteError::UnorderableKeys {
            first: "str",
            second: "int"
        }
        .to_string())
    );
    assert_eq!(
        dump(
            &Pairs(&[(PyKey::Str("b"), 1), (PyKey::Str("a"), 2), (PyKey::None, 3)]),
            Dialect::FLASK
        ),
        Err(WriteError::UnorderableKeys {
            first: "str",
            second: "NoneType"
        }
        .to_string())
    );
}
