// Seeding for the assessor journeys, through the API as the people whose job it is: the admin
// makes a supplier and its user; the supplier adds a service, uploads evidence, answers every
// requirement of the SUPPLIER standard (12 MUSTs) and submits. Nothing is written to the database
// directly. The end-to-end test may reuse these functions.
import crypto from 'node:crypto'
import { unwrap, type Schemas } from '../server/data/cocoApi.js'
import { makePerson, makeSupplier, type Person, type Stack } from './harness.js'

// A day counted from today (UTC), as "2027-03-03".
export function isoDay(offsetDays: number): string {
  const day = new Date()
  day.setUTCHours(12, 0, 0, 0)
  day.setUTCDate(day.getUTCDate() + offsetDays)
  return day.toISOString().slice(0, 10)
}

// "2027-03-03" as the three boxes of a GOV.UK date input.
export function dayMonthYear(iso: string): { day: string; month: string; year: string } {
  const [year, month, day] = iso.split('-')
  return { day: String(Number(day)), month: String(Number(month)), year }
}

export interface SeededFile {
  id: string
  filename: string
  kind: Schemas['EvidenceKind']
  bytes: Buffer
  sha256: string
}

export interface SubmittedCase {
  supplierId: string
  supplierName: string
  serviceId: string
  serviceName: string
  supplier: Person
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

async function upload(
  stack: Stack,
  supplier: Person,
  supplierId: string,
  filename: string,
  kind: Schemas['EvidenceKind'],
  dates: { issued_on?: string; expires_on?: string },
): Promise<SeededFile> {
  const bytes = Buffer.from(`%PDF-1.4\n% ${kind} of ${supplierId}\n${crypto.randomBytes(48).toString('hex')}\n%%EOF\n`)
  const query = new URLSearchParams({ filename, kind, ...dates })
  const response = await fetch(`${stack.apiUrl}/suppliers/${supplierId}/evidence?${query}`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${supplier.token}`,
      'Content-Type': 'application/pdf',
      'Idempotency-Key': crypto.randomUUID(),
    },
    body: bytes,
  })
  if (response.status !== 201) throw new Error(`evidence upload: ${response.status} ${await response.text()}`)
  const evidence = (await response.json()) as Schemas['Evidence']
  return { id: evidence.id, filename, kind, bytes, sha256: crypto.createHash('sha256').update(bytes).digest('hex') }
}

export interface CaseOptions {
  serviceName?: string
  // A MUST answered partially_met, with a remediation plan (default none).
  partiallyMet?: string
}

// A supplier with one service whose SUPPLIER assessment is answered in full and submitted.
export async function submittedCase(stack: Stack, supplierName: string, options: CaseOptions = {}): Promise<SubmittedCase> {
  const supplierId = await makeSupplier(stack, supplierName)
  const supplier = await makePerson(stack, 'supplier', `${supplierName} Security Lead`, supplierId)
  const serviceName = options.serviceName ?? `${supplierName.split(' ')[0]} payroll`
  const service = await unwrap(
    supplier.api.POST('/suppliers/{id}/services', {
      params: { path: { id: supplierId } },
      body: {
        name: serviceName,
        profile: {
          classification: 'OFFICIAL',
          connects_to_network: false,
          personal_data: false,
          offshore: [],
          hmg_crypto: false,
          operates_pki: false,
        },
      },
    }),
  )
  const policy = await upload(stack, supplier, supplierId, 'information-security-policy.pdf', 'policy', {
    issued_on: isoDay(-90),
  })
  const certificate = await upload(stack, supplier, supplierId, 'cyber-essentials.pdf', 'cyber_essentials_certificate', {
    issued_on: isoDay(-30),
    expires_on: isoDay(300),
  })
  const started = await unwrap(
    supplier.api.POST('/services/{id}/assessments', {
      params: { path: { id: service.id } },
      body: { standard: 'SUPPLIER' },
    }),
  )
  const catalogue = await unwrap(
    supplier.api.GET('/standards/{key}/requirements', {
      params: { path: { key: 'SUPPLIER' }, query: { version: started.standard_version } },
    }),
  )
  const kindsOf = new Map(catalogue.items.map((item) => [item.id, item.evidence_kinds]))
  const justifications: Record<string, string> = {}
  let partiallyMet: SubmittedCase['partiallyMet'] = null
  for (const response of started.responses) {
    const id = response.requirement_id
    const kinds = kindsOf.get(id) ?? []
    const file = kinds.includes('policy') ? policy : certificate
    if (!kinds.includes(file.kind)) throw new Error(`no seeded evidence fits ${id} (${kinds.join(', ')})`)
    if (id === options.partiallyMet) {
      partiallyMet = { requirementId: id, plan: `Roll out ${id} to the remaining teams.`, dueDate: isoDay(120) }
      justifications[id] = `${id} is in place for most teams, not all yet.`
      await unwrap(
        supplier.api.PUT('/assessments/{id}/responses/{requirement_id}', {
          params: { path: { id: started.id, requirement_id: id } },
          body: {
            answer: 'partially_met',
            justification: justifications[id],
            evidence_ids: [file.id],
            remediation: { plan: partiallyMet.plan, due_date: partiallyMet.dueDate },
          },
        }),
      )
      continue
    }
    justifications[id] = `${id} is in place; see ${file.filename}.`
    await unwrap(
      supplier.api.PUT('/assessments/{id}/responses/{requirement_id}', {
        params: { path: { id: started.id, requirement_id: id } },
        body: { answer: 'met', justification: justifications[id], evidence_ids: [file.id] },
      }),
    )
  }
  await unwrap(supplier.api.POST('/assessments/{id}/submit', { params: { path: { id: started.id } } }))
  return {
    supplierId,
    supplierName,
    serviceId: service.id,
    serviceName,
    supplier,
    assessmentId: started.id,
    policy,
    certificate,
    partiallyMet,
    justifications,
    label: `${supplierName}, ${serviceName} (SUPPLIER)`,
  }
}

// The supplier changes one response opened for changes (with If-Match) and resubmits.
export async function fixAndResubmit(seeded: SubmittedCase, requirementId: string, justification: string): Promise<void> {
  const { supplier, assessmentId } = seeded
  const assessment = await unwrap(supplier.api.GET('/assessments/{id}', { params: { path: { id: assessmentId } } }))
  const response = assessment.responses.find((item) => item.requirement_id === requirementId)
  if (!response) throw new Error(`no response ${requirementId}`)
  await unwrap(
    supplier.api.PUT('/assessments/{id}/responses/{requirement_id}', {
      params: { path: { id: assessmentId, requirement_id: requirementId }, header: { 'If-Match': response.etag } },
      body: { answer: 'met', justification, evidence_ids: [seeded.policy.id] },
    }),
  )
  await unwrap(supplier.api.POST('/assessments/{id}/submit', { params: { path: { id: assessmentId } } }))
}

export async function assessmentAs(person: Person, id: string): Promise<Schemas['Assessment']> {
  return unwrap(person.api.GET('/assessments/{id}', { params: { path: { id } } }))
}
