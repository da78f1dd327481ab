//! Integration tests of `interdict-screen`: golden cases on small real excerpts, and the
//! development set measured against a full export of the reference corpus.

mod dev_cases;
mod golden;
