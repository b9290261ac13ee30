//! shorts: the whole job, its manifest, re-runs and faults.
