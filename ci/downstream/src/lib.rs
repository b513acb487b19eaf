//! Empty: the application code under test is in `tests/`.
