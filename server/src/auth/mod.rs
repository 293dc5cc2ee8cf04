//! Authentication: password hashing, session tokens and cookies, login rate limits.

pub mod password;
pub mod ratelimit;
pub mod session;
