//! Multi-label metrics.
