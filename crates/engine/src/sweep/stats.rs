//! Summary statistics of repeated runs: mean, sample standard deviation, and the 95 % confidence
//! interval of the mean from Student's t distribution.

/// `t_{0.975, df}` for df = 1..=60, from `scipy.stats.t.ppf(0.975, df)` (scipy 1.17.1).
const T975: [f64; 60] = [
    12.706204736174694,
    4.302652729749462,
    3.1824463052837078,
    2.7764451051977934,
    2.5705818356363146,
    2.4469118511449786,
    2.364624251592784,
    2.306004135204166,
    2.262157162798205,
    2.228138851986274,
    2.200985160091639,
    2.1788128296672284,
    2.1603686564627913,
    2.144786687917804,
    2.131449545559776,
    2.1199052992212546,
    2.1098155778333156,
    2.1009220402410382,
    2.0930240544083087,
    2.085963447265864,
    2.0796138447276795,
    2.0738730679040254,
    2.0686576104190486,
    2.0638985616280245,
    2.0595385527532972,
    2.0555294386428735,
    2.0518305164802846,
    2.0484071417952454,
    2.045229642132703,
    2.0422724563012378,
    2.039513446396408,
    2.0369333434601016,
    2.0345152974493383,
    2.0322445093177186,
    2.030107928250343,
    2.0280940009804502,
    2.0261924630291093,
    2.0243941639119694,
    2.022690920036761,
    2.021075390306273,
    2.019540970441376,
    2.0180817028184443,
    2.016692199227824,
    2.0153675744437636,
    2.014103388880846,
    2.012895598919429,
    2.0117405137297655,
    2.010634757624232,
    2.0095752371292392,
    2.008559112100761,
    2.007583770315836,
    2.006646805061688,
    2.0057459953178687,
    2.0048792881880564,
    2.0040447832891455,
    2.003240718847872,
    2.002465459291007,
    2.0017174841452356,
    2.000995378088267,
    2.0002978220142604,
];

/// The standard normal 0.975 quantile, `scipy.stats.norm.ppf(0.975)`.
const Z975: f64 = 1.959963984540054;

/// The 0.975 quantile of Student's t with `df` degrees of freedom (`df ≥ 1`): the table above up to
/// 60, beyond it the Cornish–Fisher expansion in 1/df to the fourth order (Hill 1970, also
/// Abramowitz & Stegun 26.7.5), whose error there is below 1e-9.
pub fn t975(df: usize) -> f64 {
    if (1..=T975.len()).contains(&df) {
        return T975[df - 1];
    }
    let z = Z975;
    let v = df as f64;
    let z2 = z * z;
    let g1 = (z2 + 1.0) * z / 4.0;
    let g2 = ((5.0 * z2 + 16.0) * z2 + 3.0) * z / 96.0;
    let g3 = (((3.0 * z2 + 19.0) * z2 + 17.0) * z2 - 15.0) * z / 384.0;
    let g4 = ((((79.0 * z2 + 776.0) * z2 + 1482.0) * z2 - 1920.0) * z2 - 945.0) * z / 92160.0;
    z + g1 / v + g2 / (v * v) + g3 / (v * v * v) + g4 / (v * v * v * v)
}

/// Mean, sample standard deviation (n − 1) and 95 % interval of `values`.
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    pub n: usize,
    pub mean: Option<f64>,
    /// Undefined for fewer than two values.
    pub sd: Option<f64>,
    /// `mean ± t_{0.975, n−1} · sd / √n`; undefined for fewer than two values.
    pub interval: Option<(f64, f64)>,
}

pub fn summarize(values: &[f64]) -> Summary {
    let n = values.len();
    if n == 0 {
        return Summary {
            n,
            mean: None,
            sd: None,
            interval: None,
        };
    }
    let mean = values.iter().sum::<f64>() / n as f64;
    if n < 2 {
        return Summary {
            n,
            mean: Some(mean),
            sd: None,
            interval: None,
        };
    }
    let var = values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1) as f64;
    let sd = var.sqrt();
    let half = t975(n - 1) * sd / (n as f64).sqrt();
    Summary {
        n,
        mean: Some(mean),
        sd: Some(sd),
        interval: Some((mean - half, mean + half)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn fixture() -> Value {
        serde_json::from_str(include_str!("../../tests/fixtures/sweep_scores.json")).unwrap()
    }

    #[test]
    fn t_quantiles_match_scipy() {
        let f = fixture();
        let table = f["t975"].as_object().unwrap();
        assert!(table.len() > 300);
        for (df, want) in table {
            let df: usize = df.parse().unwrap();
            let want = want.as_f64().unwrap();
            let tol = if df <= 60 { 1e-14 } else { 1e-9 };
            assert!(
                (t975(df) - want).abs() <= tol,
                "df {df}: {} vs {want}",
                t975(df)
            );
        }
    }

    #[test]
    fn summaries_match_numpy_and_scipy() {
        let f = fixture();
        for s in f["summaries"].as_array().unwrap() {
            let xs: Vec<f64> = s["values"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_f64().unwrap())
                .collect();
            let got = summarize(&xs);
            let near = |a: Option<f64>, b: &Value| match (a, b.as_f64()) {
                (Some(a), Some(b)) => (a - b).abs() <= 1e-12,
                (None, None) => true,
                _ => false,
            };
            assert!(near(got.mean, &s["mean"]), "{got:?} {s}");
            assert!(near(got.sd, &s["sd"]), "{got:?} {s}");
            // Past df = 60 the quantile is the expansion (error < 1e-9), scaled here by sd/√n.
            let near_t = |a: Option<f64>, b: &Value| match (a, b.as_f64()) {
                (Some(a), Some(b)) => (a - b).abs() <= 1e-10,
                (None, None) => true,
                _ => false,
            };
            assert!(near_t(got.interval.map(|i| i.0), &s["lo"]), "{got:?} {s}");
            assert!(near_t(got.interval.map(|i| i.1), &s["hi"]), "{got:?} {s}");
        }
        assert_eq!(summarize(&[]).mean, None);
    }
}
