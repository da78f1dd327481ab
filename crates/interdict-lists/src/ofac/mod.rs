//! OFAC legacy CSV set (placeholder)
