// The whole story across roles, in the browser, against one coco: a supplier submits; an assessor
// queries one answer; the supplier fixes it; the assessor approves with a condition; a risk owner
// accepts an exception on another case; procurement sees "Conditionally assured", downloads the
// CSV and the attestation. Only set-up that another test already covers page by page is seeded
// through the API (the second standard's assessment, the other supplier's case).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import { unwrap } from '../server/data/cocoApi.js'
import { fillDate, isoDay } from './days.js'
import { makePerson, screenshot, useStack, type Person, type Visitor } from './harness.js'
import {
  answeredAssessment,
  answerTheRest,
  approve,
  approvedSupplier,
  claimAndAcceptAll,
  EvidenceShelf,
  submit,
  supplierWithService,
} from './seed.js'

const world = useStack()

async function signedIn(person: Person | string): Promise<Visitor> {
  const visitor = await world.openVisitor()
  await visitor.signIn(typeof person === 'string' ? person : person.token)
  await visitor.page.getByRole('heading', { level: 1, name: 'Home' }).waitFor()
  return visitor
}

test('a supplier submits, an assessor queries, approves with a condition, procurement reads it', async () => {
  const seeded = await supplierWithService(world.stack, 'Northwind Hosting')
  const { supplier } = seeded
  const assessor = await makePerson(world.stack, 'assessor', 'Ava Assessor')
  const riskOwner = await makePerson(world.stack, 'risk_owner', 'Rory Risk')
  const procurement = await makePerson(world.stack, 'procurement', 'Pat Procurement')

  // The CRYPTOGRAPHY standard was assessed and approved earlier (the procurement tests walk it).
  const shelf = new EvidenceShelf(supplier, seeded.supplierId)
  const crypto = await answeredAssessment(seeded, 'CRYPTOGRAPHY', { shelf })
  await submit(supplier, crypto.id)
  await claimAndAcceptAll(assessor, crypto.id)
  await approve(assessor, crypto.id)

  // 1. The supplier starts the SUPPLIER assessment, answers the first requirement in the browser
  //    (the rest as the supplier tests do page by page) and submits.
  const supplierVisitor = await signedIn(supplier)
  let page = supplierVisitor.page
  await supplierVisitor.follow((p) => p.getByRole('link', { name: 'Services', exact: true }).click())
  await supplierVisitor.follow((p) => p.getByRole('link', { name: seeded.serviceName }).click())
  await screenshot(page, 'supplier-service')
  await page.getByRole('radio', { name: 'Supplier assurance obligations' }).check()
  await supplierVisitor.follow((p) => p.getByRole('button', { name: 'Start assessment' }).click())
  await page.getByRole('heading', { level: 1, name: 'Supplier assurance obligations assessment' }).waitFor()
  const assessmentId = new URL(page.url()).pathname.split('/')[2]
  await supplierVisitor.follow((p) => p.getByRole('link', { name: /^SUP-02 / }).click())
  await screenshot(page, 'supplier-answer')
  await page.getByRole('radio', { name: 'Met', exact: true }).check()
  await page.getByLabel('Justification').fill('Our security policy names a board-level owner.')
  await page.getByLabel('Kind of evidence').selectOption({ label: 'Policy' })
  await page.getByLabel('Upload a file').setInputFiles({
    name: 'security-policy.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('%PDF-1.4 Northwind security policy, owned by the board\n'),
  })
  await supplierVisitor.follow((p) => p.getByRole('button', { name: 'Save answer' }).click())
  await answerTheRest(supplier, seeded.supplierId, assessmentId)
  await supplierVisitor.follow((p) => p.goto(`/assessments/${assessmentId}`))
  await screenshot(page, 'supplier-task-list')
  await supplierVisitor.follow((p) => p.getByRole('button', { name: 'Submit for review' }).click())
  await page.getByText('The assessment was submitted for review').waitFor()

  // 2. The assessor claims it from the queue, accepts every answer but one, queries that one and
  //    asks for changes.
  const assessorVisitor = await signedIn(assessor)
  page = assessorVisitor.page
  await assessorVisitor.follow((p) => p.getByRole('link', { name: 'Review queue', exact: true }).click())
  await screenshot(page, 'assessor-queue')
  await assessorVisitor.follow((p) => p.getByRole('button', { name: /^Claim Northwind Hosting/ }).click())
  await page.getByText('You claimed this case').waitFor()
  await assessorVisitor.follow((p) => p.getByRole('link', { name: /^SUP-01 / }).click())
  await screenshot(page, 'assessor-requirement')
  while (new URL(page.url()).pathname.includes('/requirements/')) {
    const heading = await page.getByRole('heading', { level: 1 }).innerText()
    if (heading.startsWith('SUP-05')) {
      await page.getByRole('radio', { name: 'Query' }).check()
      await page.getByLabel('Comment').fill('Which tool runs the vulnerability scans, and how often?')
    } else {
      await page.getByRole('radio', { name: 'Accept' }).check()
    }
    await assessorVisitor.follow((p) => p.getByRole('button', { name: 'Save and continue' }).click())
  }
  await page.getByText('12 of 12 reviewed').waitFor()
  await screenshot(page, 'assessor-case')
  await assessorVisitor.follow((p) => p.getByRole('button', { name: 'Request changes' }).click())
  await page.getByLabel('What the supplier needs to change').fill('Please answer the query on SUP-05.')
  await assessorVisitor.follow((p) => p.getByRole('button', { name: 'Request changes' }).click())

  // 3. The supplier sees the query on its home page, fixes the answer and submits again.
  page = supplierVisitor.page
  await supplierVisitor.follow((p) => p.getByRole('link', { name: 'Home', exact: true }).click())
  await page.getByText('Which tool runs the vulnerability scans').waitFor()
  await screenshot(page, 'supplier-home')
  await supplierVisitor.follow((p) => p.getByRole('link', { name: /^SUP-05 / }).first().click())
  await page.getByLabel('Justification').fill('Nessus scans every host weekly; criticals are fixed in 14 days.')
  await supplierVisitor.follow((p) => p.getByRole('button', { name: 'Save answer' }).click())
  await supplierVisitor.follow((p) => p.goto(`/assessments/${assessmentId}`))
  await supplierVisitor.follow((p) => p.getByRole('button', { name: 'Submit for review' }).click())
  await page.getByText('The assessment was submitted for review').waitFor()

  // 4. The assessor claims it again, accepts the fixed answer and approves with a condition.
  page = assessorVisitor.page
  await assessorVisitor.follow((p) => p.getByRole('link', { name: 'Review queue', exact: true }).click())
  await assessorVisitor.follow((p) => p.getByRole('button', { name: /^Claim Northwind Hosting/ }).click())
  await assessorVisitor.follow((p) => p.getByRole('link', { name: /^SUP-05 / }).click())
  await page.getByRole('radio', { name: 'Accept' }).check()
  await assessorVisitor.follow((p) => p.getByRole('button', { name: 'Save and continue' }).click())
  await assessorVisitor.follow((p) => p.getByRole('button', { name: 'Approve', exact: true }).click())
  const due = isoDay(150)
  const condition = page.getByRole('group', { name: 'Condition 1' })
  await condition.getByLabel('Requirement').selectOption('SUP-05')
  await condition.getByLabel('What the supplier must do').fill('Send the next quarterly scan report.')
  await fillDate(condition, due)
  await screenshot(page, 'assessor-approve-with-condition')
  await assessorVisitor.follow((p) => p.getByRole('button', { name: 'Approve the assessment' }).click())
  const approved = await unwrap(assessor.api.GET('/assessments/{id}', { params: { path: { id: assessmentId } } }))
  assert.equal(approved.state, 'approved')

  // 5. A risk owner accepts an exception on another supplier's case: a MUST not met.
  const other = await approvedSupplier(world.stack, 'Southgate Data', { condition: true, stage: 'in_review' })
  const riskVisitor = await signedIn(riskOwner)
  page = riskVisitor.page
  await riskVisitor.follow((p) => p.getByRole('button', { name: 'Accept an exception' }).click())
  await page.getByLabel('Supplier').selectOption({ label: 'Southgate Data' })
  await riskVisitor.follow((p) => p.getByRole('button', { name: 'Continue' }).click())
  await riskVisitor.follow((p) => p.getByRole('link', { name: /^Choose the .*Cryptography/i }).click())
  await page.getByRole('radio', { name: /^CRYPTO-04 / }).check()
  await page.getByLabel('Why is the risk acceptable?').fill('Compensating controls: TLS scans run by the MoJ monthly.')
  await fillDate(page.getByRole('group', { name: 'Accepted until' }), isoDay(120))
  await screenshot(page, 'risk-owner-accept')
  await riskVisitor.follow((p) => p.getByRole('button', { name: 'Accept exception' }).click())
  await page.getByText(/Exception accepted for CRYPTO-04/).waitFor()
  const exceptions = await unwrap(
    riskOwner.api.GET('/assessments/{id}/exceptions', {
      params: { path: { id: other.assessments.CRYPTOGRAPHY! } },
    }),
  )
  assert.equal(exceptions.items.length, 1)

  // 6. Procurement sees "Conditionally assured", downloads the CSV and the attestation.
  const procurementVisitor = await signedIn(procurement)
  page = procurementVisitor.page
  await procurementVisitor.follow((p) => p.getByRole('link', { name: 'Portfolio', exact: true }).click())
  await screenshot(page, 'procurement-portfolio')
  // One line per service and standard: the approved-with-a-condition standard reads
  // "Conditionally assured", the other "Assured".
  const rows = page.getByRole('row').filter({ hasText: 'Northwind Hosting' })
  assert.equal(await rows.filter({ hasText: 'Conditionally assured' }).count(), 1)
  assert.equal(await rows.filter({ hasText: /\bAssured\b/ }).count(), 1)
  const [csv] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: /Download CSV/ }).click(),
  ])
  const csvText = fs.readFileSync((await csv.path())!, 'utf8')
  assert.match(csvText, /Northwind Hosting.*conditionally_assured/)
  await procurementVisitor.follow((p) => p.getByRole('link', { name: 'Northwind Hosting', exact: true }).first().click())
  await page.getByRole('heading', { level: 1, name: 'Northwind Hosting' }).waitFor()
  await procurementVisitor.follow((p) => p.getByRole('link', { name: /^Check .*the contract start of/ }).first().click())
  await page.getByRole('heading', { name: /this supplier will be: Conditionally assured/ }).waitFor()
  await screenshot(page, 'procurement-supplier-status')
  const [attestation] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download the signed attestation' }).first().click(),
  ])
  const jws = fs.readFileSync((await attestation.path())!, 'utf8').trim()
  const parts = jws.split('.')
  assert.equal(parts.length, 3, 'a compact JWS')
  const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'))
  assert.equal(payload.status, 'conditionally_assured')
  assert.match(attestation.suggestedFilename(), /^attestation-.*\.jws$/)

  for (const visitor of [supplierVisitor, assessorVisitor, riskVisitor, procurementVisitor]) {
    visitor.assertEveryPageAudited()
    await visitor.close()
  }
})
