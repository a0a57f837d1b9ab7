// The supplier's journeys in a browser: a service and its profile, an assessment answered
// requirement by requirement with evidence, a refused and then an accepted submission, a query
// from the assessor answered, an action completed, and the limits around them.
import crypto from 'node:crypto'
import fs from 'node:fs'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { Page } from 'playwright-core'
import { unwrap } from '../server/data/cocoApi.js'
import { formatDate } from '../server/format.js'
import { fillDate, isoDay } from './days.js'
import { makePerson, makeSupplier, screenshot, useStack, type Person } from './harness.js'
import {
  addService,
  answerTheRest,
  approve,
  assessmentAs,
  assessorQueries,
  claimAndAcceptAll,
  evidenceCount,
  startAssessment,
  uploadEvidence,
} from './seed.js'

// The front end takes files up to 20000 bytes and coco bodies up to 10000: a file between the
// two is refused by the API, a bigger one by the front end.
const uiMaxUpload = 20000
const apiMaxBody = 10000

let supplierId: string
let supplier: Person

const limits = {
  uiEnv: { COCO_UI_MAX_UPLOAD_BYTES: String(uiMaxUpload) },
  cocoEnv: { COCO_MAX_BODY_BYTES: String(apiMaxBody), COCO_MAX_JSON_BYTES: String(apiMaxBody) },
}

const world = useStack(limits, async () => {
  supplierId = await makeSupplier(world.stack, 'Acme Assurance Ltd')
  supplier = await makePerson(world.stack, 'supplier', 'Sam Supplier', supplierId)
})

// On a requirement's answer page: "Met", a justification when given, a policy uploaded with it.
async function answerMetWithPolicy(page: Page, file: { name: string; buffer: Buffer }, justification?: string) {
  await page.getByRole('radio', { name: 'Met', exact: true }).check()
  if (justification !== undefined) await page.getByLabel('Justification').fill(justification)
  await page.getByLabel('Kind of evidence').selectOption('policy')
  await page.getByLabel('Upload a file').setInputFiles({ ...file, mimeType: 'application/pdf' })
}

function idOf(url: string, after: string): string {
  const match = new RegExp(`/${after}/([0-9a-f-]{36})`).exec(url)
  assert.ok(match, `no ${after} id in ${url}`)
  return match[1]
}

test('a supplier describes a service, answers an assessment with evidence, fixes a refused submission, answers a query and completes an action', async () => {
  const visitor = await world.openVisitor()
  const { page } = visitor
  await visitor.signIn(supplier.token)
  await page.getByRole('heading', { level: 1, name: 'Home' }).waitFor()

  // ---- a service and its profile, with an offshore location --------------------------------
  await page.getByRole('link', { name: 'Services' }).click()
  await page.getByRole('heading', { level: 1, name: 'Your services' }).waitFor()
  await visitor.audit()
  await page.getByRole('button', { name: 'Add a service' }).or(page.getByRole('link', { name: 'Add a service' })).click()
  await page.getByRole('heading', { level: 1, name: 'Add a service' }).waitFor()
  await visitor.audit()
  await page.getByLabel('Service name').fill('Case Records Portal')
  await page.getByLabel('Contract reference (optional)').fill('MOJ-2027-042')
  await fillDate(page.getByRole('group', { name: 'Contract start date (optional)' }), isoDay(90))
  await page.getByRole('group', { name: 'Highest classification' }).getByLabel('OFFICIAL', { exact: true }).check()
  await page.getByRole('group', { name: 'Does the service connect to the MoJ network?' }).getByLabel('Yes').check()
  await page.getByRole('group', { name: 'Does the service process personal data?' }).getByLabel('Yes').check()
  await page.getByRole('group', { name: 'Does the service operate a public key infrastructure (PKI)?' }).getByLabel('No').check()
  const location1 = page.getByRole('group', { name: 'Offshore location 1' })
  await location1.getByLabel('Country code').fill('in')
  await location1.getByLabel('Activity').selectOption('support')
  // The HMG key material question is left unanswered: the API refuses, at that question.
  await page.getByRole('button', { name: 'Add service' }).click()
  await page.getByRole('heading', { name: 'There is a problem' }).waitFor()
  await visitor.audit()
  await page.getByRole('link', { name: 'Select yes if the service holds HMG key material' }).click()
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'profile-hmg_crypto')
  assert.equal(await page.getByLabel('Service name').inputValue(), 'Case Records Portal', 'what was typed is kept')
  assert.equal(await page.getByRole('group', { name: 'Offshore location 1' }).getByLabel('Country code').inputValue(), 'IN')
  await page.getByRole('group', { name: 'Does the service hold HMG key material?' }).getByLabel('No').check()
  await page.getByRole('button', { name: 'Add service' }).click()
  await page.getByRole('heading', { level: 1, name: 'Case Records Portal' }).waitFor()
  await visitor.audit()
  const serviceId = idOf(page.url(), 'services')
  assert.ok(await page.getByText('Case Records Portal was added').isVisible())
  assert.ok(await page.getByText('IN: Support').isVisible())
  const offshoring = page.getByRole('row', { name: /Offshoring/ })
  assert.match((await offshoring.textContent()) ?? '', /Required/)
  let service = await unwrap(supplier.api.GET('/services/{id}', { params: { path: { id: serviceId } } }))
  assert.deepEqual(service.profile.offshore, [{ country: 'IN', activity: 'support' }])
  assert.equal(service.profile.connects_to_network, true)

  // Change the profile: a second offshore location, in an empty row slot.
  await page.getByRole('link', { name: 'Change scope profile' }).click()
  await page.getByRole('heading', { level: 1, name: 'Change Case Records Portal' }).waitFor()
  await visitor.audit()
  const location2 = page.getByRole('group', { name: 'Offshore location 2' })
  await location2.getByLabel('Country code').fill('PL')
  await location2.getByLabel('Activity').selectOption('development')
  await page.getByRole('button', { name: 'Save changes' }).click()
  await page.getByRole('heading', { level: 1, name: 'Case Records Portal' }).waitFor()
  await visitor.audit()
  assert.ok(await page.getByText('PL: Development').isVisible())
  service = await unwrap(supplier.api.GET('/services/{id}', { params: { path: { id: serviceId } } }))
  assert.deepEqual(service.profile.offshore, [
    { country: 'IN', activity: 'support' },
    { country: 'PL', activity: 'development' },
  ])

  // A colleague changes the service while the form is open: the save is refused, nothing lost.
  await page.getByRole('link', { name: 'Change contract details' }).click()
  await page.getByRole('heading', { level: 1, name: 'Change Case Records Portal' }).waitFor()
  await visitor.audit()
  await unwrap(
    supplier.api.PATCH('/services/{id}', { params: { path: { id: serviceId } }, body: { contract_ref: 'MOJ-2027-043' } }),
  )
  await page.getByLabel('Contract reference (optional)').fill('MOJ-WRONG')
  await page.getByRole('button', { name: 'Save changes' }).click()
  await page.getByRole('heading', { level: 1, name: 'Someone else changed this service first' }).waitFor()
  await visitor.audit()
  service = await unwrap(supplier.api.GET('/services/{id}', { params: { path: { id: serviceId } } }))
  assert.equal(service.contract_ref, 'MOJ-2027-043')
  await page.getByRole('link', { name: 'Go back to the service and make your change again' }).click()
  await page.getByRole('heading', { level: 1, name: 'Case Records Portal' }).waitFor()
  await visitor.audit()

  // ---- start an assessment -------------------------------------------------------------------
  await page.getByRole('group', { name: 'Start an assessment' }).getByLabel('Supplier assurance obligations').check()
  await page.getByRole('button', { name: 'Start assessment' }).click()
  await page.getByRole('heading', { level: 1, name: 'Supplier assurance obligations assessment' }).waitFor()
  await visitor.audit()
  const assessmentId = idOf(page.url(), 'assessments')
  assert.ok(await page.getByText('You have answered 0 of 12 requirements').isVisible())
  assert.equal(await page.getByRole('link', { name: /^SUP-\d\d / }).count(), 12, 'one row per requirement')

  // SUP-01: met, with a new file uploaded from the answer page.
  await page.getByRole('link', { name: /^SUP-01 / }).click()
  await page.getByRole('heading', { level: 1, name: /^SUP-01: / }).waitFor()
  await visitor.audit()
  await answerMetWithPolicy(
    page,
    { name: 'security-policy.pdf', buffer: Buffer.from('%PDF-1.4 the security policy') },
    'The annual self-assessment is approved each April.',
  )
  await page.getByRole('button', { name: 'Save answer' }).click()
  await page.getByText('Your answer to SUP-01 was saved').waitFor()
  await visitor.audit()
  const sup01Row = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: /^SUP-01 / }) })
  assert.match((await sup01Row.textContent()) ?? '', /Answered/)

  // SUP-02: met, choosing the file uploaded before.
  await page.getByRole('link', { name: /^SUP-02 / }).click()
  await page.getByRole('heading', { level: 1, name: /^SUP-02: / }).waitFor()
  await visitor.audit()
  await page.getByLabel('Met', { exact: true }).check()
  await page.getByLabel('security-policy.pdf').check()
  await page.getByRole('button', { name: 'Save answer' }).click()
  await page.getByText('Your answer to SUP-02 was saved').waitFor()
  await visitor.audit()

  // SUP-03: not met, with a dated remediation plan.
  await page.getByRole('link', { name: /^SUP-03 / }).click()
  await page.getByRole('heading', { level: 1, name: /^SUP-03: / }).waitFor()
  await visitor.audit()
  await page.getByLabel('Not met', { exact: true }).check()
  await page.getByLabel('Justification').fill('The DPIA for the new portal is not finished.')
  await page.getByLabel('What you will do').fill('Finish the DPIA and have the DPO sign it off.')
  const dueDate = isoDay(60)
  await fillDate(page.getByRole('group', { name: 'Date it will be done by' }), dueDate)
  await page.getByRole('button', { name: 'Save answer' }).click()
  await page.getByText('Your answer to SUP-03 was saved').waitFor()
  await visitor.audit()
  assert.ok(await page.getByText('You have answered 3 of 12 requirements').isVisible())

  let assessment = await assessmentAs(supplier, assessmentId)
  const answers = new Map(assessment.responses.map((response) => [response.requirement_id, response]))
  assert.equal(answers.get('SUP-01')?.answer, 'met')
  assert.equal(answers.get('SUP-01')?.evidence_ids.length, 1)
  assert.deepEqual(answers.get('SUP-02')?.evidence_ids, answers.get('SUP-01')?.evidence_ids, 'the earlier upload was chosen')
  assert.equal(answers.get('SUP-03')?.answer, 'not_met')
  assert.equal(answers.get('SUP-03')?.remediation?.due_date, dueDate)

  // ---- submit too early: one line per problem, each linking to its requirement ----------------
  await page.getByRole('button', { name: 'Submit for review' }).click()
  await page.getByRole('heading', { name: 'There is a problem' }).waitFor()
  await visitor.audit()
  await screenshot(page, 'supplier-submission-refused')
  const summary = page.getByRole('alert')
  const links = summary.getByRole('link')
  const expected = ['SUP-04', 'SUP-05', 'SUP-06', 'SUP-07', 'SUP-08', 'SUP-09', 'SUP-10', 'SUP-11', 'SUP-12']
  assert.equal(await links.count(), expected.length, 'one line per problem')
  for (let index = 0; index < expected.length; index++) {
    const link = links.nth(index)
    assert.match((await link.textContent()) ?? '', new RegExp(`^\\s*${expected[index]}: `))
    assert.equal(await link.getAttribute('href'), `/assessments/${assessmentId}/requirements/${expected[index]}`)
  }
  assert.equal((await assessmentAs(supplier, assessmentId)).state, 'draft', 'a refused submission changes nothing')
  await summary.getByRole('link', { name: /^SUP-07: / }).click()
  await page.getByRole('heading', { level: 1, name: /^SUP-07: / }).waitFor()
  await visitor.audit()

  // The rest are answered through the API; then the submission is accepted.
  await answerTheRest(supplier, supplierId, assessmentId)
  await visitor.goto(`/assessments/${assessmentId}`)
  assert.ok(await page.getByText('You have answered 12 of 12 requirements').isVisible())
  await page.getByRole('button', { name: 'Submit for review' }).click()
  await page.getByText('The assessment was submitted for review').waitFor()
  await visitor.audit()
  assert.equal((await assessmentAs(supplier, assessmentId)).state, 'submitted')
  assert.equal(await page.getByRole('button', { name: 'Submit for review' }).count(), 0)

  // ---- the assessor queries SUP-01: the supplier answers it and resubmits ---------------------
  const query = 'Please attach the version of the policy signed by your board.'
  const assessor = await assessorQueries(world.stack, assessmentId, 'SUP-01', query)
  await visitor.goto('/')
  await page.getByRole('heading', { name: 'Queries to answer' }).waitFor()
  const queryLink = page.getByRole('link', { name: /^SUP-01 / })
  assert.ok(await page.getByText(`Assessor: ${query}`).isVisible(), 'the query is on home')
  await queryLink.click()
  await page.getByRole('heading', { level: 1, name: /^SUP-01: / }).waitFor()
  await visitor.audit()
  const banner = page.getByRole('region', { name: "The assessor's review" })
  assert.match((await banner.textContent()) ?? '', /Query from assessor/)
  assert.match((await banner.textContent()) ?? '', /signed by your board/)
  await page.getByLabel('Reply to the assessor').fill('SUP-01: the signed policy is attached now.')
  await page.getByRole('button', { name: 'Send reply' }).click()
  await page.getByText('Your reply was sent').waitFor()
  await visitor.audit()
  assert.ok(await page.getByText('SUP-01: the signed policy is attached now.').isVisible())
  await page.getByLabel('Kind of evidence').selectOption('policy')
  await fillDate(page.getByRole('group', { name: 'Date issued (optional)' }), isoDay(-10))
  await page.getByLabel('Upload a file').setInputFiles({
    name: 'signed-security-policy.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('%PDF-1.4 the signed security policy'),
  })
  await page.getByRole('button', { name: 'Save answer' }).click()
  await page.getByText('Your answer to SUP-01 was saved').waitFor()
  await visitor.audit()
  assessment = await assessmentAs(supplier, assessmentId)
  assert.equal(assessment.responses.find((response) => response.requirement_id === 'SUP-01')?.evidence_ids.length, 2)
  await page.getByRole('button', { name: 'Submit for review' }).click()
  await page.getByText('The assessment was submitted for review').waitFor()
  await visitor.audit()
  assert.equal((await assessmentAs(supplier, assessmentId)).state, 'submitted')

  // ---- approved with a condition: the supplier completes the action --------------------------
  await claimAndAcceptAll(assessor, assessmentId)
  await approve(assessor, assessmentId, [
    { requirement_id: 'SUP-03', description: 'Finish the DPIA for the portal', due_date: isoDay(20) },
  ])
  // Due within 30 days: home (the inbox) lists it, with how soon.
  await visitor.goto('/')
  const actionsDue = page.getByRole('list', { name: 'Actions due' })
  await actionsDue.getByRole('link', { name: 'SUP-03: Finish the DPIA for the portal' }).waitFor()
  assert.match((await actionsDue.textContent()) ?? '', new RegExp(`Due on ${formatDate(isoDay(20))}[\\s\\S]*Due in 20 days`))
  await page.getByRole('link', { name: 'Actions', exact: true }).click()
  await page.getByRole('heading', { level: 1, name: 'Actions' }).waitFor()
  await visitor.audit()
  await page.getByRole('link', { name: /^SUP-03 action/ }).click()
  await page.getByRole('heading', { level: 1, name: 'Action for SUP-03' }).waitFor()
  await visitor.audit()
  await page.getByRole('button', { name: 'Mark complete' }).click()
  await page.getByRole('heading', { name: 'There is a problem' }).waitFor()
  await visitor.audit()
  await page.getByLabel('What was done').fill('The DPIA was finished and signed by the DPO.')
  await page.getByLabel('signed-security-policy.pdf').check()
  await page.getByRole('button', { name: 'Mark complete' }).click()
  await page.getByText('The action was marked complete').waitFor()
  await visitor.audit()
  const actions = await unwrap(supplier.api.GET('/actions', { params: { query: { supplier: supplierId } } }))
  assert.equal(actions.items.length, 1)
  assert.equal(actions.items[0].state, 'done')
  assert.equal(actions.items[0].completion?.evidence_ids.length, 1)

  visitor.assertEveryPageAudited()
  await visitor.close()
})

test('a file over the limits is refused at its field and nothing is created or changed', async () => {
  const service = await addService(supplier, supplierId, 'Limits Service')
  const assessment = await startAssessment(supplier, service.id, 'CRYPTOGRAPHY')
  const before = await evidenceCount(supplier, supplierId)
  const visitor = await world.openVisitor()
  const { page } = visitor
  await visitor.signIn(supplier.token)
  await visitor.goto(`/assessments/${assessment.id}/requirements/CRYPTO-01`)
  await page.getByRole('heading', { level: 1, name: /^CRYPTO-01: / }).waitFor()

  for (const [size, message] of [
    [uiMaxUpload + 5000, /The selected file must be smaller than/],
    [apiMaxBody + 3000, /larger than the service accepts/],
  ] as const) {
    await answerMetWithPolicy(
      page,
      { name: `too-large-${size}.pdf`, buffer: Buffer.alloc(size, 0x41) },
      'Encrypted at rest and in transit.',
    )
    await page.getByRole('button', { name: 'Save answer' }).click()
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor()
    await visitor.audit()
    const link = page.getByRole('alert').getByRole('link', { name: message })
    await link.click()
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'file', 'the message is at the file field')
    assert.equal(await page.getByLabel('Justification').inputValue(), 'Encrypted at rest and in transit.', 'the answer typed is kept')
    assert.equal(await evidenceCount(supplier, supplierId), before, 'no evidence was created')
    const response = (await assessmentAs(supplier, assessment.id)).responses.find(
      (item) => item.requirement_id === 'CRYPTO-01',
    )
    assert.equal(response?.answer, null, 'the answer was not saved')
  }

  // The evidence library: upload there, see the digest, download the bytes.
  await page.getByRole('link', { name: 'Evidence', exact: true }).click()
  await page.getByRole('heading', { level: 1, name: 'Evidence' }).waitFor()
  await visitor.audit()
  const tlsScan = { name: 'tls-scan.txt', mimeType: 'text/plain', buffer: Buffer.from('TLS 1.3 only') }
  await page.getByLabel('Upload a file').setInputFiles(tlsScan)
  await page.getByRole('button', { name: 'Upload file' }).click()
  await page.getByRole('alert').getByRole('link', { name: 'Select the kind of evidence' }).waitFor()
  await visitor.audit()
  assert.equal(await evidenceCount(supplier, supplierId), before)
  await page.getByLabel('Kind of evidence').selectOption('tls_scan')
  await fillDate(page.getByRole('group', { name: 'Expiry date (optional)' }), isoDay(200))
  await page.getByLabel('Upload a file').setInputFiles(tlsScan)
  await page.getByRole('button', { name: 'Upload file' }).click()
  await page.getByText('tls-scan.txt was uploaded').waitFor()
  await visitor.audit()
  assert.equal(await evidenceCount(supplier, supplierId), before + 1)
  const row = page.getByRole('row', { name: /tls-scan\.txt/ })
  assert.match((await row.textContent()) ?? '', /TLS scan/)
  const digest = crypto.createHash('sha256').update('TLS 1.3 only').digest('hex')
  assert.match((await row.textContent()) ?? '', new RegExp(digest))
  const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('link', { name: 'tls-scan.txt' }).click()])
  assert.equal(fs.readFileSync((await download.path())!, 'utf8'), 'TLS 1.3 only')

  // Withdraw the assessment, after a confirmation.
  await visitor.goto(`/assessments/${assessment.id}`)
  await page.getByRole('link', { name: 'Withdraw this assessment' }).click()
  await page.getByRole('heading', { level: 1, name: 'Withdraw this assessment' }).waitFor()
  await visitor.audit()
  await page.getByRole('button', { name: 'Withdraw assessment' }).click()
  await page.getByText('The assessment was withdrawn').waitFor()
  await visitor.audit()
  assert.equal((await assessmentAs(supplier, assessment.id)).state, 'withdrawn')

  visitor.assertEveryPageAudited()
  await visitor.close()
})

test('an answer refused half-way, after its file was uploaded, says the file was kept', async () => {
  const service = await addService(supplier, supplierId, 'Half Way Service')
  const assessment = await startAssessment(supplier, service.id, 'SUPPLIER')
  const visitor = await world.openVisitor()
  const { page } = visitor
  await visitor.signIn(supplier.token)
  await visitor.goto(`/assessments/${assessment.id}/requirements/SUP-02`)
  // Meanwhile the same answer is changed elsewhere: the page's ETag is stale.
  await unwrap(
    supplier.api.PUT('/assessments/{id}/responses/{requirement_id}', {
      params: { path: { id: assessment.id, requirement_id: 'SUP-02' } },
      body: { answer: 'met', justification: 'Answered from another tab', evidence_ids: [] },
    }),
  )
  const before = await evidenceCount(supplier, supplierId)
  await answerMetWithPolicy(page, { name: 'audit-minutes.pdf', buffer: Buffer.from('%PDF-1.4 audit minutes') })
  await page.getByRole('button', { name: 'Save answer' }).click()
  await page.getByRole('heading', { level: 1, name: 'Someone else changed this answer first' }).waitFor()
  await visitor.audit()
  await page.getByText('audit-minutes.pdf was added to your evidence library').waitFor()
  assert.equal(await evidenceCount(supplier, supplierId), before + 1, 'the upload happened')
  const response = (await assessmentAs(supplier, assessment.id)).responses.find((item) => item.requirement_id === 'SUP-02')
  assert.equal(response?.justification, 'Answered from another tab', 'the stale answer changed nothing')
  assert.deepEqual(response?.evidence_ids, [])
  visitor.assertEveryPageAudited()
  await visitor.close()
})

test('a creating form posted twice creates one thing', async () => {
  const visitor = await world.openVisitor()
  const { page } = visitor
  await visitor.signIn(supplier.token)
  await visitor.goto('/services/new')
  await page.getByLabel('Service name').fill('Twice Posted Service')
  await page.getByRole('group', { name: 'Highest classification' }).getByLabel('OFFICIAL', { exact: true }).check()
  for (const question of ['connect to the MoJ network', 'process personal data', 'hold HMG key material', 'operate a public key']) {
    await page.getByRole('group', { name: new RegExp(question) }).getByLabel('No').check()
  }
  // The same form, with its CSRF token and idempotency key, sent twice.
  const fields = await page.evaluate(() => {
    const form = document.querySelector('form[action="/services"]') as HTMLFormElement
    return Object.fromEntries(new FormData(form).entries()) as Record<string, string>
  })
  const first = await visitor.context.request.post('/services', { form: fields, maxRedirects: 0 })
  const second = await visitor.context.request.post('/services', { form: fields, maxRedirects: 0 })
  assert.equal(first.status(), 303)
  assert.equal(second.status(), 303)
  assert.equal(second.headers().location, first.headers().location, 'the second post lands on the same service')
  const services = await unwrap(
    supplier.api.GET('/suppliers/{id}/services', { params: { path: { id: supplierId }, query: { limit: 200 } } }),
  )
  assert.equal(services.items.filter((service) => service.name === 'Twice Posted Service').length, 1)
  await visitor.goto(first.headers().location!)
  await page.getByRole('heading', { level: 1, name: 'Twice Posted Service' }).waitFor()
  assert.equal(await page.getByText('Twice Posted Service was added').count(), 1, 'said once')
  visitor.assertEveryPageAudited()
  await visitor.close()
})

test("another supplier's assessment is not found", async () => {
  const otherId = await makeSupplier(world.stack, 'Other Things plc')
  const other = await makePerson(world.stack, 'supplier', 'Olive Other', otherId)
  const otherService = await addService(other, otherId, 'Other Service')
  const otherAssessment = await startAssessment(other, otherService.id, 'SUPPLIER')
  const otherFile = await uploadEvidence(other, otherId, { filename: 'other-policy.pdf', kind: 'policy', content: 'theirs' })
  const visitor = await world.openVisitor()
  const { page } = visitor
  await visitor.signIn(supplier.token)
  for (const path of [
    `/assessments/${otherAssessment.id}`,
    `/assessments/${otherAssessment.id}/requirements/SUP-01`,
    `/services/${otherService.id}`,
    `/evidence/${otherFile.id}/content`,
    '/assessments/not-an-id',
  ]) {
    const response = await page.goto(path)
    assert.equal(response?.status(), 404, path)
    await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor()
    await visitor.audit()
    assert.doesNotMatch((await page.content()) ?? '', /Other Service|other-policy/)
  }
  visitor.assertEveryPageAudited()
  await visitor.close()
})
