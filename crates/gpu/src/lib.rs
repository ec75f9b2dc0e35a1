//! GPU backend (filled in by the GPU work).
