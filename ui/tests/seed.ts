// What the browser tests start from, made through the API by the people whose job it is: the admin
// makes suppliers and users, a supplier user adds services, uploads evidence and answers
// assessments, an assessor claims, reviews and approves them. Nothing is written to the database
// directly. Each test file builds its own story from these steps.
import crypto from 'node:crypto'
import { unwrap, type Schemas } from '../server/data/cocoApi.js'
import { isoDay } from './days.js'
import { makePerson, makeSupplier, type Person, type Stack } from './harness.js'

export type StandardKey = Schemas['Assessment']['standard']
type ScopeProfile = Schemas['ScopeProfile']
type EvidenceKind = Schemas['EvidenceKind']
type Assessment = Schemas['Assessment']

// ---- suppliers and their services --------------------------------------------------------------

// UK-only, not connected to the network: needs CRYPTOGRAPHY and SUPPLIER.
export const simpleProfile: ScopeProfile = {
  classification: 'OFFICIAL',
  connects_to_network: false,
  personal_data: false,
  offshore: [],
  hmg_crypto: false,
  operates_pki: false,
}

export interface ServiceOptions {
  contractRef?: string
  contractStart?: string
  profile?: ScopeProfile
}

// A service of the supplier, added by one of its users.
export async function addService(
  supplier: Person,
  supplierId: string,
  name: string,
  options: ServiceOptions = {},
): Promise<Schemas['Service']> {
  return unwrap(
    supplier.api.POST('/suppliers/{id}/services', {
      params: { path: { id: supplierId } },
      body: {
        name,
        ...(options.contractRef ? { contract_ref: options.contractRef } : {}),
        ...(options.contractStart ? { contract_start: options.contractStart } : {}),
        profile: options.profile ?? simpleProfile,
      },
    }),
  )
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

// A supplier (made by the admin), one supplier user and one service with a contract reference
// and (unless null) a contract starting in 60 days.
export async function supplierWithService(
  stack: Stack,
  name: string,
  options: { serviceName?: string; contractStart?: string | null; profile?: ScopeProfile } = {},
): Promise<SeededService> {
  const supplierId = await makeSupplier(stack, name)
  const supplier = await makePerson(stack, 'supplier', `${name} Security Lead`, supplierId)
  const serviceName = options.serviceName ?? `${name} hosting`
  const contractStart = options.contractStart === undefined ? isoDay(60) : options.contractStart
  const service = await addService(supplier, supplierId, serviceName, {
    contractRef: `CTR-${name.replace(/[^A-Za-z]/g, '').slice(0, 6).toUpperCase()}`,
    contractStart: contractStart ?? undefined,
    profile: options.profile,
  })
  return { supplierId, supplierName: name, serviceId: service.id, serviceName, contractStart, supplier }
}

// The standards the service's profile requires, as the API says.
export async function requiredStandards(person: Person, serviceId: string): Promise<StandardKey[]> {
  const required = await unwrap(
    person.api.GET('/services/{id}/required-standards', { params: { path: { id: serviceId } } }),
  )
  return required.items.filter((item) => item.required).map((item) => item.standard)
}

// ---- evidence ----------------------------------------------------------------------------------

export interface EvidenceUpload {
  filename: string
  kind: EvidenceKind
  // The file's bytes; a small PDF-like file of its own when not given.
  content?: string | Buffer
  issued_on?: string
  expires_on?: string
}

// A file uploaded as the supplier user (the raw bytes as the body, the rest in the query).
export async function uploadEvidence(
  person: Person,
  supplierId: string,
  upload: EvidenceUpload,
): Promise<Schemas['Evidence']> {
  const { content, ...query } = upload
  const bytes = content ?? `%PDF-1.4\n% ${upload.kind} of ${supplierId}\n${crypto.randomBytes(48).toString('hex')}\n%%EOF\n`
  return unwrap(
    person.api.POST('/suppliers/{id}/evidence', {
      params: { path: { id: supplierId }, query },
      body: (typeof bytes === 'string' ? Buffer.from(bytes) : bytes) as never,
      bodySerializer: (body: unknown) => body as string,
      headers: { 'Content-Type': 'application/pdf' },
    }),
  )
}

export async function evidenceCount(person: Person, supplierId: string): Promise<number> {
  const page = await unwrap(
    person.api.GET('/suppliers/{id}/evidence', { params: { path: { id: supplierId }, query: { limit: 200 } } }),
  )
  return page.items.length
}

export interface SeededFile {
  id: string
  filename: string
  kind: EvidenceKind
  bytes: Buffer
  sha256: string
}

// Kinds whose lapse the API counts from the issue date: the shelf's own files of these kinds are
// issued 30 days ago.
const datedKinds: EvidenceKind[] = [
  'pen_test_report',
  'it_health_check',
  'cyber_essentials_certificate',
  'cyber_essentials_plus_certificate',
]

// A supplier's evidence files, uploaded as its user, for answers to attach.
export class EvidenceShelf {
  private readonly files: SeededFile[] = []

  constructor(
    readonly supplier: Person,
    readonly supplierId: string,
  ) {}

  // Uploads a file named and dated by the test, for answers that accept its kind.
  async put(filename: string, kind: EvidenceKind, dates: { issued_on?: string; expires_on?: string } = {}) {
    const bytes = Buffer.from(`%PDF-1.4\n% ${kind} of ${this.supplierId}\n${crypto.randomBytes(48).toString('hex')}\n%%EOF\n`)
    const evidence = await uploadEvidence(this.supplier, this.supplierId, { filename, kind, content: bytes, ...dates })
    const file = { id: evidence.id, filename, kind, bytes, sha256: crypto.createHash('sha256').update(bytes).digest('hex') }
    this.files.push(file)
    return file
  }

  // A file for an answer that accepts `kinds`: one on the shelf if it fits, else a new one of the
  // first kind other than `other`.
  async fitting(kinds: EvidenceKind[]): Promise<SeededFile | undefined> {
    const held = this.files.find((file) => kinds.includes(file.kind))
    if (held) return held
    const kind = kinds.find((item) => item !== 'other') ?? kinds[0]
    if (!kind) return undefined
    return this.put(`${kind}.pdf`, kind, datedKinds.includes(kind) ? { issued_on: isoDay(-30) } : {})
  }
}

// ---- assessments -------------------------------------------------------------------------------

export async function assessmentAs(person: Person, id: string): Promise<Assessment> {
  return unwrap(person.api.GET('/assessments/{id}', { params: { path: { id } } }))
}

export async function startAssessment(person: Person, serviceId: string, standard: StandardKey): Promise<Assessment> {
  return unwrap(person.api.POST('/services/{id}/assessments', { params: { path: { id: serviceId } }, body: { standard } }))
}

export async function submit(person: Person, assessmentId: string): Promise<void> {
  await unwrap(person.api.POST('/assessments/{id}/submit', { params: { path: { id: assessmentId } } }))
}

export interface AnswerOptions {
  // Requirements answered not_met or partially_met, each with a remediation plan due on
  // `remediationDue` (200 days from today unless given). Every other response is met.
  notMet?: string[]
  partiallyMet?: string[]
  remediationDue?: string
  // Where the files come from (a shelf of the supplier's own when not given).
  shelf?: EvidenceShelf
}

type ResponseUpdate = Schemas['ResponseUpdate']

// One response's answer: met or partially met with a file on a MUST, or not met; the last two
// with a plan.
async function answerFor(
  response: Schemas['AssessmentResponse'],
  kinds: EvidenceKind[],
  shelf: EvidenceShelf,
  options: AnswerOptions,
): Promise<ResponseUpdate> {
  const id = response.requirement_id
  const due = options.remediationDue ?? isoDay(200)
  if (options.notMet?.includes(id)) {
    return {
      answer: 'not_met',
      justification: `${id} is not in place yet.`,
      remediation: { plan: `Put ${id} in place.`, due_date: due },
    }
  }
  const file = response.level === 'MUST' ? await shelf.fitting(kinds) : undefined
  const evidence = { evidence_ids: file ? [file.id] : [] }
  if (options.partiallyMet?.includes(id)) {
    return {
      answer: 'partially_met',
      justification: `${id} is in place for most teams, not all yet.`,
      remediation: { plan: `Roll out ${id} to the remaining teams.`, due_date: due },
      ...evidence,
    }
  }
  return { answer: 'met', justification: file ? `${id} is in place; see ${file.filename}.` : `${id} is in place.`, ...evidence }
}

// Answers, as the supplier, every response of the assessment not answered yet: what a supplier
// would do through the pages, done quickly. Returns each answer's justification by requirement.
export async function answerTheRest(
  supplier: Person,
  supplierId: string,
  assessmentId: string,
  options: AnswerOptions = {},
): Promise<Record<string, string>> {
  const shelf = options.shelf ?? new EvidenceShelf(supplier, supplierId)
  const assessment = await assessmentAs(supplier, assessmentId)
  const catalogue = await unwrap(
    supplier.api.GET('/standards/{key}/requirements', {
      params: { path: { key: assessment.standard }, query: { version: assessment.standard_version } },
    }),
  )
  const kindsOf = new Map(catalogue.items.map((item) => [item.id, item.evidence_kinds]))
  const justifications: Record<string, string> = {}
  for (const response of assessment.responses) {
    if (response.answer !== null) continue
    const body = await answerFor(response, kindsOf.get(response.requirement_id) ?? [], shelf, options)
    justifications[response.requirement_id] = body.justification ?? ''
    await unwrap(
      supplier.api.PUT('/assessments/{id}/responses/{requirement_id}', {
        params: { path: { id: assessmentId, requirement_id: response.requirement_id } },
        body,
      }),
    )
  }
  return justifications
}

// Starts an assessment of the service against `standard` and answers every response.
export async function answeredAssessment(
  seeded: SeededService,
  standard: StandardKey,
  options: AnswerOptions = {},
): Promise<Assessment> {
  const started = await startAssessment(seeded.supplier, seeded.serviceId, standard)
  await answerTheRest(seeded.supplier, seeded.supplierId, started.id, options)
  return assessmentAs(seeded.supplier, started.id)
}

// ---- the assessor's side -----------------------------------------------------------------------

// The assessor claims the assessment and accepts every response.
export async function claimAndAcceptAll(assessor: Person, assessmentId: string): Promise<void> {
  await unwrap(assessor.api.POST('/assessments/{id}/claim', { params: { path: { id: assessmentId } } }))
  const assessment = await assessmentAs(assessor, assessmentId)
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
): Promise<Assessment> {
  return unwrap(
    assessor.api.POST('/assessments/{id}/approve', {
      params: { path: { id: assessmentId } },
      body: { conditions },
    }),
  )
}

// A new assessor claims the submitted assessment, queries one answer with a comment and sends the
// assessment back for changes.
export async function assessorQueries(
  stack: Stack,
  assessmentId: string,
  requirementId: string,
  comment: string,
): Promise<Person> {
  const assessor = await makePerson(stack, 'assessor', 'Ada Assessor')
  await unwrap(assessor.api.POST('/assessments/{id}/claim', { params: { path: { id: assessmentId } } }))
  await unwrap(
    assessor.api.PUT('/assessments/{id}/responses/{requirement_id}/review', {
      params: { path: { id: assessmentId, requirement_id: requirementId } },
      body: { verdict: 'query', comment },
    }),
  )
  await unwrap(
    assessor.api.POST('/assessments/{id}/request-changes', {
      params: { path: { id: assessmentId } },
      body: { summary: `One query, on ${requirementId}` },
    }),
  )
  return assessor
}

// ---- stories -----------------------------------------------------------------------------------

export interface SubmittedCase extends SeededService {
  assessmentId: string
  // The policy attached to most answers, and the Cyber Essentials certificate on SUP-09.
  policy: SeededFile
  certificate: SeededFile
  // The requirement answered partially_met with a remediation plan, if any, and its due date.
  partiallyMet: { requirementId: string; plan: string; dueDate: string } | null
  // What every answer's justification says, by requirement.
  justifications: Record<string, string>
  // "Acme Ltd, Acme payroll (SUPPLIER)": how the queue names the case to screen readers.
  label: string
}

export interface CaseOptions {
  serviceName?: string
  // A MUST answered partially_met, with a remediation plan (default none).
  partiallyMet?: string
}

// A supplier with one service whose SUPPLIER assessment (12 MUSTs) is answered in full, with a
// policy and a certificate as evidence, and submitted.
export async function submittedCase(stack: Stack, supplierName: string, options: CaseOptions = {}): Promise<SubmittedCase> {
  const seeded = await supplierWithService(stack, supplierName, {
    serviceName: options.serviceName ?? `${supplierName.split(' ')[0]} payroll`,
    contractStart: null,
  })
  const shelf = new EvidenceShelf(seeded.supplier, seeded.supplierId)
  const policy = await shelf.put('information-security-policy.pdf', 'policy', { issued_on: isoDay(-90) })
  const certificate = await shelf.put('cyber-essentials.pdf', 'cyber_essentials_certificate', {
    issued_on: isoDay(-30),
    expires_on: isoDay(300),
  })
  const started = await startAssessment(seeded.supplier, seeded.serviceId, 'SUPPLIER')
  const dueDate = isoDay(120)
  const partiallyMet = options.partiallyMet ? [options.partiallyMet] : []
  const justifications = await answerTheRest(seeded.supplier, seeded.supplierId, started.id, {
    shelf,
    partiallyMet,
    remediationDue: dueDate,
  })
  await submit(seeded.supplier, started.id)
  return {
    ...seeded,
    assessmentId: started.id,
    policy,
    certificate,
    partiallyMet: options.partiallyMet
      ? { requirementId: options.partiallyMet, plan: `Roll out ${options.partiallyMet} to the remaining teams.`, dueDate }
      : null,
    justifications,
    label: `${supplierName}, ${seeded.serviceName} (SUPPLIER)`,
  }
}

// The supplier changes one response opened for changes (with If-Match) and resubmits.
export async function fixAndResubmit(seeded: SubmittedCase, requirementId: string, justification: string): Promise<void> {
  const { supplier, assessmentId } = seeded
  const assessment = await assessmentAs(supplier, assessmentId)
  const response = assessment.responses.find((item) => item.requirement_id === requirementId)
  if (!response) throw new Error(`no response ${requirementId}`)
  await unwrap(
    supplier.api.PUT('/assessments/{id}/responses/{requirement_id}', {
      params: { path: { id: assessmentId, requirement_id: requirementId }, header: { 'If-Match': response.etag } },
      body: { answer: 'met', justification, evidence_ids: [seeded.policy.id] },
    }),
  )
  await submit(supplier, assessmentId)
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
  const shelf = new EvidenceShelf(seeded.supplier, seeded.supplierId)
  const conditionDue = options.conditionDue ?? isoDay(200)
  const condition = options.condition
    ? { standard: 'CRYPTOGRAPHY' as const, requirementId: options.conditionRequirement ?? 'CRYPTO-04', dueDate: conditionDue }
    : null
  const assessments: Partial<Record<StandardKey, string>> = {}
  for (const standard of await requiredStandards(seeded.supplier, seeded.serviceId)) {
    const notMet = condition && condition.standard === standard ? [condition.requirementId] : []
    const assessment = await answeredAssessment(seeded, standard, { shelf, notMet, remediationDue: conditionDue })
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
