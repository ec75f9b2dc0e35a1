//! How numbers and classes are written on screen.

/// A score in [0, 1] as a percentage with one decimal; undefined scores (0/0) say so.
pub fn percent(v: Option<f64>) -> String {
    match v {
        Some(v) if v.is_finite() => format!("{:.1}%", v * 100.0),
        _ => "undefined".into(),
    }
}

/// A score in [-1, 1] (MCC) or [0, 1] as a plain number with three decimals, or "undefined".
pub fn decimal(v: Option<f64>) -> String {
    match v {
        Some(v) if v.is_finite() => format!("{v:.3}"),
        _ => "undefined".into(),
    }
}

/// "majority" / "minority" for a two-class problem whose classes differ in size, else nothing.
pub fn class_role(class: usize, counts: &[usize]) -> Option<&'static str> {
    let (&max, &min) = (counts.iter().max()?, counts.iter().min()?);
    if counts.len() != 2 || max == min {
        return None;
    }
    let n = *counts.get(class)?;
    Some(if n == max { "majority" } else { "minority" })
}

/// "Class 1 (minority)", or "Class 1".
pub fn class_name(class: usize, counts: &[usize]) -> String {
    match class_role(class, counts) {
        Some(role) => format!("Class {class} ({role})"),
        None => format!("Class {class}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(percent(Some(0.95238)), "95.2%");
        assert_eq!(percent(None), "undefined");
        assert_eq!(percent(Some(f64::NAN)), "undefined");
        assert_eq!(decimal(Some(-0.25)), "-0.250");
        assert_eq!(class_name(1, &[350, 35]), "Class 1 (minority)");
        assert_eq!(class_name(0, &[350, 35]), "Class 0 (majority)");
        assert_eq!(class_name(0, &[10, 10]), "Class 0");
        assert_eq!(class_name(2, &[5, 5, 1]), "Class 2");
    }
}
