//! Checks real `civiqr decode --json` and `civiqr grade --json` output
//! against the documented schemas, docs/cli-decode.schema.json and
//! docs/cli-grade.schema.json, so the documents and the program cannot
//! drift apart. The checker below covers the JSON Schema keywords that
//! schema uses (type, enum, properties, required, additionalProperties,
//! items, minItems, maxItems, minimum, maximum, anyOf, $ref to #/$defs);
//! any other keyword fails the test rather than being skipped silently.

use std::path::{Path, PathBuf};

use serde_json::Value;

mod common;
use common::civiqr;

fn schema(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../docs")
        .join(name);
    let text = std::fs::read_to_string(&path).expect("the schema is in docs/");
    serde_json::from_str(&text).expect("the schema is JSON")
}

/// The keywords `check` understands; annotations are allowed and ignored.
const KEYWORDS: &[&str] = &[
    "type",
    "enum",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "minItems",
    "maxItems",
    "minimum",
    "maximum",
    "anyOf",
    "$ref",
];
const ANNOTATIONS: &[&str] = &["$schema", "$id", "title", "description", "$defs"];

/// The ways `value` breaks `schema`, each with its JSON path.
fn check(root: &Value, schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
    let Some(rules) = schema.as_object() else {
        errors.push(format!("{at}: schema is not an object"));
        return;
    };
    for key in rules.keys() {
        if !KEYWORDS.contains(&key.as_str()) && !ANNOTATIONS.contains(&key.as_str()) {
            errors.push(format!("{at}: schema keyword {key:?} is not checked"));
        }
    }
    if let Some(Value::String(r)) = rules.get("$ref") {
        let target = r
            .strip_prefix("#/$defs/")
            .and_then(|name| root.get("$defs")?.get(name));
        match target {
            Some(t) => check(root, t, value, at, errors),
            None => errors.push(format!("{at}: unresolved $ref {r}")),
        }
    }
    if let Some(t) = rules.get("type") {
        let types: Vec<&str> = match t {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        let ok = types.iter().any(|t| match *t {
            "null" => value.is_null(),
            "boolean" => value.is_boolean(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            "string" => value.is_string(),
            "array" => value.is_array(),
            "object" => value.is_object(),
            _ => false,
        });
        if !ok {
            errors.push(format!("{at}: {value} is not of type {t}"));
        }
    }
    if let Some(Value::Array(allowed)) = rules.get("enum") {
        if !allowed.contains(value) {
            errors.push(format!("{at}: {value} is not one of {allowed:?}"));
        }
    }
    if let Some(n) = value.as_f64() {
        if rules
            .get("minimum")
            .and_then(Value::as_f64)
            .is_some_and(|m| n < m)
        {
            errors.push(format!("{at}: {n} is below the minimum"));
        }
        if rules
            .get("maximum")
            .and_then(Value::as_f64)
            .is_some_and(|m| n > m)
        {
            errors.push(format!("{at}: {n} is above the maximum"));
        }
    }
    if let Some(Value::Array(options)) = rules.get("anyOf") {
        let fits = options.iter().any(|o| {
            let mut e = Vec::new();
            check(root, o, value, at, &mut e);
            e.is_empty()
        });
        if !fits {
            errors.push(format!("{at}: {value} fits none of anyOf"));
        }
    }
    if let Some(items) = value.as_array() {
        let len = items.len() as u64;
        if rules
            .get("minItems")
            .and_then(Value::as_u64)
            .is_some_and(|m| len < m)
        {
            errors.push(format!("{at}: {len} items, fewer than minItems"));
        }
        if rules
            .get("maxItems")
            .and_then(Value::as_u64)
            .is_some_and(|m| len > m)
        {
            errors.push(format!("{at}: {len} items, more than maxItems"));
        }
        if let Some(item) = rules.get("items") {
            for (i, v) in items.iter().enumerate() {
                check(root, item, v, &format!("{at}[{i}]"), errors);
            }
        }
    }
    if let Some(object) = value.as_object() {
        let properties = rules.get("properties").and_then(Value::as_object);
        if let Some(Value::Array(required)) = rules.get("required") {
            for name in required.iter().filter_map(Value::as_str) {
                if !object.contains_key(name) {
                    errors.push(format!("{at}: required {name:?} is missing"));
                }
            }
        }
        for (name, v) in object {
            let path = format!("{at}.{name}");
            match (
                properties.and_then(|p| p.get(name)),
                rules.get("additionalProperties"),
            ) {
                (Some(s), _) => check(root, s, v, &path, errors),
                (None, Some(Value::Bool(false))) => {
                    errors.push(format!("{path}: not a property the schema allows"))
                }
                (None, Some(s @ Value::Object(_))) => check(root, s, v, &path, errors),
                (None, _) => {}
            }
        }
    }
}

fn violations(line: &str) -> Vec<String> {
    violations_of("cli-decode.schema.json", line)
}

fn violations_of(schema_name: &str, line: &str) -> Vec<String> {
    let root = schema(schema_name);
    let value: Value = serde_json::from_str(line).expect("each line is JSON");
    let mut errors = Vec::new();
    check(&root, &root, &value, "$", &mut errors);
    errors
}

struct Dir(PathBuf);

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn decode_json_output_follows_the_documented_schema() {
    let dir = Dir(std::env::temp_dir().join(format!("civiqr-schema-{}", std::process::id())));
    std::fs::create_dir_all(&dir.0).expect("temp dir");
    let file = |name: &str| dir.0.join(name).to_str().expect("utf-8").to_string();
    let epc = "BCD\n002\n1\nSCT\n\nTresor Public\nFR7630006000011234567890189\nEUR12.50\n\n\nStationnement";
    let encodes: Vec<(Vec<&str>, String)> = vec![
        (
            vec!["https://example.org/banc/42", "--ec", "H"],
            file("url.png"),
        ),
        (vec!["BANC 42", "--symbol", "micro"], file("micro.png")),
        (
            vec!["https://example.org/lamp/17", "--symbol", "rmqr"],
            file("rmqr.png"),
        ),
        (vec![epc], file("epc.png")),
        (vec!["MECARD:N:A;TEL:1;TEL:2;;"], file("mecard.png")),
        (vec!["Caf\u{e9} \u{4e2d}", "--eci-utf8"], file("eci.png")),
        (
            vec!["one message in two parts", "--split", "2"],
            file("sa.png"),
        ),
    ];
    let mut files = Vec::new();
    for (args, out) in &encodes {
        let mut all = vec!["encode"];
        all.extend(args.iter().copied());
        all.extend(["-o", out.as_str()]);
        let o = civiqr(&all);
        assert!(
            o.status.success(),
            "{all:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        if out.ends_with("sa.png") {
            files.push(file("sa-1.png"));
        } else {
            files.push(out.clone());
        }
    }
    let blank = file("blank.txt");
    std::fs::write(&blank, b"not an image").expect("write");
    files.push(blank);
    files.push(file("missing.png"));
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_civiqr"));
    cmd.args(["decode", "--json"]).args(&files);
    // A file name that is not UTF-8 (file_bytes_base64).
    #[cfg(unix)]
    let cmd = {
        use std::os::unix::ffi::OsStrExt;
        let odd = dir.0.join(std::ffi::OsStr::from_bytes(b"caf\xe9.png"));
        std::fs::copy(&files[0], &odd).expect("copy");
        cmd.arg(odd)
    };
    let o = cmd.output().expect("binary runs");
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(
        out.lines().count(),
        files.len() + usize::from(cfg!(unix)),
        "{out}"
    );
    #[cfg(unix)]
    assert!(
        out.contains("caf\\\\xe9.png\",\"file_bytes_base64\":\""),
        "{out}"
    );
    // `version` is a number for every symbology (R15x43 is rMQR's 23rd size).
    for (symbology, version) in [("qr", "4"), ("micro", "3"), ("rmqr", "23")] {
        let pair = format!("\"symbology\":\"{symbology}\",");
        let line = out.lines().find(|l| l.contains(&pair)).expect("a line");
        assert!(line.contains(&format!("\"version\":{version},")), "{line}");
    }
    for kind in [
        "\"micro\"",
        "\"rmqr\"",
        "\"epc\"",
        "\"mecard\"",
        "\"eci\":26",
        "\"count\":2",
    ] {
        assert!(out.contains(kind), "{kind} in {out}");
    }
    for line in out.lines() {
        let errors = violations(line);
        assert!(errors.is_empty(), "{line}\n{}", errors.join("\n"));
    }

    // With --trust every code carries a signature verdict.
    let (key, trust) = (file("town.key"), file("trust.json"));
    let o = civiqr(&[
        "keygen",
        "--out",
        &key,
        "--issuer",
        "Ville",
        "--trust-out",
        &trust,
    ]);
    assert!(o.status.success());
    let signed = file("signed.png");
    let o = civiqr(&[
        "encode",
        "https://example.org/s/1",
        "--sign-key",
        &key,
        "-o",
        &signed,
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = civiqr(&["decode", "--json", "--trust", &trust, &signed, &files[0]]);
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(out.contains("\"status\":\"valid\""), "{out}");
    assert!(out.contains("\"status\":\"unsigned\""), "{out}");
    for line in out.lines() {
        let errors = violations(line);
        assert!(errors.is_empty(), "{line}\n{}", errors.join("\n"));
    }
}

#[test]
fn grade_json_output_follows_the_documented_schema() {
    let dir = Dir(std::env::temp_dir().join(format!("civiqr-gschema-{}", std::process::id())));
    std::fs::create_dir_all(&dir.0).expect("temp dir");
    let file = |name: &str| dir.0.join(name).to_str().expect("utf-8").to_string();
    let mut files = Vec::new();
    for (args, name) in [
        (vec!["https://example.org/banc/42", "--ec", "H"], "url.png"),
        (vec!["BANC 42", "--symbol", "micro"], "micro.png"),
        (
            vec!["https://example.org/l/17", "--symbol", "rmqr"],
            "rmqr.png",
        ),
        (vec!["x", "--version", "7"], "v7.png"),
    ] {
        let out = file(name);
        let mut all = vec!["encode"];
        all.extend(args);
        all.extend(["-o", out.as_str()]);
        let o = civiqr(&all);
        assert!(
            o.status.success(),
            "{all:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        files.push(out);
    }
    std::fs::write(file("blank.txt"), b"not an image").expect("write");
    files.push(file("blank.txt"));
    let mut args = vec!["grade", "--json"];
    args.extend(files.iter().map(String::as_str));
    let o = civiqr(&args);
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(out.lines().count(), files.len(), "{out}");
    for kind in ["\"letter\":\"A\"", "\"error\":", "\"VI\""] {
        assert!(out.contains(kind), "{kind} in {out}");
    }
    // The rMQR symbol is graded (ISO/IEC 23941's patterns as segments).
    let rmqr_line = out.lines().nth(2).unwrap_or("");
    for kind in [
        "\"symbology\":\"rmqr\"",
        "\"letter\":\"A\"",
        "\"SFP\"",
        "\"CFP\"",
    ] {
        assert!(rmqr_line.contains(kind), "{kind} in {rmqr_line}");
    }
    for line in out.lines() {
        let errors = violations_of("cli-grade.schema.json", line);
        assert!(errors.is_empty(), "{line}\n{}", errors.join("\n"));
    }
    // The checker sees a grade that breaks the schema.
    let bad = out
        .lines()
        .next()
        .unwrap_or("")
        .replace("\"letter\":\"A\"", "\"letter\":\"E\"");
    assert!(!violations_of("cli-grade.schema.json", &bad).is_empty());
}

#[test]
fn the_checker_finds_what_breaks_the_schema() {
    let good = r#"{"file":"a.png","codes":[],"error":null}"#;
    assert!(violations(good).is_empty());
    for (bad, says) in [
        (r#"{"file":"a.png","codes":[]}"#, "required \"error\""),
        (r#"{"file":1,"codes":[],"error":null}"#, "not of type"),
        (
            r#"{"file":"a","codes":[],"error":null,"x":1}"#,
            "$.x: not a property",
        ),
        (
            r#"{"file":"a","codes":[{"symbology":"aztec"}],"error":null}"#,
            "$.codes[0].symbology",
        ),
        (
            r#"{"file":"a","codes":[{"version":"M3"}],"error":null}"#,
            "$.codes[0].version: \"M3\" is not of type",
        ),
    ] {
        let errors = violations(bad);
        assert!(errors.iter().any(|e| e.contains(says)), "{bad}: {errors:?}");
    }
}
