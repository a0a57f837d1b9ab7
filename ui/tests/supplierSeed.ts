// Seeding for the supplier journeys, through the API as the people themselves would: evidence
// uploads, answers, and the assessor's side of a review.
import { unwrap, type Schemas } from '../server/data/cocoApi.js'
import { makePerson, type Person, type Stack } from './harness.js'

type EvidenceKind = Schemas['EvidenceKind']

export async function uploadViaApi(
  person: Person,
  supplierId: string,
  filename: string,
  kind: EvidenceKind,
  content: string | Buffer,
): Promise<Schemas['Evidence']> {
  return unwrap(
    person.api.POST('/suppliers/{id}/evidence', {
      params: { path: { id: supplierId }, query: { filename, kind } },
      body: (typeof content === 'string' ? Buffer.from(content) : content) as never,
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

export async function getAssessment(person: Person, id: string): Promise<Schemas['Assessment']> {
  return unwrap(person.api.GET('/assessments/{id}', { params: { path: { id } } }))
}

export async function startViaApi(
  person: Person,
  serviceId: string,
  standard: Schemas['Assessment']['standard'],
): Promise<Schemas['Assessment']> {
  return unwrap(
    person.api.POST('/services/{id}/assessments', { params: { path: { id: serviceId } }, body: { standard } }),
  )
}

export async function serviceViaApi(person: Person, supplierId: string, name: string): Promise<Schemas['Service']> {
  return unwrap(
    person.api.POST('/suppliers/{id}/services', {
      params: { path: { id: supplierId } },
      body: {
        name,
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
}

// Answers "met", with a file of an accepted kind, every requirement still unanswered: what a
// supplier would do through the pages, done quickly.
export async function answerTheRest(person: Person, supplierId: string, assessmentId: string): Promise<void> {
  const assessment = await getAssessment(person, assessmentId)
  const requirements = await unwrap(
    person.api.GET('/standards/{key}/requirements', {
      params: { path: { key: assessment.standard }, query: { version: assessment.standard_version } },
    }),
  )
  const kinds = new Map(requirements.items.map((requirement) => [requirement.id, requirement.evidence_kinds]))
  const files = new Map<string, string>()
  for (const response of assessment.responses) {
    if (response.answer !== null) continue
    const accepted = kinds.get(response.requirement_id) ?? []
    const evidence_ids: string[] = []
    if (accepted.length > 0) {
      const kind = accepted.find((item) => item !== 'other') ?? accepted[0]
      if (!files.has(kind)) {
        const file = await uploadViaApi(person, supplierId, `seed-${kind}.pdf`, kind, `seeded ${kind} evidence`)
        files.set(kind, file.id)
      }
      evidence_ids.push(files.get(kind)!)
    }
    await unwrap(
      person.api.PUT('/assessments/{id}/responses/{requirement_id}', {
        params: { path: { id: assessmentId, requirement_id: response.requirement_id } },
        body: { answer: 'met', justification: 'Seeded through the API', evidence_ids },
      }),
    )
  }
}

// An assessor claims the submitted assessment, queries one answer with a comment and sends the
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

// The assessor claims again, accepts every answer and approves with one condition.
export async function assessorApproves(
  assessor: Person,
  assessmentId: string,
  condition: { requirement_id: string; description: string; due_date: string },
): Promise<void> {
  await unwrap(assessor.api.POST('/assessments/{id}/claim', { params: { path: { id: assessmentId } } }))
  const assessment = await getAssessment(assessor, assessmentId)
  for (const response of assessment.responses) {
    await unwrap(
      assessor.api.PUT('/assessments/{id}/responses/{requirement_id}/review', {
        params: { path: { id: assessmentId, requirement_id: response.requirement_id } },
        body: { verdict: 'accepted' },
      }),
    )
  }
  await unwrap(
    assessor.api.POST('/assessments/{id}/approve', {
      params: { path: { id: assessmentId } },
      body: { conditions: [condition] },
    }),
  )
}

// A date some days from today, as the API reads dates (UTC).
export function daysFromToday(days: number): string {
  const date = new Date(Date.now() + days * 24 * 60 * 60 * 1000)
  return date.toISOString().slice(0, 10)
}
