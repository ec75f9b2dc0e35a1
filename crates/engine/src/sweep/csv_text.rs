//! Writing CSV cells: numbers in a form that reads back to the same f64, text quoted when needed.

/// The shortest text that parses back to exactly `v`; exponent form for very large or small values
/// (plain `{}` would spell 1e300 with 300 zeros).
pub fn number(v: f64) -> String {
    let a = v.abs();
    if a != 0.0 && !(1e-5..1e16).contains(&a) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

/// An optional number; empty when absent.
pub fn opt_number(v: Option<f64>) -> String {
    v.map(number).unwrap_or_default()
}

/// `s` as one RFC 4180 field: quoted (with `"` doubled) when it holds a comma, quote, line break, or
/// leading/trailing space.
pub fn field(s: &str) -> String {
    let needs = s.contains([',', '"', '\n', '\r']) || s.trim() != s;
    if needs {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// One CSV line (without the line break).
pub fn line<S: AsRef<str>>(cells: &[S]) -> String {
    cells
        .iter()
        .map(|c| field(c.as_ref()))
        .collect::<Vec<_>>()
        .join(",")
}

/// Splits CSV text (as [`line`] writes it: `,`-separated, `"`-quoted, LF or CRLF) into records;
/// blank lines are skipped. The error names the 1-based line.
pub fn records(text: &str) -> Result<Vec<Vec<String>>, String> {
    let mut out = Vec::new();
    let mut record: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let (mut line, mut quoted, mut was_quoted) = (1usize, false, false);
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                '\n' => {
                    line += 1;
                    field.push(c);
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() && !was_quoted => {
                quoted = true;
                was_quoted = true;
            }
            '"' => return Err(format!("line {line}: a stray `\"` inside a field")),
            ',' => {
                record.push(std::mem::take(&mut field));
                was_quoted = false;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                record.push(std::mem::take(&mut field));
                was_quoted = false;
                if !(record.len() == 1 && record[0].is_empty()) {
                    out.push(std::mem::take(&mut record));
                }
                record.clear();
                line += 1;
            }
            _ if was_quoted => {
                return Err(format!("line {line}: text after a closing quote"));
            }
            _ => field.push(c),
        }
    }
    if quoted {
        return Err(format!("line {line}: a quoted field is never closed"));
    }
    if !field.is_empty() || !record.is_empty() || was_quoted {
        record.push(field);
        out.push(record);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_trip() {
        for v in [
            0.0,
            -0.0,
            0.1,
            1.0,
            -2.5,
            1e-7,
            1e300,
            123456.789,
            f64::MIN_POSITIVE,
        ] {
            let t = number(v);
            assert_eq!(t.parse::<f64>().unwrap().to_bits(), v.to_bits(), "{t}");
        }
        assert_eq!(number(1.0), "1");
        assert_eq!(number(1e300), "1e300");
    }

    #[test]
    fn records_read_back_what_line_writes() {
        let rows = vec![
            vec!["a".to_string(), "b,c".into(), "say \"hi\"".into()],
            vec!["multi\nline".into(), "".into(), " x".into()],
        ];
        let text: String = rows.iter().map(|r| line(r) + "\r\n").collect();
        assert_eq!(records(&text).unwrap(), rows);
        assert_eq!(records("a,b\n\n1,2").unwrap().len(), 2);
        assert!(records("\"open").is_err());
        assert!(records("a\"b").is_err());
    }

    #[test]
    fn fields_are_quoted_when_needed() {
        assert_eq!(
            line(&["a", "b,c", "say \"hi\"", " x"]),
            "a,\"b,c\",\"say \"\"hi\"\"\",\" x\""
        );
    }
}
