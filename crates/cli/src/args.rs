//! A small flag parser: `--name value`, `--flag`, and repeatable `--param k=v`. Unknown flags are
//! errors that list the accepted ones.

use std::collections::BTreeMap;

#[derive(Debug, Default)]
pub struct Args {
    values: BTreeMap<String, Vec<String>>,
    flags: Vec<String>,
    positional: Vec<String>,
}

impl Args {
    /// Parses `argv` given the flags that take a value and the boolean switches.
    pub fn parse(argv: &[String], with_value: &[&str], switches: &[&str]) -> Result<Self, String> {
        Self::parse_inner(argv, with_value, switches, false)
    }

    /// As [`Args::parse`], also accepting arguments that are not flags (file names).
    pub fn parse_with_positional(
        argv: &[String],
        with_value: &[&str],
        switches: &[&str],
    ) -> Result<Self, String> {
        Self::parse_inner(argv, with_value, switches, true)
    }

    fn parse_inner(
        argv: &[String],
        with_value: &[&str],
        switches: &[&str],
        positional: bool,
    ) -> Result<Self, String> {
        let mut a = Args::default();
        let mut it = argv.iter();
        while let Some(arg) = it.next() {
            let Some(name) = arg.strip_prefix("--") else {
                if positional {
                    a.positional.push(arg.clone());
                    continue;
                }
                return Err(format!("unexpected argument `{arg}`"));
            };
            let (name, inline) = match name.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (name, None),
            };
            if with_value.contains(&name) {
                let v = match inline {
                    Some(v) => v,
                    None => it
                        .next()
                        .ok_or_else(|| format!("--{name} needs a value"))?
                        .clone(),
                };
                a.values.entry(name.to_string()).or_default().push(v);
            } else if switches.contains(&name) {
                a.flags.push(name.to_string());
            } else {
                let mut known: Vec<String> = with_value.iter().map(|f| format!("--{f}")).collect();
                known.extend(switches.iter().map(|f| format!("--{f}")));
                return Err(format!(
                    "unknown option `--{name}`; accepted: {}",
                    known.join(", ")
                ));
            }
        }
        Ok(a)
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.values
            .get(name)
            .and_then(|v| v.last())
            .map(String::as_str)
    }

    pub fn all(&self, name: &str) -> &[String] {
        self.values.get(name).map_or(&[], Vec::as_slice)
    }

    pub fn positional(&self) -> &[String] {
        &self.positional
    }

    pub fn has(&self, name: &str) -> bool {
        self.flags.iter().any(|f| f == name)
    }

    /// A value parsed as `T`, with an error naming the flag.
    pub fn parsed<T: std::str::FromStr>(&self, name: &str) -> Result<Option<T>, String> {
        self.get(name)
            .map(|v| {
                v.parse()
                    .map_err(|_| format!("--{name}: `{v}` is not a valid value"))
            })
            .transpose()
    }
}
