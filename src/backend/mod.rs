//! Which compute path trains the model, chosen once at start-up and shown in a badge.
//!
//! The CPU path is the engine itself (bit-reproducible everywhere). The WebGPU path (cargo feature
//! `gpu`, crate `imlab-gpu`) runs the same schedule on the GPU and hands its state back to the
//! engine, so every view reads the same `Experiment` whichever backend trained it.

#[cfg(feature = "gpu")]
pub mod gpu;

use imlab_engine::experiment::BackendChoice;

/// What the badge and the notice say about the backend in use.
#[derive(Clone, Debug, PartialEq)]
pub struct BackendStatus {
    /// Badge text: "CPU", or "WebGPU" with the adapter's name.
    pub label: String,
    /// Why the CPU is used when WebGPU was wanted; `None` when nothing needs saying.
    pub notice: Option<String>,
}

impl BackendStatus {
    pub fn cpu(notice: Option<String>) -> Self {
        BackendStatus {
            label: "CPU".into(),
            notice,
        }
    }

    pub fn starting() -> Self {
        BackendStatus {
            label: "starting…".into(),
            notice: None,
        }
    }
}

/// The backend doing the training.
pub enum Backend {
    Cpu,
    #[cfg(feature = "gpu")]
    // Boxed: the GPU context is large and the enum is moved around with the session.
    Gpu(Box<gpu::GpuBackend>),
}

/// Badge text for a WebGPU adapter label (which may be empty in headless browsers).
#[cfg_attr(not(feature = "gpu"), allow(dead_code))]
pub fn webgpu_label(adapter: &str) -> String {
    let adapter = adapter.trim();
    if adapter.is_empty() {
        "WebGPU".into()
    } else if adapter.to_ascii_lowercase().contains("webgpu") {
        adapter.into()
    } else {
        format!("WebGPU · {adapter}")
    }
}

pub const NO_WEBGPU: &str =
    "WebGPU is not available in this browser, so training runs on the CPU (same results, slower on large models).";

/// Picks the backend for `choice`. Never fails: anything that goes wrong with WebGPU becomes the
/// CPU path with a notice saying why.
pub async fn choose(choice: BackendChoice) -> (Backend, BackendStatus) {
    if choice == BackendChoice::Cpu {
        return (Backend::Cpu, BackendStatus::cpu(None));
    }
    if !browser_has_webgpu() {
        return (Backend::Cpu, BackendStatus::cpu(Some(NO_WEBGPU.into())));
    }
    start_webgpu().await
}

#[cfg(feature = "gpu")]
async fn start_webgpu() -> (Backend, BackendStatus) {
    match gpu::GpuBackend::start().await {
        Ok(g) => {
            let label = webgpu_label(&g.adapter_label());
            (
                Backend::Gpu(Box::new(g)),
                BackendStatus {
                    label,
                    notice: None,
                },
            )
        }
        Err(message) => (
            Backend::Cpu,
            BackendStatus::cpu(Some(format!(
                "WebGPU failed to start ({message}), so training runs on the CPU."
            ))),
        ),
    }
}

#[cfg(not(feature = "gpu"))]
async fn start_webgpu() -> (Backend, BackendStatus) {
    (
        Backend::Cpu,
        BackendStatus::cpu(Some(
            "This build has no WebGPU backend (feature `gpu`), so training runs on the CPU.".into(),
        )),
    )
}

/// Whether `navigator.gpu` exists: the browser offers WebGPU at all (an adapter may still fail).
pub fn browser_has_webgpu() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    js_sys::Reflect::get(&window.navigator(), &"gpu".into())
        .map(|gpu| !gpu.is_undefined() && !gpu.is_null())
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_always_say_webgpu() {
        assert_eq!(webgpu_label(""), "WebGPU");
        assert_eq!(webgpu_label("  "), "WebGPU");
        assert_eq!(webgpu_label("swiftshader"), "WebGPU · swiftshader");
        assert_eq!(webgpu_label("WebGPU (Intel)"), "WebGPU (Intel)");
    }
}
