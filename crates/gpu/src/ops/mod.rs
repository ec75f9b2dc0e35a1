//! Compute kernels, one file per family, each with its WGSL beside it in `src/shaders/`.
//!
//! The network kernels share one bind-group scheme: group 0 holds the storage buffers an entry point
//! uses (binding numbers fixed in `shaders/nn_buffers.wgsl`), group 1 the uniforms of
//! `shaders/uniforms.wgsl`: the layer table and the step table, both read through dynamic offsets,
//! and the trainer's constant hyper-parameters. A whole run of steps is then one compute pass whose
//! dispatches differ only in those two offsets.

pub(crate) mod backward;
pub(crate) mod batch_loss;
pub(crate) mod forward;
pub(crate) mod knn;
pub(crate) mod optim;
pub(crate) mod softmax;
pub(crate) mod softmax_xent;
pub(crate) mod uniforms;

use crate::context::GpuContext;

/// Threads per workgroup of the 1-D kernels (`WG` in the shaders).
pub(crate) const WORKGROUP: u32 = 64;
/// Most workgroups per grid dimension every adapter accepts.
const MAX_GROUPS: u32 = 65_535;

/// Grid for `threads` 1-D threads: x up to 65535 workgroups, the rest in y (`thread_index` in
/// `uniforms.wgsl` undoes this).
pub(crate) fn grid_1d(threads: u32) -> (u32, u32) {
    let groups = threads.div_ceil(WORKGROUP).max(1);
    if groups <= MAX_GROUPS {
        (groups, 1)
    } else {
        (MAX_GROUPS, groups.div_ceil(MAX_GROUPS))
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Access {
    Read,
    ReadWrite,
}

/// The WGSL files each network module is assembled from (WGSL has no include).
pub(crate) const NN_PRELUDE: [&str; 3] = [
    include_str!("../shaders/uniforms.wgsl"),
    include_str!("../shaders/activation.wgsl"),
    include_str!("../shaders/nn_buffers.wgsl"),
];

pub(crate) fn module(ctx: &GpuContext, label: &str, parts: &[&str]) -> wgpu::ShaderModule {
    ctx.device
        .create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some(label),
            source: wgpu::ShaderSource::Wgsl(parts.concat().into()),
        })
}

fn storage_entry(binding: u32, access: Access) -> wgpu::BindGroupLayoutEntry {
    wgpu::BindGroupLayoutEntry {
        binding,
        visibility: wgpu::ShaderStages::COMPUTE,
        ty: wgpu::BindingType::Buffer {
            ty: wgpu::BufferBindingType::Storage {
                read_only: access == Access::Read,
            },
            has_dynamic_offset: false,
            min_binding_size: None,
        },
        count: None,
    }
}

fn uniform_entry(binding: u32, dynamic: bool, size: u64) -> wgpu::BindGroupLayoutEntry {
    wgpu::BindGroupLayoutEntry {
        binding,
        visibility: wgpu::ShaderStages::COMPUTE,
        ty: wgpu::BindingType::Buffer {
            ty: wgpu::BufferBindingType::Uniform,
            has_dynamic_offset: dynamic,
            min_binding_size: wgpu::BufferSize::new(size),
        },
        count: None,
    }
}

/// Layout of group 1 (layer table, step table, hyper-parameters) used by every network kernel.
pub(crate) fn uniform_layout(ctx: &GpuContext) -> wgpu::BindGroupLayout {
    use uniforms::{HyperUniform, LayerUniform, StepUniform, MAX_MEMBERS};
    ctx.device
        .create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("nn uniforms"),
            entries: &[
                uniform_entry(0, true, size_of::<LayerUniform>() as u64),
                uniform_entry(1, true, size_of::<StepUniform>() as u64),
                uniform_entry(2, false, (size_of::<HyperUniform>() * MAX_MEMBERS) as u64),
            ],
        })
}

/// Group 1 bind group: one entry of each table is visible per dispatch, chosen by dynamic offset.
pub(crate) fn uniform_bind_group(
    ctx: &GpuContext,
    layout: &wgpu::BindGroupLayout,
    layers: &wgpu::Buffer,
    steps: &wgpu::Buffer,
    hyper: &wgpu::Buffer,
) -> wgpu::BindGroup {
    use uniforms::{LayerUniform, StepUniform};
    fn window(buffer: &wgpu::Buffer, size: usize) -> wgpu::BindingResource<'_> {
        wgpu::BindingResource::Buffer(wgpu::BufferBinding {
            buffer,
            offset: 0,
            size: wgpu::BufferSize::new(size as u64),
        })
    }
    ctx.device.create_bind_group(&wgpu::BindGroupDescriptor {
        label: Some("nn uniforms"),
        layout,
        entries: &[
            wgpu::BindGroupEntry {
                binding: 0,
                resource: window(layers, size_of::<LayerUniform>()),
            },
            wgpu::BindGroupEntry {
                binding: 1,
                resource: window(steps, size_of::<StepUniform>()),
            },
            wgpu::BindGroupEntry {
                binding: 2,
                resource: hyper.as_entire_binding(),
            },
        ],
    })
}

/// A compute pipeline with its group-0 layout (the storage bindings it uses).
pub(crate) struct Kernel {
    pub(crate) pipeline: wgpu::ComputePipeline,
    storage_layout: wgpu::BindGroupLayout,
    bindings: Vec<u32>,
}

impl Kernel {
    /// `storage`: the group-0 bindings the entry point uses; `extra`: further group-0 entries
    /// (a plain uniform); `group1`: the shared uniform layout, if the kernel uses it.
    pub(crate) fn new(
        ctx: &GpuContext,
        module: &wgpu::ShaderModule,
        entry: &str,
        storage: &[(u32, Access)],
        extra: &[wgpu::BindGroupLayoutEntry],
        group1: Option<&wgpu::BindGroupLayout>,
    ) -> Kernel {
        let mut entries: Vec<_> = storage.iter().map(|&(b, a)| storage_entry(b, a)).collect();
        entries.extend_from_slice(extra);
        let storage_layout =
            ctx.device
                .create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
                    label: Some(entry),
                    entries: &entries,
                });
        let groups = [Some(&storage_layout), group1];
        let n_groups = if group1.is_some() { 2 } else { 1 };
        let layout = ctx
            .device
            .create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
                label: Some(entry),
                bind_group_layouts: &groups[..n_groups],
                immediate_size: 0,
            });
        let pipeline = ctx
            .device
            .create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
                label: Some(entry),
                layout: Some(&layout),
                module,
                entry_point: Some(entry),
                compilation_options: Default::default(),
                cache: None,
            });
        Kernel {
            pipeline,
            storage_layout,
            bindings: entries.iter().map(|e| e.binding).collect(),
        }
    }

    /// Group 0 from `(binding, buffer)` pairs; pairs for bindings this kernel does not use are
    /// skipped, so one list serves every kernel of a module.
    pub(crate) fn bind(
        &self,
        ctx: &GpuContext,
        buffers: &[(u32, &wgpu::Buffer)],
    ) -> wgpu::BindGroup {
        let entries: Vec<_> = buffers
            .iter()
            .filter(|(b, _)| self.bindings.contains(b))
            .map(|&(binding, buffer)| wgpu::BindGroupEntry {
                binding,
                resource: buffer.as_entire_binding(),
            })
            .collect();
        ctx.device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: None,
            layout: &self.storage_layout,
            entries: &entries,
        })
    }
}

/// What every network dispatch of one step (or prediction chunk) shares: the group-1 uniforms, the
/// step table entry (byte offset) and how many members run side by side (the grid's z).
pub(crate) struct NnStep<'a> {
    pub(crate) uniforms: &'a wgpu::BindGroup,
    pub(crate) step_offset: u32,
    pub(crate) members: u32,
    /// Dispatches recorded so far.
    pub(crate) dispatches: std::cell::Cell<usize>,
}

impl NnStep<'_> {
    /// A dispatch of a network kernel: its group 0, the layer table entry (byte offset) it reads,
    /// and its 1-D grid for one member.
    pub(crate) fn dispatch(
        &self,
        pass: &mut wgpu::ComputePass<'_>,
        kernel: &Kernel,
        group0: &wgpu::BindGroup,
        layer_offset: u32,
        grid: (u32, u32),
    ) {
        pass.set_pipeline(&kernel.pipeline);
        pass.set_bind_group(0, group0, &[]);
        pass.set_bind_group(1, self.uniforms, &[layer_offset, self.step_offset]);
        pass.dispatch_workgroups(grid.0, grid.1, self.members);
        self.dispatches.set(self.dispatches.get() + 1);
    }
}
