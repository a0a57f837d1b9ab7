// The risk owner's journeys: accept an exception for a MUST not met, see it listed, have a bad
// expiry refused at its field, revoke it — and the same acceptance from the keyboard alone.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { Page } from 'playwright-core'
import { unwrap } from '../server/data/cocoApi.js'
import { formatDate } from '../server/format.js'
import { dayMonthYear, fillDate, isoDay } from './days.js'
import { makePerson, screenshot, useStack, type Person } from './harness.js'
import { tabTo } from './keyboard.js'
import { approvedSupplier, type ApprovedSupplier } from './seed.js'

let delta: ApprovedSupplier
let echo: ApprovedSupplier
let riskOwner: Person

const world = useStack({}, async () => {
  // Approved with a condition on CRYPTO-04, answered not_met.
  delta = await approvedSupplier(world.stack, 'Delta Systems', { condition: true })
  // In review: CRYPTO-04 answered not_met, every response accepted, not yet approved.
  echo = await approvedSupplier(world.stack, 'Echo Networks', { condition: true, stage: 'in_review' })
  riskOwner = await makePerson(world.stack, 'risk_owner', 'Rowan Risk')
})

async function exceptionsOf(assessmentId: string) {
  const page = await unwrap(
    riskOwner.api.GET('/assessments/{id}/exceptions', { params: { path: { id: assessmentId } } }),
  )
  return page.items
}

test('a risk owner accepts an exception on a MUST not met, sees it listed and revokes it', async () => {
  const assessmentId = delta.assessments.CRYPTOGRAPHY!
  const visitor = await world.openVisitor()
  const { page } = visitor
  await visitor.signIn(riskOwner.token)
  await page.getByRole('heading', { level: 1, name: 'Home' }).waitFor()
  await visitor.audit()
  // The inbox: Echo's assessment in review has a MUST not met that no exception covers yet.
  const toDecide = page.getByRole('list', { name: 'Exceptions to decide' })
  const echoCase = toDecide.getByRole('link', { name: /^Echo Networks, .*: Cryptography$/ })
  assert.ok(await echoCase.isVisible(), 'the inbox lists the assessment waiting on a decision')
  assert.equal(await echoCase.getAttribute('href'), `/exceptions/new?assessment=${echo.assessments.CRYPTOGRAPHY}`)
  assert.match((await toDecide.textContent()) ?? '', /1 MUST requirement not fully met \(CRYPTO-04\)/)
  assert.ok(await page.getByText('No exception is active.').isVisible())

  // From the supplier's status page.
  await visitor.goto(`/suppliers/${delta.supplierId}`)
  await page.getByRole('link', { name: 'Accept an exception for Delta Systems' }).click()
  await page.getByRole('heading', { level: 1, name: 'Which assessment?' }).waitFor()
  await visitor.audit()
  await screenshot(page, 'risk-owner-choose-assessment')
  await page.getByRole('link', { name: 'Choose the Cryptography assessment of Delta Systems hosting (approved)' }).click()
  await page.getByRole('heading', { level: 1, name: 'Accept an exception' }).waitFor()
  await visitor.audit()
  // The choices are the MUST responses not fully met: here only CRYPTO-04.
  const choices = page.getByRole('group', { name: 'Which requirement?' }).getByRole('radio')
  assert.equal(await choices.count(), 1)

  // Nothing filled in: every problem at its field, nothing created.
  await page.getByRole('button', { name: 'Accept exception' }).click()
  await page.getByRole('heading', { name: 'There is a problem' }).waitFor()
  await visitor.audit()
  await screenshot(page, 'risk-owner-accept-empty')
  assert.deepEqual(await page.getByRole('alert').getByRole('link').allTextContents(), [
    'Select the requirement the exception is for',
    'Enter why the risk is acceptable',
    'Enter the last day the exception covers',
  ])
  assert.deepEqual(await exceptionsOf(assessmentId), [])

  // A date more than 12 months ahead is refused at the date field; nothing is created.
  await page.getByRole('radio', { name: "CRYPTO-04 Scan TLS configuration and re-validate it" }).check()
  await page.getByLabel('Why is the risk acceptable?').fill('Compensating controls at the boundary until the scan is automated.')
  const until = page.getByRole('group', { name: 'Accepted until' })
  const far = isoDay(400)
  await fillDate(until, far)
  await page.getByRole('button', { name: 'Accept exception' }).click()
  await page.getByRole('heading', { name: 'There is a problem' }).waitFor()
  await visitor.audit()
  const summaryLinks = page.getByRole('alert').getByRole('link')
  assert.equal(await summaryLinks.count(), 1)
  await screenshot(page, 'risk-owner-accept-error')
  const message = (await summaryLinks.first().textContent())!.trim()
  assert.match(message, /^Accepted until must be between \d{1,2} \w+ \d{4} and \d{1,2} \w+ \d{4}$/)
  await summaryLinks.first().click()
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'expires_on-day')
  assert.ok(await until.getByText(message).isVisible(), 'the message is shown at the date field')
  // What was typed is kept.
  assert.equal(await page.getByLabel('Why is the risk acceptable?').inputValue(), 'Compensating controls at the boundary until the scan is automated.')
  assert.ok(await page.getByRole('radio', { name: /CRYPTO-04/ }).isChecked())
  assert.deepEqual(await exceptionsOf(assessmentId), [])

  // A day that does not exist is refused the same way.
  await until.getByLabel('Day').fill('31')
  await until.getByLabel('Month').fill('2')
  await until.getByLabel('Year').fill(String(Number(dayMonthYear(far).year) - 1))
  await page.getByRole('button', { name: 'Accept exception' }).click()
  await page.getByRole('heading', { name: 'There is a problem' }).waitFor()
  await visitor.audit()
  assert.deepEqual(await page.getByRole('alert').getByRole('link').allTextContents(), ['Accepted until must be a real date'])
  assert.ok(await until.getByText('Accepted until must be a real date').isVisible())
  assert.deepEqual(await exceptionsOf(assessmentId), [])

  // A good date: accepted, and listed.
  const expires = isoDay(90)
  await fillDate(until, expires)
  await page.getByRole('button', { name: 'Accept exception' }).click()
  await page.getByText(`Exception accepted for CRYPTO-04 until ${formatDate(expires)}`).waitFor()
  await visitor.audit()
  const active = page.getByRole('table', { name: 'Active, ending soonest first' })
  const row = active.getByRole('row', { name: /CRYPTO-04/ })
  assert.ok(await row.getByText('Compensating controls at the boundary').isVisible())
  assert.ok(await row.getByText(formatDate(expires)).isVisible())
  await screenshot(page, 'risk-owner-exceptions')
  const created = await exceptionsOf(assessmentId)
  assert.equal(created.length, 1)
  assert.equal(created[0].active, true)

  // Home lists it among those ending soonest.
  await visitor.goto('/')
  await screenshot(page, 'risk-owner-home')
  const endingSoon = page.getByRole('table', { name: 'Exceptions ending soonest' })
  assert.ok(await endingSoon.getByRole('row', { name: /Delta Systems.*CRYPTO-04/ }).isVisible())

  // The supplier's status names it in words.
  await visitor.goto(`/suppliers/${delta.supplierId}`)
  await page
    .getByText(`accepted the risk of CRYPTO-04 'Scan TLS configuration and re-validate it' not being fully met until ${formatDate(expires)}`)
    .first()
    .waitFor()

  // Revoke, after a confirmation page.
  await visitor.goto('/exceptions')
  await page.getByRole('link', { name: 'Revoke the exception for CRYPTO-04 of Delta Systems' }).click()
  await page.getByRole('heading', { level: 1, name: 'Revoke this exception?' }).waitFor()
  await visitor.audit()
  await screenshot(page, 'risk-owner-revoke')
  await page.getByRole('button', { name: 'Revoke exception' }).click()
  await page.getByText('Exception for CRYPTO-04 revoked').waitFor()
  await visitor.audit()
  const ended = page.getByRole('table', { name: 'Ended or revoked, newest first' })
  assert.ok(await ended.getByRole('row', { name: /CRYPTO-04/ }).getByText('Revoked', { exact: true }).isVisible())
  assert.equal(await page.getByRole('table', { name: 'Active, ending soonest first' }).count(), 0)
  const after = await exceptionsOf(assessmentId)
  assert.ok(after[0].revoked_at, 'the API recorded the revocation')
  visitor.assertEveryPageAudited()
  await visitor.close()
})

test('the risk owner accepts an exception with the keyboard alone', async () => {
  const assessmentId = echo.assessments.CRYPTOGRAPHY!
  const visitor = await world.openVisitor()
  const { page } = visitor
  const { keyboard } = page
  const named = (role: Parameters<Page['getByRole']>[0], name: string) => page.getByRole(role, { name, exact: true })
  await visitor.signIn(riskOwner.token)
  await page.getByRole('heading', { level: 1, name: 'Home' }).waitFor()

  await tabTo(page, named('link', 'Exceptions'))
  await keyboard.press('Enter')
  await page.getByRole('heading', { level: 1, name: 'Exceptions' }).waitFor()
  await visitor.audit()

  await tabTo(page, named('button', 'Accept an exception'))
  await keyboard.press('Enter')
  await page.getByRole('heading', { level: 1, name: 'Which supplier?' }).waitFor()
  await visitor.audit()

  await tabTo(page, named('combobox', 'Supplier'))
  await keyboard.type('Echo')
  await tabTo(page, named('button', 'Continue'))
  await keyboard.press('Enter')
  await page.getByRole('heading', { level: 1, name: 'Which assessment?' }).waitFor()
  await visitor.audit()
  assert.ok(await page.getByText('Accept an exception for Echo Networks').isVisible())

  await tabTo(page, named('link', 'Choose the Cryptography assessment of Echo Networks hosting (in review)'))
  await keyboard.press('Enter')
  await page.getByRole('heading', { level: 1, name: 'Accept an exception' }).waitFor()
  await visitor.audit()

  await tabTo(page, named('radio', 'CRYPTO-04 Scan TLS configuration and re-validate it'))
  await keyboard.press('Space')
  await tabTo(page, named('textbox', 'Why is the risk acceptable?'))
  await keyboard.type('Accepted while the assessment is reviewed.')
  const expires = isoDay(60)
  const { day, month, year } = dayMonthYear(expires)
  await tabTo(page, named('textbox', 'Day'))
  await keyboard.type(day)
  await tabTo(page, named('textbox', 'Month'))
  await keyboard.type(month)
  await tabTo(page, named('textbox', 'Year'))
  await keyboard.type(year)
  // Back and forth: Shift+Tab reaches the reason again, and Tab returns to the button.
  await tabTo(page, named('textbox', 'Why is the risk acceptable?'), { backwards: true })
  await tabTo(page, named('button', 'Accept exception'))
  await keyboard.press('Enter')
  await page.getByText(`Exception accepted for CRYPTO-04 until ${formatDate(expires)}`).waitFor()
  await visitor.audit()
  assert.ok(
    await page.getByRole('table', { name: 'Active, ending soonest first' }).getByRole('row', { name: /CRYPTO-04/ }).isVisible(),
  )
  const created = await exceptionsOf(assessmentId)
  assert.equal(created.length, 1)
  assert.equal(created[0].reason, 'Accepted while the assessment is reviewed.')
  assert.equal(created[0].expires_on, expires)
  visitor.assertEveryPageAudited()
  await visitor.close()
})
