// The catalogue of standards and their requirements, as the API serves it: titles for the pages'
// wording, and each requirement's text and accepted evidence kinds.
import { unwrap, type CocoClient, type Schemas } from './cocoApi.js'
import type { StandardKey } from './ids.js'

// The catalogue's titles of the standards by key ("Supplier assurance obligations").
export async function standardTitles(api: CocoClient): Promise<Record<string, string>> {
  const list = await unwrap(api.GET('/standards'))
  return Object.fromEntries(list.items.map((item) => [item.key, item.title]))
}

// A standard version's requirements never change once imported, so each version is kept once
// read (every role may read the catalogue). Only what was read is kept, never a call in flight:
// one user's refused call is never another's answer.
const versions = new Map<string, Map<string, Schemas['Requirement']>>()

async function readRequirements(
  api: CocoClient,
  standard: StandardKey,
  version: string | undefined,
): Promise<Map<string, Schemas['Requirement']>> {
  const list = await unwrap(
    api.GET('/standards/{key}/requirements', { params: { path: { key: standard }, query: version ? { version } : {} } }),
  )
  return new Map(list.items.map((item) => [item.id, item]))
}

// The requirements of one version of a standard, by id.
export async function requirementsOf(
  api: CocoClient,
  standard: StandardKey,
  version: string,
): Promise<Map<string, Schemas['Requirement']>> {
  const key = `${standard}@${version}`
  const known = versions.get(key)
  if (known) return known
  const read = await readRequirements(api, standard, version)
  versions.set(key, read)
  return read
}

// The titles of requirements across standards and versions, loaded as a page needs them.
export class RequirementTitles {
  private readonly loaded = new Map<string, Map<string, string>>()

  constructor(private readonly api: CocoClient) {}

  // Reads the titles of `standard` at `version` (the latest when null, read each time: a newer
  // version may have been imported since).
  async load(standard: string, version: string | null | undefined): Promise<void> {
    const key = `${standard}@${version ?? 'latest'}`
    if (this.loaded.has(key)) return
    const requirements = version
      ? await requirementsOf(this.api, standard as StandardKey, version)
      : await readRequirements(this.api, standard as StandardKey, undefined)
    this.loaded.set(key, new Map([...requirements].map(([id, requirement]) => [id, requirement.title])))
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
