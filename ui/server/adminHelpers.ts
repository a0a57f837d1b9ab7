// Small helpers of the admin journeys: reading an ETag with a body, loading every supplier for a
// form, reading form fields, and wording the API's validation problems the GOV.UK way. No rule
// lives here: the API decides what is valid, these only shape what it said.
import type { Response as ExpressResponse } from 'express'
import { unwrap, type CocoClient, type Problem, type Schemas } from './data/cocoApi.js'
import { errorView, fieldOfPointer, type ErrorView } from './errors.js'

// A new token's secret, kept in the session between the POST that made it and the one page
// that shows it; that page deletes it before rendering, so it is shown once.
export interface IssuedTokenNotice {
  id: string
  userId: string
  name: string
  expiresAt: string
  secret: string
}

declare module 'express-session' {
  interface SessionData {
    adminIssuedToken: IssuedTokenNotice
  }
}

type Call<T> = Promise<{ data?: T; error?: unknown; response: globalThis.Response }>

// The data of a call and the ETag it came with (for If-Match on a later change).
export async function withEtag<T>(call: Call<T>): Promise<{ data: T; etag: string }> {
  const result = await call
  const data = await unwrap(Promise.resolve(result))
  return { data, etag: result.response.headers.get('ETag') ?? '' }
}

// Every supplier, page by page (oldest first, as the API lists them), for selects and names.
export async function allSuppliers(api: CocoClient): Promise<Schemas['Supplier'][]> {
  const suppliers: Schemas['Supplier'][] = []
  let cursor: string | undefined
  for (let page = 0; page < 100; page++) {
    const result = await unwrap(api.GET('/suppliers', { params: { query: { limit: 200, cursor } } }))
    suppliers.push(...result.items)
    if (!result.next_cursor) break
    cursor = result.next_cursor
  }
  return suppliers
}

export function supplierNames(suppliers: Schemas['Supplier'][]): Record<string, string> {
  return Object.fromEntries(suppliers.map((supplier) => [supplier.id, supplier.name]))
}

// One text field of a urlencoded form, trimmed.
export function field(body: unknown, name: string): string {
  const value = (body as Record<string, unknown> | undefined)?.[name]
  if (typeof value === 'string') return value.trim()
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0].trim()
  return ''
}

// A field that may repeat (checkboxes): always a list, without blanks.
export function fields(body: unknown, name: string): string[] {
  const value = (body as Record<string, unknown> | undefined)?.[name]
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value]
  return list.filter((item): item is string => typeof item === 'string' && item !== '')
}

// The form's Idempotency-Key, if it is one the API accepts (1 to 255 visible ASCII characters).
export function idempotencyKeyOf(body: unknown): string | undefined {
  const key = field(body, 'idempotency_key')
  return /^[\x21-\x7e]{1,255}$/.test(key) ? key : undefined
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && uuid.test(value)
}

export function notFound(res: ExpressResponse): void {
  res.status(404).render('pages/error', {
    title: 'Page not found',
    body: 'If you typed the web address, check it is correct. If you pasted it, check you copied the entire address.',
  })
}

// The admin forms' field ids: the API's pointers, except that any item of a list of conflicts
// belongs to the conflicts checkboxes, and a date's problem to its day field.
function adminFieldOf(pointer: string | undefined): string | undefined {
  if (pointer && /^\/conflicts(\/|$)/.test(pointer)) return 'conflicts'
  if (pointer === '/expires_at') return 'expires_at'
  return fieldOfPointer(pointer)
}

// The API's reason codes, in the words GOV.UK forms use. Anything not here is shown as the API
// worded it.
const wording: Record<string, string> = {
  '/name invalid_length': 'Enter a name of 1 to 200 characters',
  '/name required': 'Enter a name',
  '/email invalid_email': 'Enter an email address in the correct format, like name@example.com',
  '/email invalid_length': 'Enter an email address in the correct format, like name@example.com',
  '/email required': 'Enter an email address',
  '/contact_email invalid_email': 'Enter a contact email address in the correct format, like name@example.com',
  '/contact_email invalid_length': 'Enter a contact email address in the correct format, like name@example.com',
  '/contact_email required': 'Enter a contact email address',
  '/companies_house_number invalid_format':
    'Enter a Companies House number of 8 capital letters or digits, like 01234567',
  '/companies_house_number invalid_length':
    'Enter a Companies House number of 8 capital letters or digits, like 01234567',
  '/role required': 'Select a role',
  '/role invalid_enum': 'Select a role',
  '/supplier_id required': 'Select the supplier this user works for',
  '/supplier_id not_allowed':
    'Only a supplier user works for a supplier: choose the Supplier role, or no supplier',
  '/supplier_id unknown_supplier': 'Select a supplier from the list',
  '/conflicts not_allowed':
    'Only assessors and risk owners declare conflicts of interest: choose one of those roles, or untick the suppliers',
  '/expires_at invalid_expiry': 'The expiry date must be in the future and within a year',
  '/expires_at outlives_parent': 'The expiry date is later than the token you are using allows',
}

// The key a refused create form is shown again with: the same one (a refusal is not remembered,
// so a double submit of the corrected form still makes one thing), unless the API says it was
// already used for other answers.
export function keyForRetry(problem: Problem, key: string | undefined): string | undefined {
  return problem.code === 'idempotency_key_reused' ? undefined : key
}

function reword(problem: Problem): Problem {
  if (problem.code === 'idempotency_key_reused') {
    return {
      ...problem,
      detail: 'This form was already sent with other answers. Check the answers and send it again.',
    }
  }
  const items = problem.errors?.map((item) => {
    const pointer = item.pointer?.replace(/\/\d+$/, '')
    const text = wording[`${pointer} ${item.code}`]
    return text ? { ...item, detail: text } : item
  })
  return items ? { ...problem, errors: items } : problem
}

// A 422 from the API, as the admin forms show it: each message at its field and in the summary.
export function adminErrors(problem: Problem): ErrorView {
  const view = errorView(reword(problem), { fieldOf: adminFieldOf })
  // A date input's summary link goes to its first field (GOV.UK's date input pattern).
  view.list = view.list.map((item) => (item.href === '#expires_at' ? { ...item, href: '#expires_at-day' } : item))
  return view
}

// State tags: wording and colour only.
const stateTags: Record<string, [string, string]> = {
  active: ['Active', 'govuk-tag--green'],
  offboarded: ['Offboarded', 'govuk-tag--grey'],
  disabled: ['Disabled', 'govuk-tag--grey'],
}

export function stateTag(state: string): { text: string; classes: string } {
  const [text, classes] = stateTags[state] ?? [state, 'govuk-tag--grey']
  return { text, classes }
}

// The roles of the contract, in words, with what each does (from the API's documentation).
export const roles: { value: Schemas['NewUser']['role']; text: string; hint: string }[] = [
  { value: 'assessor', text: 'Assessor', hint: 'Reviews suppliers’ assessments and decides them' },
  { value: 'risk_owner', text: 'Risk owner', hint: 'Accepts and revokes exceptions' },
  { value: 'procurement', text: 'Procurement', hint: 'Reads suppliers’ assurance status' },
  { value: 'supplier', text: 'Supplier', hint: 'Works for a supplier and fills in its assessments' },
  { value: 'admin', text: 'Admin', hint: 'Manages suppliers, users and API tokens' },
]

export function roleLabel(role: string): string {
  return roles.find((item) => item.value === role)?.text ?? role
}

// "2027-03-03" from the three fields of a GOV.UK date input, or undefined when all are blank;
// 'invalid' when what was typed is not a date at all (whether the date is allowed is the API's
// call).
export function dateOfFields(day: string, month: string, year: string): string | undefined | 'invalid' {
  if (day === '' && month === '' && year === '') return undefined
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) return 'invalid'
  const d = Number(day)
  const m = Number(month)
  const y = Number(year)
  const date = new Date(Date.UTC(y, m - 1, d))
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return 'invalid'
  return `${year}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`
}
