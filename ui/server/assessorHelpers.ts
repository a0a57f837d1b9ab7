// Small helpers of the assessor journeys: the names the API's lists give only as ids, and the
// approval form's rows of conditions. No assurance rule: every state, date and permission comes
// from the API as it is.
import { unwrap, type CocoClient, type Schemas } from './data/cocoApi.js'
import { datePartsOf, isBlank, isoOf, noDate, type DateParts } from './dateInput.js'
import { text } from './forms.js'

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

// Whose a claim or review is, as the pages word it: the signed-in assessor's, another's, or nobody's.
export function whoIs(me: string) {
  return (user: string | null | undefined): 'me' | 'other' | null => (user ? (user === me ? 'me' : 'other') : null)
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
  const who = whoIs(me)
  return Promise.all(
    items.map(async (item) => {
      const [supplierName, serviceName] = await Promise.all([
        names.supplier(item.supplier_id),
        names.service(item.service_id),
      ])
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

// ---- the approval form -----------------------------------------------------------------------

export interface ConditionRow {
  requirementId: string
  description: string
  due: DateParts
}

export const maxConditionRows = 100

export function conditionRows(body: unknown): ConditionRow[] {
  const count = Math.min(Math.max(Number.parseInt(text(body, 'rows'), 10) || 1, 1), maxConditionRows)
  const rows: ConditionRow[] = []
  for (let i = 0; i < count; i++) {
    rows.push({
      requirementId: text(body, `conditions-${i}-requirement_id`),
      description: text(body, `conditions-${i}-description`),
      due: datePartsOf(body, `conditions-${i}-due_date`),
    })
  }
  return rows
}

export const emptyConditionRow = (): ConditionRow => ({
  requirementId: '',
  description: '',
  due: noDate(),
})

const rowIsEmpty = (row: ConditionRow): boolean =>
  row.requirementId === '' && row.description.trim() === '' && isBlank(row.due)

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
      due_date: isoOf(row.due),
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
