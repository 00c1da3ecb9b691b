//! Nothing proptest prints reaches stderr: `check` on a pair whose findings
//! are shrunk past proptest's own limits (which print "proptest: Aborting
//! shrinking after …" whatever its `verbose` says) writes no `proptest:`
//! line, and its findings still carry their shrunk witnesses.

use std::process::Command;

use libtest_mimic::{Failed, Trial};

use crate::common::{fixtures_dir, planted_pair, said};

pub fn trials() -> Vec<Trial> {
    vec![Trial::test(
        "quiet::no_proptest_line_on_stderr_while_shrinking",
        no_proptest_line,
    )]
}

fn no_proptest_line() -> Result<(), Failed> {
    // A narrowed integer (round_trip shrinks to its bound) and, with no
    // config accepting it, the sequence property's explicit-id difference
    // (shrunk within the probes' few steps).
    let (_tmp, sq, pg) = planted_pair(&fixtures_dir().join("behaviour/integer_too_narrow"))?;
    let out = Command::new(env!("CARGO_BIN_EXE_schema-parity"))
        .args(["check", "--cases", "64", "--seed", "1", "--format", "json"])
        .arg("--sqlite")
        .arg(&sq)
        .arg("--pg")
        .arg(&pg)
        .arg("--config")
        .arg(fixtures_dir().join("empty.toml"))
        .output()?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    let chatter: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("proptest:"))
        .collect();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    let witnessed = json["findings"].as_array().is_some_and(|fs| {
        fs.iter()
            .any(|f| f["id"] == "structure.type.accounts.created_ns" && !f["witness"].is_null())
    });
    if out.status.code() != Some(1) || !chatter.is_empty() || !witnessed {
        return Err(format!(
            "expected exit 1, the narrowed integer with its witness, and no proptest line on stderr; proptest said {chatter:?}\n{}",
            said(&out)
        )
        .into());
    }
    Ok(())
}
