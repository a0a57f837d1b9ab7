// The assessor's journeys in a real browser against a real coco: the queue, claiming (and losing a
// race to claim), reviewing every response with its evidence, requesting changes, approving with a
// condition, refusals shown at their fields, suspending and lifting, and the same journey from the
// keyboard alone. Every page visited is checked with axe.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import fs from 'node:fs'
import type { Page } from 'playwright-core'
import { unwrap } from '../server/data/cocoApi.js'
import { formatDate } from '../server/format.js'
import { makePerson, useStack, type Person, type Visitor } from './harness.js'
import { tabTo } from './keyboard.js'
import { dayMonthYear, fillDate, isoDay } from './days.js'
import { assessmentAs, fixAndResubmit, submittedCase } from './seed.js'

const world = useStack()

const banner = (page: Page) => page.getByRole('alert', { name: 'Success' })

test('an assessor claims a case, reviews it, asks for changes, approves it with a condition, suspends and lifts it', async () => {
  const seeded = await submittedCase(world.stack, 'Acme Ltd', { partiallyMet: 'SUP-11' })
  const ada = await makePerson(world.stack, 'assessor', 'Ada Assessor')
  const visitor = await world.openVisitor()
  const { page } = visitor
  const caseUrl = new RegExp(`/cases/${seeded.assessmentId}$`)

  // Home: the submitted case waits to be claimed.
  await visitor.signIn(ada.token)
  await page.getByRole('heading', { level: 1, name: 'Home' }).waitFor()
  await visitor.audit()
  const waiting = page.getByRole('list', { name: 'Waiting to be claimed' })
  assert.ok(
    await waiting.getByRole('link', { name: 'Acme Ltd, Acme payroll: Supplier assurance obligations' }).isVisible(),
    'home lists the unclaimed case',
  )
  assert.equal(await page.getByRole('list', { name: 'Your cases in review' }).count(), 0, 'none is claimed yet')

  // The queue, and the claim.
  await visitor.follow(() => page.getByRole('link', { name: 'Review queue', exact: true }).click(), /\/review-queue$/)
  const queueRow = page.getByRole('table', { name: 'Cases in the queue' }).getByRole('row', { name: /Acme Ltd/ })
  assert.ok(await queueRow.getByText('Waiting').isVisible())
  await visitor.follow(() => page.getByRole('button', { name: `Claim ${seeded.label}` }).click(), caseUrl)
  await page.getByRole('heading', { level: 1, name: 'Case: Acme Ltd, Acme payroll' }).waitFor()
  assert.match((await banner(page).textContent()) ?? '', /You claimed this case/)
  assert.ok(await page.getByText('0 of 12 reviewed').isVisible())
  assert.equal((await assessmentAs(ada, seeded.assessmentId)).claimed_by, ada.userId)

  // Home now shows it as mine.
  await visitor.goto('/')
  const mine = page.getByRole('list', { name: 'Your cases in review' })
  await visitor.follow(() => mine.getByRole('link', { name: /^Acme Ltd, Acme payroll/ }).click(), caseUrl)

  // Every requirement, in turn: accept all but SUP-05, which gets a query.
  await visitor.follow(() => page.getByRole('link', { name: /^SUP-01 / }).click(), /\/requirements\/SUP-01$/)
  for (let n = 1; n <= 12; n++) {
    const id = `SUP-${String(n).padStart(2, '0')}`
    await page.getByRole('heading', { level: 1, name: new RegExp(`^${id}: `) }).waitFor()
    assert.ok(await page.getByText(seeded.justifications[id]).isVisible(), `${id} shows the justification`)
    if (id === 'SUP-09') {
      // The evidence: name, kind, dates, digest, and the bytes through the front end.
      const card = page.getByRole('heading', { level: 3, name: seeded.certificate.filename })
      assert.ok(await card.isVisible())
      assert.ok(await page.getByText('Cyber Essentials certificate', { exact: true }).isVisible())
      assert.ok(await page.getByText(seeded.certificate.sha256).isVisible())
      const cardText = (await page.getByRole('main').textContent()) ?? ''
      assert.match(cardText, new RegExp(`Issued\\s+${formatDate(isoDay(-30))}`))
      assert.match(cardText, new RegExp(`Expires\\s+${formatDate(isoDay(300))}`))
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: `Download (${seeded.certificate.filename})` }).click(),
      ])
      assert.equal(download.suggestedFilename(), seeded.certificate.filename)
      const bytes = fs.readFileSync((await download.path())!)
      assert.equal(crypto.createHash('sha256').update(bytes).digest('hex'), seeded.certificate.sha256)
      assert.deepEqual(bytes, seeded.certificate.bytes)
    }
    if (id === 'SUP-11') {
      assert.ok(await page.getByText('Partially met').first().isVisible())
      assert.ok(await page.getByText(seeded.partiallyMet!.plan).isVisible())
    }
    if (id === 'SUP-05') {
      await page.getByRole('radio', { name: 'Query' }).check()
      await page.getByLabel('Comment', { exact: true }).fill('Please attach the staff briefing record for the Security Aspects Letter.')
    } else {
      await page.getByRole('radio', { name: 'Accept' }).check()
    }
    const next = n < 12 ? new RegExp(`/requirements/SUP-${String(n + 1).padStart(2, '0')}$`) : caseUrl
    await visitor.follow(() => page.getByRole('button', { name: 'Save and continue' }).click(), next)
    const said = await banner(page).textContent({ timeout: 5000 }).catch(async () => {
      throw new Error(`no banner after ${id} at ${page.url()}: ${(await page.getByRole('main').textContent())?.replace(/\s+/g, ' ').slice(0, 400)}`)
    })
    assert.match(said ?? '', new RegExp(`Your verdict on ${id} is saved`))
  }
  assert.ok(await page.getByText('12 of 12 reviewed').isVisible())
  assert.ok(await page.getByRole('link', { name: /^SUP-05 / }).isVisible())

  // A query needs its comment: without one the API's refusal is shown at the field.
  await visitor.follow(() => page.getByRole('link', { name: /^SUP-05 / }).click(), /\/requirements\/SUP-05$/)
  await page.getByRole('radio', { name: 'Query' }).check()
  await page.getByRole('button', { name: 'Save and continue' }).click()
  await page.getByRole('heading', { name: 'There is a problem' }).waitFor()
  await visitor.audit()
  await page.getByRole('link', { name: /needs a comment|required/ }).first().click()
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'comment')
  await visitor.follow(() => page.getByRole('link', { name: 'Back to the case' }).click(), caseUrl)

  // An internal comment, which the supplier never sees.
  await page.getByLabel('Add a comment').fill('Checked the Cyber Essentials certificate with the certification body.')
  await page.getByRole('checkbox', { name: 'Internal: hide this comment from the supplier' }).check()
  await visitor.follow(() => page.getByRole('button', { name: 'Add comment' }).click(), /#comments$/)
  assert.match((await banner(page).textContent()) ?? '', /Internal comment added/)
  assert.ok(await page.getByText('Checked the Cyber Essentials certificate with the certification body.').isVisible())
  const supplierComments = await unwrap(
    seeded.supplier.api.GET('/assessments/{id}/comments', { params: { path: { id: seeded.assessmentId } } }),
  )
  assert.equal(supplierComments.items.length, 0, 'the supplier does not see the internal comment')

  // Request changes.
  await visitor.follow(() => page.getByRole('button', { name: 'Request changes' }).click(), /\/request-changes$/)
  assert.ok(await page.getByRole('link', { name: /^SUP-05 / }).isVisible(), 'the queried response is listed')
  await page.getByLabel('What the supplier needs to change').fill('Add the staff briefing record to SUP-05.')
  await visitor.follow(() => page.getByRole('button', { name: 'Request changes' }).click(), caseUrl)
  assert.match((await banner(page).textContent()) ?? '', /Changes requested/)
  assert.ok(await page.getByText('Changes requested', { exact: true }).first().isVisible())
  assert.equal((await assessmentAs(ada, seeded.assessmentId)).state, 'changes_requested')

  // The supplier fixes SUP-05 and resubmits; the case comes back.
  await fixAndResubmit(seeded, 'SUP-05', 'Staff were briefed on the SAL; the record is in the policy pack.')
  await visitor.follow(() => page.getByRole('link', { name: 'Review queue', exact: true }).click(), /\/review-queue$/)
  assert.ok(await queueRow.getByText('Resubmitted: reviewed before by you').isVisible())
  await visitor.follow(() => page.getByRole('button', { name: `Claim ${seeded.label}` }).click(), caseUrl)
  assert.ok(await page.getByText('11 of 12 reviewed').isVisible())
  await visitor.follow(() => page.getByRole('link', { name: /^SUP-05 / }).click(), /\/requirements\/SUP-05$/)
  assert.ok(await page.getByText('Staff were briefed on the SAL; the record is in the policy pack.').isVisible())
  await page.getByRole('radio', { name: 'Accept' }).check()
  await visitor.follow(() => page.getByRole('button', { name: 'Save and continue' }).click(), caseUrl)
  assert.ok(await page.getByText('12 of 12 reviewed').isVisible())

  // Approve: a condition due in the past is refused at its field, and nothing is approved.
  await visitor.follow(() => page.getByRole('button', { name: 'Approve', exact: true }).click(), /\/approve$/)
  const first = page.getByRole('group', { name: 'Condition 1' })
  await first.getByLabel('Requirement').selectOption('SUP-11')
  await first.getByLabel('What the supplier must do').fill('Roll out multi-factor authentication to the support team.')
  const past = dayMonthYear(isoDay(-1))
  await fillDate(first, isoDay(-1))
  await page.getByRole('button', { name: 'Add another condition' }).click()
  await page.getByRole('group', { name: 'Condition 2' }).waitFor()
  await visitor.audit()
  assert.equal(await first.getByLabel('Day').inputValue(), past.day, 'adding a row keeps what was typed')
  await page.getByRole('button', { name: 'Approve the assessment' }).click()
  await page.getByRole('heading', { name: 'There is a problem' }).waitFor()
  await visitor.audit()
  const summaryLink = page.getByRole('link', { name: /a condition is due after today/ })
  assert.equal(await summaryLink.getAttribute('href'), '#conditions-0-due_date-day')
  assert.match((await first.textContent()) ?? '', /Error:[\s\S]*a condition is due after today/)
  await summaryLink.click()
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'conditions-0-due_date-day')
  assert.equal((await assessmentAs(ada, seeded.assessmentId)).state, 'in_review')

  const due = isoDay(90)
  await fillDate(first, due)
  await visitor.follow(() => page.getByRole('button', { name: 'Approve the assessment' }).click(), caseUrl)
  assert.match((await banner(page).textContent()) ?? '', /Assessment approved, valid until .*condition is now an open remediation action/)
  const approved = await assessmentAs(ada, seeded.assessmentId)
  assert.equal(approved.state, 'approved')
  const actions = await unwrap(ada.api.GET('/actions', { params: { query: { assessment: seeded.assessmentId } } }))
  assert.equal(actions.items.length, 1)
  assert.equal(actions.items[0].requirement_id, 'SUP-11')
  assert.equal(actions.items[0].description, 'Roll out multi-factor authentication to the support team.')
  assert.equal(actions.items[0].due_date, due)
  assert.equal(actions.items[0].state, 'open')
  const conditions = page.getByRole('table', { name: 'Remediation actions made from the conditions of the approval' })
  assert.match((await conditions.textContent()) ?? '', /SUP-11[\s\S]*Roll out multi-factor authentication/)

  // Suspend, then lift.
  await visitor.follow(() => page.getByRole('button', { name: 'Suspend the approval' }).click(), /\/suspend$/)
  await page.getByLabel('Why are you suspending the approval?').fill('The supplier reported a ransomware incident.')
  await visitor.follow(() => page.getByRole('button', { name: 'Suspend the approval' }).click(), caseUrl)
  assert.match((await banner(page).textContent()) ?? '', /Approval suspended/)
  assert.ok(await page.getByText('Suspended', { exact: true }).first().isVisible())
  assert.equal((await assessmentAs(ada, seeded.assessmentId)).suspended, true)
  await visitor.follow(() => page.getByRole('button', { name: 'Lift the suspension' }).click(), caseUrl)
  assert.match((await banner(page).textContent()) ?? '', /Suspension lifted/)
  const lifted = await assessmentAs(ada, seeded.assessmentId)
  assert.equal(lifted.suspended, false)
  assert.equal(lifted.state, 'approved')

  visitor.assertEveryPageAudited()
  await visitor.close()
})

test('of two assessors claiming the same case, the second is told plainly and nothing changes', async () => {
  const seeded = await submittedCase(world.stack, 'Bravo Systems')
  const [bea, cy] = await Promise.all([
    makePerson(world.stack, 'assessor', 'Bea Assessor'),
    makePerson(world.stack, 'assessor', 'Cy Assessor'),
  ])
  const first = await world.openVisitor()
  const second = await world.openVisitor()
  await first.signIn(bea.token)
  await second.signIn(cy.token)
  await first.goto('/review-queue')
  await second.goto('/review-queue')
  const claim = (visitor: Visitor) => visitor.page.getByRole('button', { name: `Claim ${seeded.label}` })
  assert.ok(await claim(first).isVisible())
  assert.ok(await claim(second).isVisible())

  await first.follow(() => claim(first).click(), new RegExp(`/cases/${seeded.assessmentId}$`))
  const held = await assessmentAs(bea, seeded.assessmentId)
  const [response] = await Promise.all([
    second.page.waitForResponse((r) => r.url().endsWith('/claim')),
    claim(second).click(),
  ])
  assert.equal(response.status(), 409)
  await second.page.getByRole('heading', { level: 1, name: 'Another assessor claimed this case first' }).waitFor()
  await second.audit()
  assert.ok(await second.page.getByText('Nothing was changed. The case stays with them.').isVisible())

  const now = await assessmentAs(bea, seeded.assessmentId)
  assert.equal(now.state, 'in_review')
  assert.equal(now.claimed_by, bea.userId, 'the first claim holds')
  assert.equal(now.version, held.version, 'the losing claim changed nothing')

  await second.follow(() => second.page.getByRole('link', { name: 'Go back to the review queue' }).click(), /\/review-queue$/)
  const row = second.page.getByRole('table', { name: 'Cases in the queue' }).getByRole('row', { name: /Bravo Systems/ })
  assert.ok(await row.getByText('by another assessor').isVisible())
  assert.equal(await claim(second).count(), 0, 'no claim button for a claimed case')

  // On the case page the second assessor is offered nothing the API would refuse them: the
  // buttons follow the case's allowed_actions for its reader.
  await second.goto(`/cases/${seeded.assessmentId}`)
  assert.ok(await second.page.getByText('Another assessor has claimed this case and is reviewing it.').isVisible())
  for (const name of ['Claim this case', 'Approve', 'Request changes', 'Reject', 'Release the case']) {
    assert.equal(await second.page.getByRole('button', { name, exact: true }).count(), 0, `no ${name} for a case another holds`)
  }
  await first.goto(`/cases/${seeded.assessmentId}`)
  for (const name of ['Approve', 'Request changes', 'Reject', 'Release the case']) {
    assert.equal(await first.page.getByRole('button', { name, exact: true }).count(), 1, `${name} for the claimant`)
  }

  for (const visitor of [first, second]) {
    visitor.assertEveryPageAudited()
    await visitor.close()
  }
})

test('from the keyboard alone: claim, a verdict with a comment, and a request for changes', async () => {
  const seeded = await submittedCase(world.stack, 'Keyed Services')
  const kay: Person = await makePerson(world.stack, 'assessor', 'Kay Keyboard')
  const visitor = await world.openVisitor()
  const { page } = visitor
  const caseUrl = new RegExp(`/cases/${seeded.assessmentId}$`)
  await visitor.signIn(kay.token)
  await page.getByRole('heading', { level: 1, name: 'Home' }).waitFor()

  await tabTo(page, page.getByRole('link', { name: 'Review queue', exact: true }))
  await visitor.follow(() => page.keyboard.press('Enter'), /\/review-queue$/)

  await tabTo(page, page.getByRole('button', { name: `Claim ${seeded.label}` }))
  await visitor.follow(() => page.keyboard.press('Enter'), caseUrl)
  assert.equal((await assessmentAs(kay, seeded.assessmentId)).claimed_by, kay.userId)

  await tabTo(page, page.getByRole('link', { name: /^SUP-03 / }))
  await visitor.follow(() => page.keyboard.press('Enter'), /\/requirements\/SUP-03$/)
  await tabTo(page, page.getByRole('radio', { name: 'Accept' }))
  await page.keyboard.press('Space')
  // Within a group of radios the arrow keys move the choice: Accept → Reject → Query.
  await page.keyboard.press('ArrowDown')
  await page.keyboard.press('ArrowDown')
  assert.ok(await page.getByRole('radio', { name: 'Query' }).isChecked())
  await tabTo(page, page.getByRole('textbox', { name: 'Comment', exact: true }))
  await page.keyboard.type('Which teams does the BPSS check cover?')
  await tabTo(page, page.getByRole('button', { name: 'Save and continue' }))
  await visitor.follow(() => page.keyboard.press('Enter'), /\/requirements\/SUP-04$/)
  const reviewed = await assessmentAs(kay, seeded.assessmentId)
  const sup03 = reviewed.responses.find((response) => response.requirement_id === 'SUP-03')!
  assert.equal(sup03.review?.verdict, 'query')
  assert.equal(sup03.review?.comment, 'Which teams does the BPSS check cover?')

  await tabTo(page, page.getByRole('link', { name: 'Back to the case' }), { backwards: true })
  await visitor.follow(() => page.keyboard.press('Enter'), caseUrl)
  assert.ok(await page.getByText('1 of 12 reviewed').isVisible())
  await tabTo(page, page.getByRole('button', { name: 'Request changes' }))
  await visitor.follow(() => page.keyboard.press('Enter'), /\/request-changes$/)
  await tabTo(page, page.getByRole('textbox', { name: 'What the supplier needs to change' }))
  await page.keyboard.type('Answer the query on SUP-03.')
  await tabTo(page, page.getByRole('button', { name: 'Request changes' }))
  await visitor.follow(() => page.keyboard.press('Enter'), caseUrl)
  assert.match((await banner(page).textContent()) ?? '', /Changes requested/)
  const sent = await assessmentAs(kay, seeded.assessmentId)
  assert.equal(sent.state, 'changes_requested')
  assert.equal(sent.changes_summary, 'Answer the query on SUP-03.')

  visitor.assertEveryPageAudited()
  await visitor.close()
})

test('an assessor releases a case back to the queue, claims it again and rejects it with a reason', async () => {
  const seeded = await submittedCase(world.stack, 'Delta Data')
  const dee = await makePerson(world.stack, 'assessor', 'Dee Assessor')
  await unwrap(dee.api.POST('/assessments/{id}/claim', { params: { path: { id: seeded.assessmentId } } }))
  const visitor = await world.openVisitor()
  const { page } = visitor
  const caseUrl = new RegExp(`/cases/${seeded.assessmentId}$`)
  await visitor.signIn(dee.token)
  const mine = page.getByRole('list', { name: 'Your cases in review' })
  await visitor.follow(() => mine.getByRole('link', { name: /^Delta Data, / }).click(), caseUrl)

  await visitor.follow(() => page.getByRole('button', { name: 'Release the case' }).click(), caseUrl)
  assert.match((await banner(page).textContent()) ?? '', /back in the review queue/)
  const released = await assessmentAs(dee, seeded.assessmentId)
  assert.equal(released.state, 'submitted')
  assert.equal(released.claimed_by, null)

  await visitor.follow(() => page.getByRole('button', { name: 'Claim this case' }).click(), caseUrl)
  assert.equal((await assessmentAs(dee, seeded.assessmentId)).claimed_by, dee.userId)

  // A rejection needs its reason: the API's refusal is shown at the field, and nothing changes.
  await visitor.follow(() => page.getByRole('button', { name: 'Reject', exact: true }).click(), /\/reject$/)
  await page.getByRole('button', { name: 'Reject the assessment' }).click()
  await page.getByRole('heading', { name: 'There is a problem' }).waitFor()
  await visitor.audit()
  const problem = page.getByRole('link', { name: /reason/ })
  assert.equal(await problem.getAttribute('href'), '#reason')
  assert.equal((await assessmentAs(dee, seeded.assessmentId)).state, 'in_review')

  await page.getByLabel('Reason for rejecting').fill('The service is being decommissioned; no assurance is needed.')
  await visitor.follow(() => page.getByRole('button', { name: 'Reject the assessment' }).click(), caseUrl)
  assert.match((await banner(page).textContent()) ?? '', /Assessment rejected/)
  assert.ok(await page.getByText('The service is being decommissioned; no assurance is needed.').isVisible())
  const rejected = await assessmentAs(dee, seeded.assessmentId)
  assert.equal(rejected.state, 'rejected')
  assert.equal(rejected.decision_reason, 'The service is being decommissioned; no assurance is needed.')

  // Addresses that name no case are a missing page, never an API error.
  await visitor.goto('/cases/not-a-case')
  await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor()
  await visitor.goto(`/cases/${seeded.assessmentId}/requirements/COCO-01`)
  await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor()

  visitor.assertEveryPageAudited()
  await visitor.close()
})
