//! Splitting long, independent work over the machine's cores, results kept in input order (so
//! outputs stay byte-stable). Used where France-scale layers make one core the bottleneck: building
//! map marks and serialising them to SVG.

use std::ops::Range;

/// Calls `work` on consecutive ranges covering `0..len`, one per core, and returns the results in
/// range order. Below `2 * min_len` items, or on one core, it is a single call on `0..len`.
///
/// ```
/// let sums = indicarto::parallel::map_ranges(10_000, 1_000, |r| r.sum::<usize>());
/// assert_eq!(sums.iter().sum::<usize>(), (0..10_000usize).sum::<usize>());
/// // Ranges in order, covering every item once.
/// let ranges = indicarto::parallel::map_ranges(10_000, 1_000, |r| r);
/// assert_eq!(ranges.first().map(|r| r.start), Some(0));
/// assert!(ranges.windows(2).all(|w| w[0].end == w[1].start));
/// assert_eq!(ranges.last().map(|r| r.end), Some(10_000));
/// ```
pub fn map_ranges<R: Send>(len: usize, min_len: usize, work: impl Fn(Range<usize>) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get).min(8);
    if len < 2 * min_len.max(1) || threads == 1 {
        return vec![work(0..len)];
    }
    let size = len.div_ceil(threads);
    std::thread::scope(|scope| {
        let work = &work;
        let handles: Vec<_> =
            (0..len).step_by(size).map(|start| scope.spawn(move || work(start..(start + size).min(len)))).collect();
        handles.into_iter().map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
    })
}

/// Calls `work` on every item, items split in consecutive chunks, one per core, and returns the
/// results in item order. Below `2 * min_len` items, or on one core, it runs on the calling thread.
/// For independent work on owned pieces of a larger whole (the columns of a value store).
///
/// ```
/// let mut columns = vec![vec![1.0, 2.0], vec![3.0], vec![4.0, 5.0, 6.0]];
/// let sums = indicarto::parallel::for_each_mut(&mut columns, 1, |c| {
///     c.push(0.0);
///     c.iter().sum::<f64>()
/// });
/// assert_eq!(sums, vec![3.0, 3.0, 15.0]);
/// assert!(columns.iter().all(|c| c.last() == Some(&0.0)));
/// ```
pub fn for_each_mut<T: Send, R: Send>(items: &mut [T], min_len: usize, work: impl Fn(&mut T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get).min(8);
    if items.len() < 2 * min_len.max(1) || threads == 1 {
        return items.iter_mut().map(work).collect();
    }
    let size = items.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let work = &work;
        let handles: Vec<_> = items
            .chunks_mut(size)
            .map(|chunk| scope.spawn(move || chunk.iter_mut().map(work).collect::<Vec<R>>()))
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
    })
}
