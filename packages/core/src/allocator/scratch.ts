/**
 * The allocator reuses module-level typed arrays between calls instead of allocating per order (it runs hundreds of
 * thousands of times a second). This gives back `buffer` when it has at least `cells` cells, else a new one with
 * twice that, so the next larger orders do not grow it again.
 */
export function atLeast<T extends { readonly length: number }>(buffer: T, cells: number, Make: new (length: number) => T): T {
  return buffer.length >= cells ? buffer : new Make(cells * 2);
}
