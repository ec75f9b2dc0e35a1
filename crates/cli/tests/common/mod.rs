//! Helpers shared by the CLI's integration tests: run the built `imlab` binary and give each test a
//! scratch directory of its own.

#![allow(dead_code)] // each test file uses a different subset

use std::path::{Path, PathBuf};
use std::process::Command;

/// What one invocation printed and how it ended.
pub struct Outcome {
    pub ok: bool,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `imlab` with `args` in `dir`.
pub fn imlab(dir: &Path, args: &[&str]) -> Outcome {
    let out = Command::new(env!("CARGO_BIN_EXE_imlab"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the imlab binary runs");
    let o = Outcome {
        ok: out.status.success(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(
        !o.stderr.contains("panicked"),
        "imlab {args:?} panicked:\n{}",
        o.stderr
    );
    o
}

/// Runs `imlab` and requires success.
pub fn ok(dir: &Path, args: &[&str]) -> Outcome {
    let o = imlab(dir, args);
    assert!(o.ok, "imlab {args:?} failed:\n{}\n{}", o.stdout, o.stderr);
    o
}

/// Runs `imlab`, requires failure with a message on stderr containing every one of `needles`.
pub fn fails(dir: &Path, args: &[&str], needles: &[&str]) -> Outcome {
    let o = imlab(dir, args);
    assert!(
        !o.ok,
        "imlab {args:?} should fail but succeeded:\n{}",
        o.stdout
    );
    assert!(o.stderr.starts_with("imlab: "), "{}", o.stderr);
    for n in needles {
        assert!(
            o.stderr.contains(n),
            "imlab {args:?}: stderr lacks `{n}`:\n{}",
            o.stderr
        );
    }
    o
}

/// An empty directory for the test `name`, under Cargo's scratch space for integration tests.
pub fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("imlab-cli")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch directory");
    dir
}

pub fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// Splits simple CSV (no quoted commas in the cells read) into rows of cells.
pub fn cells(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .filter(|l| !l.is_empty())
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}
