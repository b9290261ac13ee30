//! Hostile filesystem (issue 10 items 4-6).
