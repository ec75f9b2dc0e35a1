//! Shared by the GPU integration tests: opening the device, or failing loudly when there is none.

use imlab_gpu::GpuContext;

/// The test device. Without an adapter the test fails, unless `IMLAB_ALLOW_NO_GPU=1` (then `None`
/// and the caller returns early), so a CI without a driver cannot pass silently.
pub fn context() -> Option<GpuContext> {
    match pollster::block_on(GpuContext::new()) {
        Ok(ctx) => {
            eprintln!("GPU adapter: {}", ctx.adapter_label());
            Some(ctx)
        }
        Err(e) if std::env::var("IMLAB_ALLOW_NO_GPU").as_deref() == Ok("1") => {
            eprintln!("IMLAB_ALLOW_NO_GPU=1: skipping GPU test ({e})");
            None
        }
        Err(e) => panic!(
            "no usable GPU adapter: {e}. Install a Vulkan driver (Debian: apt-get install -y \
             mesa-vulkan-drivers, which provides lavapipe) or set IMLAB_ALLOW_NO_GPU=1 to skip"
        ),
    }
}
