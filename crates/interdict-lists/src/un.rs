//! UN consolidated XML (placeholder)
