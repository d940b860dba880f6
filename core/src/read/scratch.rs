//! Page-sized buffers kept between reads on one thread: the grey image, the
//! bitmaps and the rows' runs of a camera frame are megabytes, and freed at
//! the end of every read they go back to the system, so that the next frame
//! pays a page fault per 4 KiB touched (a tenth of a code-free frame's
//! time). Kept here, the next read on the thread reuses them. Bounded per
//! thread by [`KEPT_BYTES`]; larger images allocate as usual.
//!
//! WebAssembly has no page faults to save (its memory never shrinks): there
//! the buffers are plain allocations.

/// The most bytes each kind of buffer keeps per thread: a 1920 x 1080
/// frame's grey image and both bitmaps, with room for its enlarged regions.
#[cfg(not(target_arch = "wasm32"))]
const KEPT_BYTES: usize = 16 << 20;

use super::find::Walks;

/// Kept buffers of one element type, emptied, at most [`KEPT_BYTES`] of them.
#[cfg(not(target_arch = "wasm32"))]
struct Pool<T>(Vec<Vec<T>>);

#[cfg(not(target_arch = "wasm32"))]
impl<T> Pool<T> {
    /// The smallest kept buffer holding `capacity` elements, or a new one.
    fn take(&mut self, capacity: usize) -> Vec<T> {
        let best = (0..self.0.len())
            .filter(|&i| self.0[i].capacity() >= capacity)
            .min_by_key(|&i| self.0[i].capacity());
        match best {
            Some(i) => self.0.swap_remove(i),
            None => Vec::with_capacity(capacity),
        }
    }

    /// Keeps `v` emptied unless that would pass the bound.
    fn keep(&mut self, mut v: Vec<T>) {
        let size = |v: &Vec<T>| v.capacity() * std::mem::size_of::<T>();
        let kept: usize = self.0.iter().map(size).sum();
        if size(&v) > 0 && kept + size(&v) <= KEPT_BYTES {
            v.clear();
            self.0.push(v);
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
type Local<T> = std::thread::LocalKey<std::cell::RefCell<Pool<T>>>;

#[cfg(not(target_arch = "wasm32"))]
thread_local! {
    static BYTES: std::cell::RefCell<Pool<u8>> = const { std::cell::RefCell::new(Pool(Vec::new())) };
    static RUNS: std::cell::RefCell<Pool<(u32, u32)>> = const { std::cell::RefCell::new(Pool(Vec::new())) };
    static WALKS: std::cell::RefCell<Pool<Walks>> = const { std::cell::RefCell::new(Pool(Vec::new())) };
}

/// An empty buffer from the thread's pool with room for `capacity`
/// elements (a new one when the pool is busy or gone).
#[cfg(not(target_arch = "wasm32"))]
fn take_from<T: 'static>(pool: &'static Local<T>, capacity: usize) -> Vec<T> {
    pool.try_with(|p| p.try_borrow_mut().map(|mut p| p.take(capacity)).ok())
        .ok()
        .flatten()
        .unwrap_or_else(|| Vec::with_capacity(capacity))
}

/// Keeps `v` in the thread's pool, or drops it when the pool is gone (the
/// thread is exiting) or busy.
#[cfg(not(target_arch = "wasm32"))]
fn keep_in<T: 'static>(pool: &'static Local<T>, v: Vec<T>) {
    let _ = pool.try_with(|p| {
        if let Ok(mut p) = p.try_borrow_mut() {
            p.keep(v);
        }
    });
}

/// The buffers of one element type: `$take(capacity)` gives an empty one,
/// `$keep(v)` gives one back (natively: WebAssembly keeps none).
macro_rules! kind {
    ($take:ident, $keep:ident, $t:ty, $pool:ident) => {
        pub(crate) fn $take(capacity: usize) -> Vec<$t> {
            #[cfg(not(target_arch = "wasm32"))]
            return take_from(&$pool, capacity);
            #[cfg(target_arch = "wasm32")]
            return Vec::with_capacity(capacity);
        }

        #[cfg(not(target_arch = "wasm32"))]
        pub(crate) fn $keep(v: Vec<$t>) {
            keep_in(&$pool, v);
        }
    };
}

kind!(bytes, keep_bytes, u8, BYTES);
kind!(runs, keep_runs, (u32, u32), RUNS);
kind!(walks, keep_walks, Walks, WALKS);

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn a_kept_buffer_is_reused_empty_and_the_bound_holds() {
        let mut v = bytes(1000);
        v.extend(std::iter::repeat_n(7, 1000));
        let at = v.as_ptr();
        keep_bytes(v);
        let again = bytes(900);
        assert!(again.is_empty());
        assert_eq!(again.as_ptr(), at, "the kept buffer comes back");
        keep_bytes(again);
        // Past the bound a buffer is dropped, not kept.
        keep_bytes(Vec::with_capacity(KEPT_BYTES));
        let kept: usize = BYTES.with(|p| p.borrow().0.iter().map(Vec::capacity).sum());
        assert!(kept <= KEPT_BYTES, "{kept}");
    }
}
