// An API problem+json becomes what GOV.UK pages show: an error summary at the top, one line per
// problem, each linking to its field, and the same message at the field itself.
import type { Problem } from './data/cocoApi.js'

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
