// Small helpers of the assessor journeys: looking up the names the API's lists give only as ids,
// wording for verdicts and evidence kinds, and reading the approval form's rows. No assurance rule:
// every state, date and permission comes from the API as it is.
import { unwrap, type CocoClient, type Schemas } from './data/cocoApi.js'
import type { ErrorView } from './errors.js'

export type StandardKey = Schemas['Assessment']['standard']

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const requirementPattern = /^(COCO|OFF|CRYPTO|SUP)-[0-9]{2}$/
const standardKeys: readonly StandardKey[] = ['COCO', 'OFFSHORING', 'CRYPTOGRAPHY', 'SUPPLIER']

export const isUuid = (value: string): boolean => uuidPattern.test(value)
export const isRequirementId = (value: string): boolean => requirementPattern.test(value)
export const asStandardKey = (value: unknown): StandardKey | undefined =>
  standardKeys.find((key) => key === value)

// ---- names for ids ---------------------------------------------------------------------------

// The supplier and service names behind a list of assessments, one call per distinct id.
export class Names {
  private readonly suppliers = new Map<string, Promise<string>>()
  private readonly services = new Map<string, Promise<string>>()

  constructor(private readonly api: CocoClient) {}

  supplier(id: string): Promise<string> {
    let name = this.suppliers.get(id)
    if (!name) {
      name = unwrap(this.api.GET('/suppliers/{id}', { params: { path: { id } } })).then((s) => s.name)
      this.suppliers.set(id, name)
    }
    return name
  }

  service(id: string): Promise<string> {
    let name = this.services.get(id)
    if (!name) {
      name = unwrap(this.api.GET('/services/{id}', { params: { path: { id } } })).then((s) => s.name)
      this.services.set(id, name)
    }
    return name
  }
}

// The catalogue's titles of the standards ("Supplier assurance obligations").
export async function standardTitles(api: CocoClient): Promise<Record<string, string>> {
  const list = await unwrap(api.GET('/standards'))
  return Object.fromEntries(list.items.map((item) => [item.key, item.title]))
}

type Summary = Pick<
  Schemas['AssessmentSummary'],
  'id' | 'supplier_id' | 'service_id' | 'standard' | 'standard_version' | 'state' | 'submitted_at' | 'claimed_by' | 'previous_assessor'
>

// One line of a list of cases, as the pages show it.
export interface CaseLine {
  id: string
  href: string
  supplierName: string
  serviceName: string
  standard: string
  standardTitle: string
  standardVersion: string
  state: string
  submittedAt: string | null
  claimedBy: 'me' | 'other' | null
  reviewedBefore: 'me' | 'other' | null
  // "Acme Ltd, Payroll (SUPPLIER)": what a button or link says, for screen readers, about its row.
  label: string
}

export async function caseLines(
  api: CocoClient,
  me: string,
  items: Summary[],
  titles: Record<string, string>,
): Promise<CaseLine[]> {
  const names = new Names(api)
  return Promise.all(
    items.map(async (item) => {
      const [supplierName, serviceName] = await Promise.all([
        names.supplier(item.supplier_id),
        names.service(item.service_id),
      ])
      const who = (id: string | null) => (id === null ? null : id === me ? 'me' : 'other')
      return {
        id: item.id,
        href: `/cases/${item.id}`,
        supplierName,
        serviceName,
        standard: item.standard,
        standardTitle: titles[item.standard] ?? item.standard,
        standardVersion: item.standard_version,
        state: item.state,
        submittedAt: item.submitted_at,
        claimedBy: who(item.claimed_by),
        reviewedBefore: who(item.previous_assessor),
        label: `${supplierName}, ${serviceName} (${item.standard})`,
      } satisfies CaseLine
    }),
  )
}

// ---- wording ---------------------------------------------------------------------------------

const verdicts: Record<string, [string, string]> = {
  accepted: ['Accepted', 'govuk-tag--green'],
  rejected: ['Rejected', 'govuk-tag--red'],
  query: ['Query', 'govuk-tag--yellow'],
}

export function verdictTag(response: Pick<Schemas['AssessmentResponse'], 'review' | 'reopened' | 'open_for_changes'>): {
  text: string
  classes: string
} {
  if (response.review) {
    const [text, classes] = verdicts[response.review.verdict] ?? [response.review.verdict, 'govuk-tag--grey']
    return { text, classes }
  }
  if (response.reopened) return { text: 'Reopened', classes: 'govuk-tag--purple' }
  if (response.open_for_changes) return { text: 'Open for changes', classes: 'govuk-tag--light-blue' }
  return { text: 'Not reviewed', classes: 'govuk-tag--grey' }
}

export function verdictLabel(verdict: string): string {
  return verdicts[verdict]?.[0] ?? verdict
}

const kinds: Record<string, string> = {
  pen_test_report: 'Penetration test report',
  it_health_check: 'IT health check',
  iso27001_certificate: 'ISO 27001 certificate',
  cyber_essentials_certificate: 'Cyber Essentials certificate',
  cyber_essentials_plus_certificate: 'Cyber Essentials Plus certificate',
  policy: 'Policy',
  network_diagram: 'Network diagram',
  tls_scan: 'TLS scan',
  signed_code_of_connection: 'Signed Code of Connection',
  siro_approval: 'SIRO approval',
  dpia: 'Data protection impact assessment (DPIA)',
  other: 'Other',
}

export function evidenceKindLabel(kind: string): string {
  return kinds[kind] ?? kind
}

// ---- the approval form -----------------------------------------------------------------------

type Body = Record<string, unknown>

const text = (body: Body, name: string): string => {
  const value = body[name]
  return typeof value === 'string' ? value : ''
}

export interface DateParts {
  day: string
  month: string
  year: string
}

export function dateParts(body: Body, prefix: string): DateParts {
  return {
    day: text(body, `${prefix}-day`).trim(),
    month: text(body, `${prefix}-month`).trim(),
    year: text(body, `${prefix}-year`).trim(),
  }
}

export function datePartsOf(iso: string | null | undefined): DateParts {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso ?? '')
  return match
    ? { day: String(Number(match[3])), month: String(Number(match[2])), year: match[1] }
    : { day: '', month: '', year: '' }
}

export const datePartsEmpty = (parts: DateParts): boolean => !parts.day && !parts.month && !parts.year

// The three boxes as the API's ISO date. Whether the date is a real one, and allowed, is the API's
// to say: what cannot be read is sent as typed, and the API's answer names the field.
export function isoOfParts(parts: DateParts): string {
  const numeric = [parts.day, parts.month, parts.year].every((part) => /^\d+$/.test(part))
  if (!numeric) return `${parts.year}-${parts.month}-${parts.day}`
  return `${parts.year.padStart(4, '0')}-${parts.month.padStart(2, '0')}-${parts.day.padStart(2, '0')}`
}

export interface ConditionRow {
  requirementId: string
  description: string
  due: DateParts
}

export const maxConditionRows = 100

export function conditionRows(body: Body): ConditionRow[] {
  const count = Math.min(Math.max(Number.parseInt(text(body, 'rows'), 10) || 1, 1), maxConditionRows)
  const rows: ConditionRow[] = []
  for (let i = 0; i < count; i++) {
    rows.push({
      requirementId: text(body, `conditions-${i}-requirement_id`),
      description: text(body, `conditions-${i}-description`),
      due: dateParts(body, `conditions-${i}-due_date`),
    })
  }
  return rows
}

export const emptyConditionRow = (): ConditionRow => ({
  requirementId: '',
  description: '',
  due: { day: '', month: '', year: '' },
})

const rowIsEmpty = (row: ConditionRow): boolean =>
  row.requirementId === '' && row.description.trim() === '' && datePartsEmpty(row.due)

// The conditions to send (empty rows left out), and for each the form row it came from, so the
// API's pointer "/conditions/0/due_date" finds its field again.
export function conditionsOf(rows: ConditionRow[]): { conditions: Schemas['Condition'][]; rowOf: number[] } {
  const conditions: Schemas['Condition'][] = []
  const rowOf: number[] = []
  rows.forEach((row, index) => {
    if (rowIsEmpty(row)) return
    conditions.push({
      requirement_id: row.requirementId,
      description: row.description,
      due_date: isoOfParts(row.due),
    })
    rowOf.push(index)
  })
  return { conditions, rowOf }
}

// "/conditions/1/due_date" → "conditions-<row>-due_date"; "/valid_until" → "valid_until".
export function approvalFieldOf(rowOf: number[]) {
  return (pointer: string | undefined): string | undefined => {
    if (!pointer) return undefined
    const condition = /^\/conditions\/(\d+)(?:\/(requirement_id|description|due_date))?$/.exec(pointer)
    if (condition) {
      const row = rowOf[Number(condition[1])] ?? Number(condition[1])
      return `conditions-${row}-${condition[2] ?? 'requirement_id'}`
    }
    if (pointer === '/conditions') return 'conditions-0-requirement_id'
    if (pointer === '/valid_until') return 'valid_until'
    return undefined
  }
}

// A date field's summary link goes to its day box, as the GOV.UK date input pattern asks.
export function linkDatesToDay(errors: ErrorView, dateFields: string[]): ErrorView {
  return {
    ...errors,
    list: errors.list.map((item) =>
      dateFields.some((field) => item.href === `#${field}`) ? { ...item, href: `${item.href}-day` } : item,
    ),
  }
}
