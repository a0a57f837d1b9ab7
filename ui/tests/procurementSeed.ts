// Seeding through the API what procurement and risk owners read: a supplier with a service, its
// assessments answered by the supplier, reviewed and approved by an assessor. Every step is an
// API call made by the person whose job it is; nothing is written to the database directly.
// The end-to-end test reuses these functions.
import { unwrap } from '../server/data/cocoApi.js'
import type { Schemas } from '../server/data/cocoApi.js'
import { makePerson, makeSupplier, type Person, type Stack } from './harness.js'

export type StandardKey = Schemas['Assessment']['standard']
type ScopeProfile = Schemas['ScopeProfile']
type EvidenceKind = Schemas['EvidenceKind']

// A day counted from today (UTC) as "2027-03-03".
export function isoDay(offsetDays: number): string {
  const day = new Date()
  day.setUTCHours(12, 0, 0, 0)
  day.setUTCDate(day.getUTCDate() + offsetDays)
  return day.toISOString().slice(0, 10)
}

// UK-only, not connected to the network: needs CRYPTOGRAPHY and SUPPLIER.
export const simpleProfile: ScopeProfile = {
  classification: 'OFFICIAL',
  connects_to_network: false,
  personal_data: false,
  offshore: [],
  hmg_crypto: false,
  operates_pki: false,
}

export interface SeededService {
  supplierId: string
  supplierName: string
  serviceId: string
  serviceName: string
  contractStart: string | null
  // A user of the supplier.
  supplier: Person
}

// A supplier (made by the admin), one service and one supplier user.
export async function supplierWithService(
  stack: Stack,
  name: string,
  options: { serviceName?: string; contractStart?: string | null; profile?: ScopeProfile } = {},
): Promise<SeededService> {
  const supplierId = await makeSupplier(stack, name)
  const supplier = await makePerson(stack, 'supplier', `${name} Security Lead`, supplierId)
  const serviceName = options.serviceName ?? `${name} hosting`
  const contractStart = options.contractStart === undefined ? isoDay(60) : options.contractStart
  const service = await unwrap(
    supplier.api.POST('/suppliers/{id}/services', {
      params: { path: { id: supplierId } },
      body: {
        name: serviceName,
        contract_ref: `CTR-${name.replace(/[^A-Za-z]/g, '').slice(0, 6).toUpperCase()}`,
        ...(contractStart ? { contract_start: contractStart } : {}),
        profile: options.profile ?? simpleProfile,
      },
    }),
  )
  return { supplierId, supplierName: name, serviceId: service.id, serviceName, contractStart, supplier }
}

// The standards the service's profile requires, as the API says.
export async function requiredStandards(person: Person, serviceId: string): Promise<StandardKey[]> {
  const required = await unwrap(
    person.api.GET('/services/{id}/required-standards', { params: { path: { id: serviceId } } }),
  )
  return required.items.filter((item) => item.required).map((item) => item.standard)
}

// Evidence files of the supplier, one per kind, uploaded as the supplier (raw body). Kinds whose
// lapse is counted from the issue date get one.
export class EvidenceShelf {
  private readonly byKind = new Map<EvidenceKind, string>()

  constructor(
    private readonly stack: Stack,
    private readonly supplier: Person,
    private readonly supplierId: string,
  ) {}

  async of(kind: EvidenceKind): Promise<string> {
    const known = this.byKind.get(kind)
    if (known) return known
    const dated = ['pen_test_report', 'it_health_check', 'cyber_essentials_certificate', 'cyber_essentials_plus_certificate']
    const query = new URLSearchParams({ filename: `${kind}.pdf`, kind })
    if (dated.includes(kind)) query.set('issued_on', isoDay(-30))
    const response = await fetch(`${this.stack.apiUrl}/suppliers/${this.supplierId}/evidence?${query}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${this.supplier.token}`, 'Content-Type': 'application/pdf' },
      body: `%PDF-1.4 ${kind} evidence of ${this.supplierId}\n`,
    })
    if (response.status !== 201) throw new Error(`evidence upload: ${response.status} ${await response.text()}`)
    const evidence = (await response.json()) as Schemas['Evidence']
    this.byKind.set(kind, evidence.id)
    return evidence.id
  }
}

export interface AnswerOptions {
  // MUST requirements to answer not_met (with a remediation plan); every other response is met.
  notMet?: string[]
  remediationDue?: string
}

// Starts an assessment of the service against `standard` and answers every response as the
// supplier: met with evidence of a kind the requirement names, or not_met with a dated plan.
export async function answeredAssessment(
  stack: Stack,
  seeded: SeededService,
  standard: StandardKey,
  shelf: EvidenceShelf,
  options: AnswerOptions = {},
): Promise<Schemas['Assessment']> {
  const { supplier } = seeded
  const started = await unwrap(
    supplier.api.POST('/services/{id}/assessments', {
      params: { path: { id: seeded.serviceId } },
      body: { standard },
    }),
  )
  const catalogue = await unwrap(
    supplier.api.GET('/standards/{key}/requirements', {
      params: { path: { key: standard }, query: { version: started.standard_version } },
    }),
  )
  const kindsOf = new Map(catalogue.items.map((item) => [item.id, item.evidence_kinds]))
  for (const response of started.responses) {
    const notMet = options.notMet?.includes(response.requirement_id) ?? false
    if (notMet) {
      await unwrap(
        supplier.api.PUT('/assessments/{id}/responses/{requirement_id}', {
          params: { path: { id: started.id, requirement_id: response.requirement_id } },
          body: {
            answer: 'not_met',
            justification: `${response.requirement_id} is not in place yet.`,
            remediation: {
              plan: `Put ${response.requirement_id} in place.`,
              due_date: options.remediationDue ?? isoDay(200),
            },
          },
        }),
      )
      continue
    }
    const kinds = kindsOf.get(response.requirement_id) ?? []
    const evidenceIds = response.level === 'MUST' && kinds.length > 0 ? [await shelf.of(kinds[0])] : []
    await unwrap(
      supplier.api.PUT('/assessments/{id}/responses/{requirement_id}', {
        params: { path: { id: started.id, requirement_id: response.requirement_id } },
        body: {
          answer: 'met',
          justification: `${response.requirement_id} is in place.`,
          evidence_ids: evidenceIds,
        },
      }),
    )
  }
  return unwrap(supplier.api.GET('/assessments/{id}', { params: { path: { id: started.id } } }))
}

export async function submit(person: Person, assessmentId: string): Promise<void> {
  await unwrap(person.api.POST('/assessments/{id}/submit', { params: { path: { id: assessmentId } } }))
}

// The assessor claims the assessment and accepts every response.
export async function claimAndAcceptAll(assessor: Person, assessmentId: string): Promise<void> {
  await unwrap(assessor.api.POST('/assessments/{id}/claim', { params: { path: { id: assessmentId } } }))
  const assessment = await unwrap(
    assessor.api.GET('/assessments/{id}', { params: { path: { id: assessmentId } } }),
  )
  for (const response of assessment.responses) {
    await unwrap(
      assessor.api.PUT('/assessments/{id}/responses/{requirement_id}/review', {
        params: { path: { id: assessmentId, requirement_id: response.requirement_id } },
        body: { verdict: 'accepted' },
      }),
    )
  }
}

export async function approve(
  assessor: Person,
  assessmentId: string,
  conditions: Schemas['Condition'][] = [],
): Promise<Schemas['Assessment']> {
  return unwrap(
    assessor.api.POST('/assessments/{id}/approve', {
      params: { path: { id: assessmentId } },
      body: { conditions },
    }),
  )
}

export interface ApprovedSupplier extends SeededService {
  assessor: Person
  // Each required standard's assessment.
  assessments: Partial<Record<StandardKey, string>>
  // The MUST answered not_met and covered by a condition (condition: true), and its due date.
  condition: { standard: StandardKey; requirementId: string; dueDate: string } | null
}

export interface ApprovedOptions {
  // One MUST of the CRYPTOGRAPHY assessment answered not_met and approved with a condition.
  condition?: boolean
  // Where the assessments stop: approved (default), or claimed with every response accepted.
  stage?: 'approved' | 'in_review'
  conditionRequirement?: string
  conditionDue?: string
  contractStart?: string | null
  serviceName?: string
  assessor?: Person
}

// A supplier whose every required standard is assessed: answered by the supplier, claimed by an
// assessor, every response accepted, and (by default) approved. With `condition`, the status is
// conditionally_assured: CRYPTO-04 is not met and the approval carries a condition on it.
export async function approvedSupplier(
  stack: Stack,
  name: string,
  options: ApprovedOptions = {},
): Promise<ApprovedSupplier> {
  const seeded = await supplierWithService(stack, name, {
    contractStart: options.contractStart,
    serviceName: options.serviceName,
  })
  const assessor = options.assessor ?? (await makePerson(stack, 'assessor', `${name} Assessor`))
  const shelf = new EvidenceShelf(stack, seeded.supplier, seeded.supplierId)
  const conditionDue = options.conditionDue ?? isoDay(200)
  const condition = options.condition
    ? { standard: 'CRYPTOGRAPHY' as const, requirementId: options.conditionRequirement ?? 'CRYPTO-04', dueDate: conditionDue }
    : null
  const assessments: Partial<Record<StandardKey, string>> = {}
  for (const standard of await requiredStandards(seeded.supplier, seeded.serviceId)) {
    const notMet = condition && condition.standard === standard ? [condition.requirementId] : []
    const assessment = await answeredAssessment(stack, seeded, standard, shelf, {
      notMet,
      remediationDue: conditionDue,
    })
    await submit(seeded.supplier, assessment.id)
    await claimAndAcceptAll(assessor, assessment.id)
    if ((options.stage ?? 'approved') === 'approved') {
      await approve(
        assessor,
        assessment.id,
        notMet.map((requirementId) => ({
          requirement_id: requirementId,
          description: `Complete the plan for ${requirementId}.`,
          due_date: conditionDue,
        })),
      )
    }
    assessments[standard] = assessment.id
  }
  return { ...seeded, assessor, assessments, condition }
}
