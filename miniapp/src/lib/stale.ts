/**
 * Which lists changed behind a page's back (a record created, edited or deleted on another page), so the
 * list refreshes when the user returns to it rather than on every show.
 */
const stale = new Set<string>()

export const markStale = (key: string): void => void stale.add(key)

export const takeStale = (key: string): boolean => stale.delete(key)
