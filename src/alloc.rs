//! The allocator: jemalloc, where it builds (not with MSVC).
//!
//! A build allocates and frees millions of small values (page contexts,
//! glyph runs, HTML strings) across threads. glibc's allocator spent a
//! fifth of a 10,000-brief build in malloc, free and their consolidation,
//! and musl's (the static Linux releases) is slower still; jemalloc's
//! thread caches take most of that away.
//!
//! Its settings keep memory low as well as time: one arena (orepress runs
//! a thread per core; the thread caches make contention rare), freed pages
//! handed back to the system after 100 ms rather than 10 s, and on Linux a
//! background thread doing so, so a build's or a preview's peak stays
//! where its live data is.
//!
//! Transparent huge pages (`thp:always`) were tried: 3-5 % faster on a
//! quiet machine (fewer page faults), but slower on a busy one, where the
//! kernel compacts memory to find huge pages on demand (10,000 briefs'
//! site 3.2 s against 2.9 s; CPU time varying by 40 % from run to run).

#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc reads its settings from this symbol when it starts (the
/// `_RJEM_MALLOC_CONF` environment variable can still override them).
#[cfg(all(not(target_env = "msvc"), target_os = "linux"))]
#[allow(non_upper_case_globals)]
#[export_name = "_rjem_malloc_conf"]
static malloc_conf: &[u8; 69] =
    b"background_thread:true,narenas:1,dirty_decay_ms:100,muzzy_decay_ms:0\0";

/// As on Linux, without the background thread (jemalloc has it only where
/// it can create it at start: not on macOS).
#[cfg(all(not(target_env = "msvc"), not(target_os = "linux")))]
#[allow(non_upper_case_globals)]
#[export_name = "_rjem_malloc_conf"]
static malloc_conf: &[u8; 46] = b"narenas:1,dirty_decay_ms:100,muzzy_decay_ms:0\0";
