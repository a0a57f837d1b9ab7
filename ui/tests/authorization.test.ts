// Every page of the front end, opened by every role, over HTTP with a signed-in session: what each
// gets. The API decides (the front end holds no permission rule); this pins down that each page
// passes the API's answer on (a 403 page, a 404 page) and that no page shows one supplier's data
// to another supplier. The pages' look and accessibility are the browser tests' business.
import crypto from 'node:crypto'
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { unwrap } from '../server/data/cocoApi.js'
import { makePerson, makeSupplier, startStack, type Person, type Stack } from './harness.js'
import { isoDay } from './days.js'
import { approvedSupplier } from './seed.js'

let stack: Stack

before(async () => {
  stack = await startStack()
})

after(async () => {
  await stack?.stop()
})

// A browser without a browser: a cookie jar, and forms posted with their CSRF token.
class Session {
  private cookie = ''

  constructor(private readonly base: string) {}

  async get(path: string): Promise<Response> {
    const response = await fetch(`${this.base}${path}`, {
      headers: { Cookie: this.cookie },
      redirect: 'manual',
    })
    const set = response.headers.get('set-cookie')
    if (set) this.cookie = set.split(';')[0]
    return response
  }

  // Posts a form as the page would, with this session's CSRF token (unless `csrf` is false, as a
  // forged form from elsewhere would).
  async post(path: string, fields: Record<string, string>, multipart = false, csrf = true): Promise<Response> {
    const page = await (await this.get('/')).text()
    const token = /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? ''
    const all = { ...(csrf ? { _csrf: token } : {}), idempotency_key: crypto.randomUUID(), ...fields }
    let body: FormData | URLSearchParams
    if (multipart) {
      body = new FormData()
      for (const [name, value] of Object.entries(all)) body.append(name, value)
    } else {
      body = new URLSearchParams(all)
    }
    return fetch(`${this.base}${path}`, {
      method: 'POST',
      headers: { Cookie: this.cookie },
      body,
      redirect: 'manual',
    })
  }

  async signIn(token: string): Promise<void> {
    const page = await (await this.get('/sign-in')).text()
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? ''
    const response = await fetch(`${this.base}/sign-in`, {
      method: 'POST',
      headers: { Cookie: this.cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, token, return_to: '/' }),
      redirect: 'manual',
    })
    const set = response.headers.get('set-cookie')
    if (set) this.cookie = set.split(';')[0]
    assert.equal(response.status, 303, 'signed in')
  }
}

// Y: the page (200); F: "You do not have permission" (403); N: "Page not found" (404).
function outcome(status: number): string {
  return ({ 200: 'Y', 403: 'F', 404: 'N' } as Record<number, string>)[status] ?? String(status)
}

test('every page answers every role as the API decides, and never across suppliers', async () => {
  const riskOwner = await makePerson(stack, 'risk_owner', 'Rhea Risk')
  const procurement = await makePerson(stack, 'procurement', 'Piers Procurement')
  const alpha = await approvedSupplier(stack, 'Alpha Hosting', { condition: true })
  const betaId = await makeSupplier(stack, 'Beta Cloud')
  const beta = await makePerson(stack, 'supplier', 'Bea Beta', betaId)
  const assessmentId = alpha.assessments.CRYPTOGRAPHY!
  const exception = await unwrap(
    riskOwner.api.POST('/assessments/{id}/exceptions', {
      params: { path: { id: assessmentId } },
      body: { requirement_id: 'CRYPTO-04', reason: 'Compensating controls', expires_on: isoDay(90) },
    }),
  )
  const evidence = await unwrap(
    alpha.supplier.api.GET('/suppliers/{id}/evidence', { params: { path: { id: alpha.supplierId } } }),
  )
  const evidenceId = evidence.items[0].id
  const actions = await unwrap(alpha.supplier.api.GET('/actions', { params: { query: { supplier: alpha.supplierId } } }))
  const actionId = actions.items[0].id
  const a = assessmentId

  const people: [string, Person | string][] = [
    ['supplier (own)', alpha.supplier],
    ["supplier (other's)", beta],
    ['assessor', alpha.assessor],
    ['risk owner', riskOwner],
    ['procurement', procurement],
    ['admin', stack.adminToken],
  ]
  // page → what each of the people above gets, in that order. Pages are not fenced by role: a
  // page whose reads the API allows renders (a supplier may open its own case as the assessor's
  // page shows it, a form page renders for anyone), and any change on it is the API's to refuse,
  // as the browser tests show for the forms that matter.
  const expected: [string, string][] = [
    ['/', 'YYYYYY'],
    ['/services', 'YYNNNN'],
    [`/services/${alpha.serviceId}`, 'YNNNNN'],
    [`/services/${alpha.serviceId}/edit`, 'YNNNNN'],
    [`/assessments/${a}`, 'YNNNNN'],
    [`/assessments/${a}/requirements/CRYPTO-01`, 'YNNNNN'],
    ['/evidence', 'YYNNNN'],
    [`/evidence/${evidenceId}/content`, 'YNNNNN'],
    ['/actions', 'YYNNNN'],
    [`/actions/${actionId}`, 'YNNNNN'],
    ['/review-queue', 'FFYFFY'],
    [`/cases/${a}`, 'YNYYFY'],
    [`/cases/${a}/requirements/CRYPTO-01`, 'YNYYFY'],
    [`/cases/${a}/evidence/${evidenceId}`, 'YNYYFY'],
    [`/cases/${a}/approve`, 'YNYYFY'],
    ['/portfolio', 'FFYYYY'],
    ['/portfolio.csv', 'FFYYYY'],
    [`/suppliers/${alpha.supplierId}`, 'YNYYYY'],
    [`/suppliers/${alpha.supplierId}/attestation`, 'YNYYYY'],
    ['/exceptions', 'YYYYFY'],
    ['/exceptions/new', 'YYYYYY'],
    [`/exceptions/new?assessment=${a}`, 'YNYYFY'],
    [`/exceptions/${exception.id}/revoke?assessment=${a}`, 'YNYYFY'],
    ['/admin/suppliers', 'YYYYYY'],
    [`/admin/suppliers/${alpha.supplierId}`, 'YNYYYY'],
    ['/admin/users', 'FFFFFY'],
    [`/admin/users/${alpha.supplier.userId}`, 'YFFFFY'],
    ['/admin/users/new', 'YYYYYY'],
    ['/notifications', 'YYYYYY'],
  ]
  const sessions: Session[] = []
  for (const [, person] of people) {
    const session = new Session(stack.uiUrl)
    await session.signIn(typeof person === 'string' ? person : person.token)
    sessions.push(session)
  }
  const actual: [string, string][] = []
  for (const [page] of expected) {
    let row = ''
    for (const session of sessions) row += outcome((await session.get(page)).status)
    actual.push([page, row])
  }
  assert.deepEqual(actual, expected)

  // Home is each role's inbox: the sections of its role (GET /me/inbox), no other role's.
  const inboxSections: string[] = [
    'changes-requested query-to-answer action-due evidence-lapsing webhook-disabled',
    'changes-requested query-to-answer action-due evidence-lapsing webhook-disabled',
    'review-unclaimed review-claimed webhook-disabled',
    'exception-to-decide exception-expiring webhook-disabled',
    'supplier-lapsing contract-start-at-risk webhook-disabled',
    'review-unclaimed webhook-disabled',
  ]
  for (const [i, session] of sessions.entries()) {
    const home = await (await session.get('/')).text()
    const found = [...home.matchAll(/<h2 class="govuk-heading-m" id="([a-z-]+)">/g)].map((match) => match[1])
    assert.equal(found.join(' '), inboxSections[i], `the home of the ${people[i][0]}`)
  }

  // An id that is a path of its own stays one segment: the evidence download of an assessor asked
  // for "../suppliers/<id>/attestation?x=" is not the supplier's attestation.
  const escape = encodeURIComponent(`../suppliers/${alpha.supplierId}/attestation?x=`)
  const escaped = await sessions[2].get(`/cases/${a}/evidence/${escape}`)
  assert.notEqual(escaped.status, 200)
  assert.doesNotMatch(await escaped.text(), /^ey/)

  // Whatever the other supplier gets, it never holds the first supplier's name or ids.
  const other = sessions[1]
  for (const [page] of expected) {
    const body = await (await other.get(page)).text()
    assert.ok(!body.includes('Alpha Hosting'), `${page} shows another supplier's name`)
    assert.ok(!body.includes(alpha.serviceId), `${page} shows another supplier's service`)
  }
})

test('no role changes another supplier\'s data, or does what it may not, through a form', async () => {
  const procurement = await makePerson(stack, 'procurement', 'Paula Procurement')
  const alpha = await approvedSupplier(stack, 'Gamma Systems', { condition: true })
  const deltaId = await makeSupplier(stack, 'Delta Data')
  const delta = await makePerson(stack, 'supplier', 'Dev Delta', deltaId)
  const a = alpha.assessments.CRYPTOGRAPHY!
  const actions = await unwrap(alpha.supplier.api.GET('/actions', { params: { query: { supplier: alpha.supplierId } } }))
  const actionId = actions.items[0].id
  const before = await snapshot()

  async function snapshot(): Promise<string> {
    const admin = stack.admin
    const parts = await Promise.all([
      unwrap(admin.GET('/assessments/{id}', { params: { path: { id: a } } })),
      unwrap(admin.GET('/services/{id}', { params: { path: { id: alpha.serviceId } } })),
      unwrap(admin.GET('/actions', { params: { query: { supplier: alpha.supplierId } } })),
      unwrap(admin.GET('/assessments', { params: { query: { supplier: alpha.supplierId } } })),
      unwrap(admin.GET('/suppliers/{id}/evidence', { params: { path: { id: alpha.supplierId } } })),
    ])
    return JSON.stringify(parts)
  }

  const other = new Session(stack.uiUrl)
  await other.signIn(delta.token)
  const buyer = new Session(stack.uiUrl)
  await buyer.signIn(procurement.token)
  const attempts: [Session, string, Record<string, string>, boolean][] = [
    [other, `/services/${alpha.serviceId}/edit`, { name: 'Taken over' }, false],
    [other, `/services/${alpha.serviceId}/assessments`, { standard: 'SUPPLIER' }, false],
    [other, `/assessments/${a}/withdraw`, {}, false],
    [other, `/assessments/${a}/submit`, {}, false],
    [other, `/assessments/${a}/requirements/CRYPTO-01`, { answer: 'not_met', justification: 'x' }, true],
    [other, `/actions/${actionId}/complete`, { note: 'done' }, false],
    [buyer, `/cases/${a}/claim`, {}, false],
    [buyer, `/cases/${a}/suspend`, { reason: 'no' }, false],
    [buyer, `/exceptions/new?assessment=${a}`, { requirement_id: 'CRYPTO-04', reason: 'x' }, false],
    [buyer, '/admin/suppliers/new', { name: 'Shadow Ltd', contact_email: 'a@b.example' }, false],
  ]
  for (const [session, path, fields, multipart] of attempts) {
    const response = await session.post(path, fields, multipart)
    assert.ok([403, 404].includes(response.status), `${path}: ${response.status}`)
  }
  // The supplier's own forms, forged (no CSRF token), in either encoding: refused before the API.
  const own = new Session(stack.uiUrl)
  await own.signIn(alpha.supplier.token)
  for (const multipart of [false, true]) {
    for (const [path, fields] of [
      [`/services/${alpha.serviceId}/assessments`, { standard: 'SUPPLIER' }],
      [`/services/${alpha.serviceId}/edit`, { name: 'Forged' }],
      ['/evidence', { kind: 'policy' }],
    ] as const) {
      const response = await own.post(path, fields, multipart, false)
      assert.equal(response.status, 403, `${path} (multipart: ${multipart}) without its CSRF token`)
    }
  }
  assert.equal(await snapshot(), before, 'nothing changed')

  // E-mail settings are the caller's own: the form names no user, so another supplier's user
  // changes only theirs; following is procurement's, and the API refuses it to anyone else.
  const notificationsOf = async (userId: string) =>
    (await unwrap(stack.admin.GET('/users/{id}', { params: { path: { id: userId } } }))).notifications
  const alphaBefore = await notificationsOf(alpha.supplier.userId)
  const saved = await other.post('/notifications', { email: 'changes_requested' })
  assert.equal(saved.status, 303)
  assert.deepEqual((await notificationsOf(delta.userId)).email, ['changes_requested'])
  const foreignKind = await other.post('/notifications', { email: 'review_digest' })
  assert.equal(foreignKind.status, 422)
  assert.match(await foreignKind.text(), /role does not receive this mail/)
  const follow = await other.post(`/suppliers/${alpha.supplierId}/follow`, {})
  assert.equal(follow.status, 422)
  assert.equal((await buyer.post('/suppliers/not-a-supplier/follow', {})).status, 404)
  assert.deepEqual((await notificationsOf(delta.userId)).follow, [])
  assert.deepEqual(await notificationsOf(alpha.supplier.userId), alphaBefore)
})
