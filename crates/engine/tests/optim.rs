//! Optimizers and learning-rate schedules against trajectories from `tools/fixtures/optim.py`
//! (PyTorch's documented update rules and scheduler closed forms, in f64).

use imlab_engine::optim::{LrSchedule, OptimizerSpec};
use serde_json::Value;

const FIXTURE: &str = include_str!("fixtures/optim_trajectories.json");

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

#[test]
fn trajectories_match_the_reference() {
    let fx: Value = serde_json::from_str(FIXTURE).unwrap();
    let p0 = floats(&fx["params"]);
    let grads: Vec<Vec<f32>> = fx["grads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| floats(g).into_iter().map(|v| v as f32).collect())
        .collect();
    let spe = fx["steps_per_epoch"].as_u64().unwrap();
    let epochs = fx["epochs"].as_u64().unwrap();
    let cases = fx["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 18);
    for c in cases {
        let opt: OptimizerSpec = serde_json::from_value(c["optimizer"].clone()).unwrap();
        let sched: LrSchedule = serde_json::from_value(c["schedule"].clone()).unwrap();
        opt.validate().unwrap();
        sched.validate().unwrap();
        let lrs = floats(&c["lrs"]);
        let mut params: Vec<f32> = p0.iter().map(|&v| v as f32).collect();
        let mut state = vec![0.0f32; params.len() * opt.state_per_param()];
        for (t, g) in grads.iter().enumerate() {
            let factor = sched.factor(t as u64 / spe, epochs, 0);
            let s = opt.scheduled_scalars(t as u64 + 1, factor);
            let want_lr = lrs[t] as f32;
            assert!(
                (s.lr - want_lr).abs() <= 1e-7 * want_lr,
                "{} step {t}: lr {} vs {want_lr}",
                c["schedule"],
                s.lr
            );
            opt.update_with(&mut params, g, &mut state, s);
        }
        for (got, want) in params.iter().zip(floats(&c["final"])) {
            assert!(
                (f64::from(*got) - want).abs() <= 2e-5 * want.abs().max(1.0),
                "{} {}: {got} vs {want}",
                c["optimizer"],
                c["schedule"]
            );
        }
    }
}

#[test]
fn update_at_base_rate_is_the_unscheduled_update() {
    let opt = OptimizerSpec::from_name("sgd").unwrap();
    let g = [0.5f32, -1.0, 2.0];
    let mut a = vec![1.0f32, 2.0, 3.0];
    let mut b = a.clone();
    let (mut sa, mut sb) = (vec![0.0; 3], vec![0.0; 3]);
    opt.update(&mut a, &g, &mut sa, 1);
    opt.update_with(&mut b, &g, &mut sb, opt.scheduled_scalars(1, 1.0));
    assert_eq!(a, b);
}

#[test]
fn names_and_validation() {
    for name in ["adam", "adamw", "sgd"] {
        let o = OptimizerSpec::from_name(name).unwrap();
        assert_eq!(o.name(), name);
        o.validate().unwrap();
        let back: OptimizerSpec =
            serde_json::from_str(&serde_json::to_string(&o).unwrap()).unwrap();
        assert_eq!(back, o);
    }
    // Configs written before `nesterov` existed still load.
    let old: OptimizerSpec =
        serde_json::from_str(r#"{"kind":"sgd","lr":0.1,"momentum":0.9,"weight_decay":0.0}"#)
            .unwrap();
    assert_eq!(
        old,
        OptimizerSpec::Sgd {
            lr: 0.1,
            momentum: 0.9,
            weight_decay: 0.0,
            nesterov: false
        }
    );
    let bad = OptimizerSpec::Sgd {
        lr: 0.1,
        momentum: 0.0,
        weight_decay: 0.0,
        nesterov: true,
    };
    assert!(bad.validate().is_err());
}
