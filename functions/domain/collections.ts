import type { Collection } from '../db/collection.js'
import { Competitors, Products } from './catalog.js'

/** Every collection whose records can go to the recycle bin, by their URL name. */
export const collections: Record<string, Collection> = Object.fromEntries(
  ([Products, Competitors] as Collection[]).map((c) => [c.path, c]),
)
