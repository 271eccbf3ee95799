//! An async channel on `crossbeam-channel` (placeholder until written).
