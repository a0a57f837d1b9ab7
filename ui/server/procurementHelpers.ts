// Small helpers of the procurement and risk owner pages: GOV.UK date inputs to ISO days, the
// catalogue's requirement titles (for wording), and reading every page of a list.
import { unwrap, type CocoClient, type Schemas } from './data/cocoApi.js'
import type { ErrorView } from './errors.js'
import { formatDate } from './format.js'

export interface DateField {
  // What goes to the API: "2027-03-03", an unchecked string the API validates, or undefined.
  iso: string | undefined
  // What the date input shows again.
  values: { day: string; month: string; year: string }
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : ''
}

// A GOV.UK date input posts `name-day`, `name-month` and `name-year`; a link may carry `name`
// as an ISO day instead. The parts are only put together: the API says whether it is a date.
export function dateField(source: Record<string, unknown> | undefined, name: string): DateField {
  const input = source ?? {}
  const whole = text(input[name])
  if (whole !== '') {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(whole)
    return {
      iso: whole,
      values: match
        ? { day: String(Number(match[3])), month: String(Number(match[2])), year: match[1] }
        : { day: '', month: '', year: '' },
    }
  }
  const values = {
    day: text(input[`${name}-day`]),
    month: text(input[`${name}-month`]),
    year: text(input[`${name}-year`]),
  }
  if (values.day === '' && values.month === '' && values.year === '') return { iso: undefined, values }
  const pad = (part: string) => (/^\d$/.test(part) ? `0${part}` : part)
  return { iso: `${values.year}-${pad(values.month)}-${pad(values.day)}`, values }
}

// A problem about a date goes to its first box, as GOV.UK date inputs expect:
// "/expires_on" or "query/as_of" → "expires_on-day" or "as_of-day".
export function dateFieldOf(dateNames: string[]) {
  return (pointer: string | undefined): string | undefined => {
    if (!pointer) return undefined
    const name = pointer.replace(/^query\//, '').replace(/^\//, '').split('/').join('-')
    if (name === '') return undefined
    return dateNames.includes(name) ? `${name}-day` : name
  }
}

// Every page of a cursor-paged list, up to `maxPages` pages.
export async function allPages<T>(
  fetchPage: (cursor: string | undefined) => Promise<{ items: T[]; next_cursor: string | null }>,
  maxPages = 50,
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

type StandardKey = Schemas['StandardStatus']['standard']

// A standard version's requirements never change once imported, so their titles are kept here
// once read. The latest version (no version named) is read each time.
const versionCache = new Map<string, Map<string, string>>()

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

// The API's field problems in the words of the form: its field names become the labels a person
// sees, ISO days read "3 March 2027", and an empty field is asked for. Wording only: which
// problems there are is the API's answer.
export function inFormWords(
  errors: ErrorView,
  fields: Record<string, { label: string; name: string; empty?: string; isEmpty?: boolean }>,
): ErrorView {
  const reword = (field: string | undefined, text: string): string => {
    const dated = text.replace(/\b(\d{4}-\d{2}-\d{2})\b/g, (iso) => formatDate(iso))
    const known = field ? fields[field] : undefined
    if (!known) return capitalise(dated)
    if (known.isEmpty && known.empty) return known.empty
    if (/must be a date/.test(dated)) return `${known.label} must be a real date`
    if (dated.startsWith(`${known.name} `)) return `${known.label}${dated.slice(known.name.length)}`
    if (/^between /.test(dated)) return `${known.label} must be ${dated}`
    return capitalise(dated)
  }
  const fieldOfHref = (href: string) => (href.startsWith('#') ? href.slice(1) : undefined)
  return {
    list: errors.list.map((item) => ({ ...item, text: reword(fieldOfHref(item.href), item.text) })),
    fields: Object.fromEntries(
      Object.entries(errors.fields).map(([field, message]) => [field, { text: reword(field, message.text) }]),
    ),
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}
