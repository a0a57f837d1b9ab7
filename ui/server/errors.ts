// An API problem+json becomes what GOV.UK pages show: an error summary at the top, one line per
// problem, each linking to its field, and the same message at the field itself. Also the pages a
// route shows itself instead of a form: not found, and changed by someone else first.
import type { Response } from 'express'
import type { Problem } from './data/cocoApi.js'
import { capitalise, formatDate } from './format.js'

export interface ErrorView {
  list: { text: string; href: string }[]
  fields: Record<string, { text: string }>
}

// The form field a problem's JSON pointer names: "/justification" → "justification",
// "/remediation/due_date" → "remediation-due_date", "query/as_of" → "as_of". Pages whose field ids
// differ pass their own.
export function fieldOfPointer(pointer: string | undefined): string | undefined {
  if (!pointer) return undefined
  if (pointer.startsWith('query/')) return pointer.slice('query/'.length)
  if (pointer.startsWith('header/')) return undefined
  const path = pointer.replace(/^\//, '')
  return path === '' ? undefined : path.split('/').join('-')
}

export interface ErrorViewOptions {
  // Where a problem about a requirement links (the assessment submission).
  hrefOfRequirement?: (requirementId: string) => string
  fieldOf?: (pointer: string | undefined) => string | undefined
  // The field a problem without a pointer belongs to, if the form has one main field.
  defaultField?: string
}

export function errorView(problem: Problem, options: ErrorViewOptions = {}): ErrorView {
  const fieldOf = options.fieldOf ?? fieldOfPointer
  const view: ErrorView = { list: [], fields: {} }
  const items = problem.errors && problem.errors.length > 0 ? problem.errors : [problem]
  for (const item of items) {
    const requirementId = 'requirement_id' in item ? item.requirement_id : undefined
    const text = requirementId ? `${requirementId}: ${item.detail}` : item.detail
    if (requirementId && options.hrefOfRequirement) {
      view.list.push({ text, href: options.hrefOfRequirement(requirementId) })
      continue
    }
    const field = fieldOf('pointer' in item ? item.pointer : undefined) ?? options.defaultField
    view.list.push({ text: item.detail, href: field ? `#${field}` : '#main-content' })
    if (field && !view.fields[field]) view.fields[field] = { text: item.detail }
  }
  return view
}

// One message of the front end's own (a missing file, say), in the same shape.
export function singleError(field: string, text: string): ErrorView {
  return { list: [{ text, href: `#${field}` }], fields: { [field]: { text } } }
}

// The problems of several checks as one summary; undefined when there are none.
export function mergeErrors(...views: (ErrorView | undefined)[]): ErrorView | undefined {
  const present = views.filter((view): view is ErrorView => !!view && view.list.length > 0)
  if (present.length === 0) return undefined
  return {
    list: present.flatMap((view) => view.list),
    fields: Object.assign({}, ...present.map((view) => view.fields)),
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

const notFoundBody =
  'If you typed the web address, check it is correct. If you pasted it, check you copied the entire address.'

// A 404 page, for an address that names nothing (the app's own, or a route's with a plainer `body`).
export function notFound(res: Response, body = notFoundBody): void {
  res.status(404).render('pages/error', { title: 'Page not found', body })
}

// The page for a stale If-Match (412): someone changed the `what` since the form was read, and
// nothing was saved. `view` is the role's own page, which says so in its words and links to `href`.
// `kept` names what was saved on the way all the same (a file uploaded before the change failed).
export function changedFirstPage(view: string) {
  return (res: Response, what: string, href: string, linkText: string, kept?: string): void => {
    res.status(412).render(view, { title: `Someone else changed this ${what} first`, what, href, linkText, kept })
  }
}
