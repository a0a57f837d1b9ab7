// Small helpers of the admin journeys: the new token's secret between two pages, supplier names
// for the users' pages, and the API's validation problems in the words GOV.UK forms use. No rule
// lives here: the API decides what is valid, these only shape what it said.
import type { Problem, Schemas } from './data/cocoApi.js'
import { linkDatesToDay } from './dateInput.js'
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

export function supplierNames(suppliers: Schemas['Supplier'][]): Record<string, string> {
  return Object.fromEntries(suppliers.map((supplier) => [supplier.id, supplier.name]))
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
  return linkDatesToDay(errorView(reword(problem), { fieldOf: adminFieldOf }), ['expires_at'])
}
