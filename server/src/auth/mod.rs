//! Authentication: password hashing, session tokens and cookies, log-in and sign-up limits.

pub mod backoff;
pub mod password;
pub mod ratelimit;
pub mod session;
