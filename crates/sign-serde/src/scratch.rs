//! Per-thread scratch buffers for payload codecs: the intermediate bytes of a token (JSON
//! text, base64-decoded or inflated payloads) without an allocation per token, wiped after
//! every use.

use std::cell::RefCell;
use std::thread::LocalKey;

/// This thread's `N` scratch buffers, declared by the codec with `thread_local!`:
///
/// ```
/// use std::cell::RefCell;
/// thread_local! {
///     static SCRATCH: RefCell<[Vec<u8>; 2]> = const { RefCell::new([Vec::new(), Vec::new()]) };
/// }
/// let n = sign_serde::with_scratch(&SCRATCH, 64 * 1024, |[text, _]| {
///     text.extend_from_slice(b"{}");
///     text.len()
/// });
/// assert_eq!(n, 2);
/// ```
pub type ThreadScratch<const N: usize> = LocalKey<RefCell<[Vec<u8>; N]>>;

/// Runs `work` on this thread's buffers in `scratch`, emptied first (fresh ones for a
/// re-entrant call: a codec nested in itself), then wipes them; a buffer whose capacity grew
/// past `keep` bytes is also freed, so neither a payload's plaintext nor a large capacity
/// stays behind per thread.
pub fn with_scratch<const N: usize, R>(
    scratch: &'static ThreadScratch<N>,
    keep: usize,
    work: impl FnOnce(&mut [Vec<u8>; N]) -> R,
) -> R {
    scratch.with(|cell| {
        let mut fresh: [Vec<u8>; N] = std::array::from_fn(|_| Vec::new());
        let mut guard = cell.try_borrow_mut();
        let buffers = match guard.as_deref_mut() {
            Ok(buffers) => buffers,
            Err(_) => &mut fresh,
        };
        buffers.iter_mut().for_each(Vec::clear);
        let result = work(buffers);
        for buffer in buffers.iter_mut() {
            // An unused buffer has nothing to wipe, and its pointer is dangling: glibc's
            // AVX-512 `memset` does a masked store even for length 0, which on a dangling
            // (unmapped) address takes a slow fault-suppression assist on some CPUs (AMD
            // Zen 4: ~100 ns, a tenth of a small token's load).
            if !buffer.is_empty() {
                buffer.fill(0);
            }
            if buffer.capacity() > keep {
                *buffer = Vec::new();
            } else {
                buffer.clear();
            }
        }
        result
    })
}
