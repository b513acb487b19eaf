//! A global allocator that forwards to [`System`] and (a) counts allocations and live and
//! peak bytes, (b) when armed, searches every block it frees for a few byte strings.
//!
//! Each test binary installs it with
//! `#[global_allocator] static ALLOC: Tracking = Tracking;`.
// The only unsafe code of this crate: implementing `GlobalAlloc` and reading a block that is
// being freed.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicUsize, Ordering::Relaxed};

/// The tracking allocator (a unit struct; all state is global).
#[derive(Debug, Clone, Copy, Default)]
pub struct Tracking;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);
static ALLOCATED_BYTES: AtomicUsize = AtomicUsize::new(0);
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

/// How many byte strings the freed-memory scan can search for at once.
pub const MAX_NEEDLES: usize = 16;
/// The longest byte string the scan searches for.
pub const MAX_NEEDLE_LEN: usize = 64;

static ARMED: AtomicBool = AtomicBool::new(false);
static NEEDLE_LENS: [AtomicUsize; MAX_NEEDLES] = [const { AtomicUsize::new(0) }; MAX_NEEDLES];
static NEEDLES: [[AtomicU8; MAX_NEEDLE_LEN]; MAX_NEEDLES] =
    [const { [const { AtomicU8::new(0) }; MAX_NEEDLE_LEN] }; MAX_NEEDLES];
static HITS: [AtomicUsize; MAX_NEEDLES] = [const { AtomicUsize::new(0) }; MAX_NEEDLES];
static HIT_BLOCK_SIZE: [AtomicUsize; MAX_NEEDLES] = [const { AtomicUsize::new(0) }; MAX_NEEDLES];
static FREED_BLOCKS: AtomicUsize = AtomicUsize::new(0);
static FREED_BYTES: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let live = LIVE.fetch_add(by, Relaxed).saturating_add(by);
    PEAK.fetch_max(live, Relaxed);
}

/// Searches `block` for every armed needle; runs inside `dealloc`, so it must not allocate.
fn scan(block: &[u8]) {
    FREED_BLOCKS.fetch_add(1, Relaxed);
    FREED_BYTES.fetch_add(block.len(), Relaxed);
    let mut needle = [0u8; MAX_NEEDLE_LEN];
    for (index, len) in NEEDLE_LENS.iter().enumerate() {
        let len = len.load(Relaxed).min(MAX_NEEDLE_LEN);
        if len == 0 || len > block.len() {
            continue;
        }
        let Some(stored) = NEEDLES.get(index) else {
            continue;
        };
        for (dst, src) in needle.iter_mut().zip(stored) {
            *dst = src.load(Relaxed);
        }
        let needle = needle.get(..len).unwrap_or_default();
        if block.windows(len).any(|w| w == needle) {
            if let Some(hits) = HITS.get(index) {
                hits.fetch_add(1, Relaxed);
            }
            if let Some(size) = HIT_BLOCK_SIZE.get(index) {
                size.store(block.len(), Relaxed);
            }
        }
    }
}

// SAFETY: every method forwards to `System` with the caller's arguments unchanged. `dealloc`
// reads the `layout.size()` bytes of the block before freeing it: the caller guarantees that
// `ptr` was allocated by this allocator with `layout`, so the block is valid for reads (Rust
// allocations are always initialized memory to the allocator: freshly allocated bytes are
// never read here before the program wrote or zeroed them, since only freed blocks are read,
// and `alloc` requests are served by `System`, which returns readable memory). The counters
// and needles are atomics and never allocate.
unsafe impl GlobalAlloc for Tracking {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Relaxed);
        ALLOCATED_BYTES.fetch_add(layout.size(), Relaxed);
        grew(layout.size());
        // SAFETY: forwarded unchanged (see the impl).
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Relaxed);
        ALLOCATED_BYTES.fetch_add(layout.size(), Relaxed);
        grew(layout.size());
        // SAFETY: forwarded unchanged (see the impl).
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Relaxed);
        if ARMED.load(Relaxed) && !ptr.is_null() {
            // SAFETY: `ptr` is a live block of `layout.size()` bytes (see the impl); it is
            // only read, and freed after the slice is gone.
            let block = unsafe { std::slice::from_raw_parts(ptr, layout.size()) };
            scan(block);
        }
        // SAFETY: forwarded unchanged (see the impl).
        unsafe { System.dealloc(ptr, layout) }
    }

    // `realloc` is not overridden: the default allocates, copies and calls `dealloc` on the
    // old block, so the old block is counted and scanned like any other freed block.
}

/// Counters at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Snapshot {
    /// Allocation calls so far (reallocations count once each).
    pub allocations: usize,
    /// Bytes requested so far.
    pub allocated_bytes: usize,
    /// Bytes live now.
    pub live: usize,
}

/// The counters now.
#[must_use]
pub fn snapshot() -> Snapshot {
    Snapshot {
        allocations: ALLOCATIONS.load(Relaxed),
        allocated_bytes: ALLOCATED_BYTES.load(Relaxed),
        live: LIVE.load(Relaxed),
    }
}

/// What one measured call cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cost {
    /// Allocation calls made during the call.
    pub allocations: usize,
    /// Bytes requested during the call.
    pub allocated_bytes: usize,
    /// The most bytes live at once during the call, above what was live before it.
    pub peak: usize,
}

/// Runs `f` and measures its allocations and its peak memory above the memory live before
/// it. Single-threaded measurements only: the counters are global.
pub fn measure<R>(f: impl FnOnce() -> R) -> (R, Cost) {
    let before = snapshot();
    PEAK.store(before.live, Relaxed);
    let result = f();
    let after = snapshot();
    let peak = PEAK.load(Relaxed).saturating_sub(before.live);
    (
        result,
        Cost {
            allocations: after.allocations - before.allocations,
            allocated_bytes: after.allocated_bytes - before.allocated_bytes,
            peak,
        },
    )
}

/// Sets the byte strings the freed-memory scan looks for (at most [`MAX_NEEDLES`], each cut
/// to [`MAX_NEEDLE_LEN`] bytes), clears the hit counters and arms the scan.
pub fn arm(needles: &[&[u8]]) {
    ARMED.store(false, Relaxed);
    for (index, len) in NEEDLE_LENS.iter().enumerate() {
        let needle = needles.get(index).copied().unwrap_or_default();
        let needle = needle
            .get(..needle.len().min(MAX_NEEDLE_LEN))
            .unwrap_or_default();
        if let Some(slot) = NEEDLES.get(index) {
            for (dst, src) in slot.iter().zip(needle) {
                dst.store(*src, Relaxed);
            }
        }
        len.store(needle.len(), Relaxed);
        if let Some(hits) = HITS.get(index) {
            hits.store(0, Relaxed);
        }
    }
    FREED_BLOCKS.store(0, Relaxed);
    FREED_BYTES.store(0, Relaxed);
    ARMED.store(true, Relaxed);
}

/// What the scan found since [`arm`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanReport {
    /// Per needle: how many freed blocks contained it.
    pub hits: Vec<usize>,
    /// Per needle: the size of the last freed block that contained it.
    pub last_hit_block_size: Vec<usize>,
    /// Freed blocks scanned.
    pub freed_blocks: usize,
    /// Freed bytes scanned.
    pub freed_bytes: usize,
}

/// Disarms the scan and reports what it found.
#[must_use]
pub fn disarm() -> ScanReport {
    ARMED.store(false, Relaxed);
    let count = NEEDLE_LENS.iter().filter(|l| l.load(Relaxed) > 0).count();
    ScanReport {
        hits: HITS.iter().take(count).map(|h| h.load(Relaxed)).collect(),
        last_hit_block_size: HIT_BLOCK_SIZE
            .iter()
            .take(count)
            .map(|h| h.load(Relaxed))
            .collect(),
        freed_blocks: FREED_BLOCKS.load(Relaxed),
        freed_bytes: FREED_BYTES.load(Relaxed),
    }
}
