// The catalogue of standards and their requirements, as the API serves it: titles for the pages'
// wording, and each requirement's text and accepted evidence kinds.
import { unwrap, type CocoClient, type Schemas } from './cocoApi.js'
import type { StandardKey } from './ids.js'

// The catalogue's titles of the standards by key ("Supplier assurance obligations").
export async function standardTitles(api: CocoClient): Promise<Record<string, string>> {
  const list = await unwrap(api.GET('/standards'))
  return Object.fromEntries(list.items.map((item) => [item.key, item.title]))
}

// The requirements of one version of a standard, by id.
export async function requirementsOf(
  api: CocoClient,
  standard: StandardKey,
  version: string,
): Promise<Map<string, Schemas['Requirement']>> {
  const list = await unwrap(
    api.GET('/standards/{key}/requirements', { params: { path: { key: standard }, query: { version } } }),
  )
  return new Map(list.items.map((item) => [item.id, item]))
}

// A standard version's requirements never change once imported, so their titles are kept here
// once read. The latest version (no version named) is read each time.
const versionCache = new Map<string, Map<string, string>>()

// The titles of requirements across standards and versions, loaded as a page needs them.
export class RequirementTitles {
  private readonly loaded = new Map<string, Map<string, string>>()

  constructor(private readonly api: CocoClient) {}

  // Reads the titles of `standard` at `version` (the latest when null).
  async load(standard: string, version: string | null | undefined): Promise<void> {
    const key = `${standard}@${version ?? 'latest'}`
    if (this.loaded.has(key)) return
    const cached = version ? versionCache.get(key) : undefined
    if (cached) {
      this.loaded.set(key, cached)
      return
    }
    const list = await unwrap(
      this.api.GET('/standards/{key}/requirements', {
        params: {
          path: { key: standard as StandardKey },
          query: version ? { version } : {},
        },
      }),
    )
    const titles = new Map(list.items.map((item) => [item.id, item.title]))
    this.loaded.set(key, titles)
    if (version) versionCache.set(key, titles)
  }

  // The title at the version loaded for `standard`: a named version first, else the latest.
  title(standard: string | undefined, requirementId: string, version?: string | null): string | undefined {
    if (!standard) {
      for (const titles of this.loaded.values()) {
        const found = titles.get(requirementId)
        if (found) return found
      }
      return undefined
    }
    if (version) {
      const found = this.loaded.get(`${standard}@${version}`)?.get(requirementId)
      if (found) return found
    }
    for (const [key, titles] of this.loaded) {
      if (key.startsWith(`${standard}@`) && titles.has(requirementId)) return titles.get(requirementId)
    }
    return undefined
  }
}
