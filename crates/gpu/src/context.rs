//! Everything that depends on the wgpu version lives here: instance, adapter and device set-up, the
//! error and device-lost hooks, buffer creation and the asynchronous readback.
//!
//! Readback always awaits the `map_async` callback through a oneshot channel: on the web the browser
//! drives the callback and polling does nothing; natively the device is polled to completion first.

use std::sync::{Arc, Mutex};

use futures_channel::oneshot;
use wgpu::util::DeviceExt;

use crate::error::{GpuError, Result};

/// Errors wgpu reports asynchronously (validation, out of memory, device lost). wgpu's default
/// handler panics; this one records them so the next readback returns them as a [`GpuError`].
#[derive(Clone, Default)]
pub(crate) struct ErrorSink {
    inner: Arc<Mutex<SinkState>>,
}

#[derive(Default)]
struct SinkState {
    errors: Vec<String>,
    lost: Option<String>,
}

impl ErrorSink {
    fn lock(&self) -> std::sync::MutexGuard<'_, SinkState> {
        // A poisoned lock only means another thread panicked while pushing a message.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn push(&self, message: String) {
        self.lock().errors.push(message);
    }

    fn lost(&self, message: String) {
        self.lock().lost = Some(message);
    }

    /// The first recorded problem, if any; errors are consumed, a lost device stays lost.
    pub(crate) fn check(&self) -> Result<()> {
        let mut s = self.lock();
        if let Some(l) = &s.lost {
            return Err(GpuError::DeviceLost(l.clone()));
        }
        if s.errors.is_empty() {
            return Ok(());
        }
        let all = std::mem::take(&mut s.errors);
        Err(GpuError::Validation(all.join("; ")))
    }
}

/// What the UI badge shows about the adapter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdapterSummary {
    /// Adapter name; browsers usually hide it (then empty).
    pub name: String,
    /// `Vulkan`, `Gl`, `Metal`, `Dx12` or `BrowserWebGpu`.
    pub backend: String,
    /// `DiscreteGpu`, `IntegratedGpu`, `VirtualGpu`, `Cpu` or `Other`.
    pub device_type: String,
    /// True for software rasterizers (lavapipe, llvmpipe, SwiftShader): correct but CPU-speed.
    pub software: bool,
}

/// A device and its queue, with the adapter's description. Create one per page or process and pass it
/// to every GPU object (trainers, neighbour searches).
#[derive(Clone)]
pub struct GpuContext {
    pub(crate) device: wgpu::Device,
    pub(crate) queue: wgpu::Queue,
    pub(crate) errors: ErrorSink,
    summary: AdapterSummary,
    limits: wgpu::Limits,
}

impl GpuContext {
    /// Finds the high-performance adapter (WebGPU in the browser; Vulkan, Metal, DX12 or GL natively;
    /// `WGPU_BACKEND` and related variables are honoured natively) and opens a device on it.
    pub async fn new() -> Result<GpuContext> {
        let instance =
            wgpu::Instance::new(wgpu::InstanceDescriptor::new_without_display_handle_from_env());
        let options = wgpu::RequestAdapterOptions {
            power_preference: wgpu::PowerPreference::HighPerformance,
            force_fallback_adapter: false,
            compatible_surface: None,
            apply_limit_buckets: false,
        };
        let adapter = match instance.request_adapter(&options).await {
            Ok(a) => a,
            Err(first) => {
                // Some hosts only expose a software adapter through the fallback path.
                let fallback = wgpu::RequestAdapterOptions {
                    force_fallback_adapter: true,
                    ..options
                };
                instance
                    .request_adapter(&fallback)
                    .await
                    .map_err(|_| GpuError::NoAdapter(first.to_string()))?
            }
        };
        Self::from_adapter(adapter).await
    }

    /// Opens a device on a given adapter (tests and tools that choose their own adapter).
    pub async fn from_adapter(adapter: wgpu::Adapter) -> Result<GpuContext> {
        let info = adapter.get_info();
        let summary = AdapterSummary {
            name: info.name.clone(),
            backend: format!("{:?}", info.backend),
            device_type: format!("{:?}", info.device_type),
            software: info.device_type == wgpu::DeviceType::Cpu
                || ["llvmpipe", "lavapipe", "swiftshader"]
                    .iter()
                    .any(|s| info.name.to_lowercase().contains(s)),
        };
        let caps = adapter.get_downlevel_capabilities();
        if !caps.flags.contains(wgpu::DownlevelFlags::COMPUTE_SHADERS) {
            return Err(GpuError::NoCompute(label_of(&summary)));
        }
        let available = adapter.limits();
        // The kernels bind at most 4 storage buffers per stage, so the downlevel limits suffice
        // (GL and older mobile GPUs); the buffer sizes are raised to what the adapter allows so that
        // large datasets fit.
        let wanted = wgpu::Limits {
            max_storage_buffer_binding_size: available.max_storage_buffer_binding_size,
            max_buffer_size: available.max_buffer_size,
            ..wgpu::Limits::downlevel_defaults()
        };
        if !wanted.check_limits(&available) {
            return Err(GpuError::NoCompute(label_of(&summary)));
        }
        let desc = wgpu::DeviceDescriptor {
            label: Some("imlab"),
            required_features: wgpu::Features::empty(),
            required_limits: wanted,
            experimental_features: wgpu::ExperimentalFeatures::disabled(),
            memory_hints: wgpu::MemoryHints::Performance,
            trace: wgpu::Trace::Off,
        };
        let (device, queue) = adapter
            .request_device(&desc)
            .await
            .map_err(|e| GpuError::RequestDevice(e.to_string()))?;
        let errors = ErrorSink::default();
        let sink = errors.clone();
        device.on_uncaptured_error(Arc::new(move |e: wgpu::Error| sink.push(e.to_string())));
        let sink = errors.clone();
        device.set_device_lost_callback(move |reason, message| {
            sink.lost(format!("{reason:?}: {message}"));
        });
        let limits = device.limits();
        Ok(GpuContext {
            device,
            queue,
            errors,
            summary,
            limits,
        })
    }

    /// One line for the UI badge, e.g. `llvmpipe (LLVM 15.0.6, 256 bits) · Vulkan · software`.
    pub fn adapter_label(&self) -> String {
        label_of(&self.summary)
    }

    pub fn adapter(&self) -> &AdapterSummary {
        &self.summary
    }

    pub fn limits(&self) -> &wgpu::Limits {
        &self.limits
    }

    /// Any error the device reported since the last check (or a lost device).
    pub fn check(&self) -> Result<()> {
        self.errors.check()
    }

    /// A storage buffer holding `data` (at least 16 bytes, so empty inputs still bind).
    pub(crate) fn storage_from<T: bytemuck::Pod>(
        &self,
        label: &str,
        data: &[T],
    ) -> Result<wgpu::Buffer> {
        let bytes: &[u8] = bytemuck::cast_slice(data);
        self.check_size(label, bytes.len() as u64)?;
        let mut padded;
        let contents = if bytes.len() < 16 || !bytes.len().is_multiple_of(4) {
            padded = bytes.to_vec();
            padded.resize(bytes.len().max(16).next_multiple_of(4), 0);
            &padded[..]
        } else {
            bytes
        };
        Ok(self
            .device
            .create_buffer_init(&wgpu::util::BufferInitDescriptor {
                label: Some(label),
                contents,
                usage: wgpu::BufferUsages::STORAGE
                    | wgpu::BufferUsages::COPY_SRC
                    | wgpu::BufferUsages::COPY_DST,
            }))
    }

    /// A zeroed storage buffer of `bytes` bytes (at least 16).
    pub(crate) fn storage_zeroed(&self, label: &str, bytes: u64) -> Result<wgpu::Buffer> {
        self.check_size(label, bytes)?;
        Ok(self.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some(label),
            size: bytes.max(16).next_multiple_of(4),
            usage: wgpu::BufferUsages::STORAGE
                | wgpu::BufferUsages::COPY_SRC
                | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        }))
    }

    /// A uniform buffer of `bytes` bytes, written later with `queue.write_buffer`.
    pub(crate) fn uniform_zeroed(&self, label: &str, bytes: u64) -> wgpu::Buffer {
        self.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some(label),
            size: bytes.max(16).next_multiple_of(16),
            usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        })
    }

    fn check_size(&self, what: &str, needed: u64) -> Result<()> {
        let limit = self
            .limits
            .max_storage_buffer_binding_size
            .min(self.limits.max_buffer_size);
        if needed > limit {
            return Err(GpuError::TooLarge {
                what: what.to_string(),
                needed,
                limit,
            });
        }
        Ok(())
    }

    /// Stride between entries of a table read through a dynamic uniform offset.
    pub(crate) fn uniform_stride(&self, entry_bytes: u64) -> u64 {
        let align = u64::from(self.limits.min_uniform_buffer_offset_alignment).max(16);
        entry_bytes.next_multiple_of(align)
    }

    /// Copies `ranges` (buffer, byte offset, byte length) into one staging buffer, submits `encoder`
    /// with those copies appended, and returns a handle whose `bytes()` resolves when the GPU is done.
    pub(crate) fn submit_with_readback(
        &self,
        mut encoder: wgpu::CommandEncoder,
        ranges: &[(&wgpu::Buffer, u64, u64)],
    ) -> Readback {
        let total: u64 = ranges.iter().map(|r| r.2.next_multiple_of(4)).sum();
        let staging = self.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("imlab readback"),
            size: total.max(4),
            usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        let mut at = 0;
        let mut parts = Vec::with_capacity(ranges.len());
        for &(buffer, offset, len) in ranges {
            let len4 = len.next_multiple_of(4);
            if len4 > 0 {
                encoder.copy_buffer_to_buffer(buffer, offset, &staging, at, len4);
            }
            parts.push((at, len));
            at += len4;
        }
        self.queue.submit([encoder.finish()]);
        let (tx, rx) = oneshot::channel();
        staging.map_async(wgpu::MapMode::Read, .., move |r| {
            // The receiver is gone only when the caller dropped the readback; nothing to report.
            let _ = tx.send(r);
        });
        Readback {
            device: self.device.clone(),
            errors: self.errors.clone(),
            staging,
            parts,
            rx,
        }
    }

    /// Submits work that needs no readback.
    pub(crate) fn submit(&self, encoder: wgpu::CommandEncoder) {
        self.queue.submit([encoder.finish()]);
    }

    pub(crate) fn encoder(&self, label: &str) -> wgpu::CommandEncoder {
        self.device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor { label: Some(label) })
    }
}

fn label_of(s: &AdapterSummary) -> String {
    let name = if s.name.is_empty() {
        "WebGPU adapter"
    } else {
        s.name.as_str()
    };
    let kind = if s.software {
        "software"
    } else {
        match s.device_type.as_str() {
            "DiscreteGpu" => "discrete GPU",
            "IntegratedGpu" => "integrated GPU",
            "VirtualGpu" => "virtual GPU",
            _ => "GPU",
        }
    };
    format!("{name} · {} · {kind}", s.backend)
}

/// A pending copy of GPU data to the host; owns its staging buffer, borrows nothing, so the caller's
/// objects are free while it is awaited.
pub(crate) struct Readback {
    device: wgpu::Device,
    errors: ErrorSink,
    staging: wgpu::Buffer,
    parts: Vec<(u64, u64)>,
    rx: oneshot::Receiver<std::result::Result<(), wgpu::BufferAsyncError>>,
}

impl Readback {
    /// The bytes of each requested range, in request order.
    pub(crate) async fn bytes(self) -> Result<Vec<Vec<u8>>> {
        #[cfg(not(target_arch = "wasm32"))]
        self.device
            .poll(wgpu::PollType::wait_indefinitely())
            .map_err(|e| GpuError::Readback(e.to_string()))?;
        #[cfg(target_arch = "wasm32")]
        let _ = &self.device;
        let mapped = self
            .rx
            .await
            .map_err(|_| GpuError::Readback("the mapping callback was dropped".into()))?;
        self.errors.check()?;
        mapped.map_err(|e| GpuError::Readback(e.to_string()))?;
        let out = {
            let view = self
                .staging
                .get_mapped_range(..)
                .map_err(|e| GpuError::Readback(e.to_string()))?;
            self.parts
                .iter()
                .map(|&(at, len)| view[at as usize..(at + len) as usize].to_vec())
                .collect()
        };
        self.staging.unmap();
        Ok(out)
    }

    /// The ranges read as f32 values.
    pub(crate) async fn f32s(self) -> Result<Vec<Vec<f32>>> {
        Ok(self
            .bytes()
            .await?
            .into_iter()
            .map(|b| bytemuck::pod_collect_to_vec(&b))
            .collect())
    }
}
