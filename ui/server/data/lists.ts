// Whole lists from the API's cursor-paged endpoints, for pages that show or choose from all of them.
import { unwrap, type CocoClient, type Schemas } from './cocoApi.js'

interface Page<T> {
  items: T[]
  next_cursor: string | null
}

// Every item of a paged list, following next_cursor. `maxPages` bounds the calls one page view
// can make (pages of 200 items are asked for by the callers).
export async function allPages<T>(
  fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
  maxPages = 100,
): Promise<T[]> {
  const items: T[] = []
  let cursor: string | undefined
  for (let page = 0; page < maxPages; page++) {
    const result = await fetchPage(cursor)
    items.push(...result.items)
    if (!result.next_cursor) break
    cursor = result.next_cursor
  }
  return items
}

// Every supplier the user may read, oldest first as the API lists them, for selects and names.
export async function allSuppliers(api: CocoClient): Promise<Schemas['Supplier'][]> {
  return allPages((cursor) => unwrap(api.GET('/suppliers', { params: { query: { limit: 200, cursor } } })))
}
