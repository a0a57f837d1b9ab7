// The risk owner's journeys: accept an exception for a MUST not met, see it listed, have a bad
// expiry refused at its field, revoke it — and the same acceptance from the keyboard alone.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser, Page } from 'playwright-core'
import { unwrap } from '../server/data/cocoApi.js'
import { formatDate } from '../server/format.js'
import { launchBrowser, makePerson, startStack, Visitor, type Person, type Stack } from './harness.js'
import { approvedSupplier, isoDay, type ApprovedSupplier } from './procurementSeed.js'

let stack: Stack
let browser: Browser
let delta: ApprovedSupplier
let echo: ApprovedSupplier
let riskOwner: Person

before(async () => {
  stack = await startStack()
  browser = await launchBrowser()
  // Approved with a condition on CRYPTO-04, answered not_met.
  delta = await approvedSupplier(stack, 'Delta Systems', { condition: true })
  // In review: CRYPTO-04 answered not_met, every response accepted, not yet approved.
  echo = await approvedSupplier(stack, 'Echo Networks', { condition: true, stage: 'in_review' })
  riskOwner = await makePerson(stack, 'risk_owner', 'Rowan Risk')
})

after(async () => {
  await browser?.close()
  await stack?.stop()
})

async function exceptionsOf(assessmentId: string) {
  const page = await unwrap(
    riskOwner.api.GET('/assessments/{id}/exceptions', { params: { path: { id: assessmentId } } }),
  )
  return page.items
}

// With COCO_UI_SCREENSHOTS=<dir>, the main pages are saved there as they are reached.
async function shot(page: Page, name: string): Promise<void> {
  if (process.env.COCO_UI_SCREENSHOTS) {
    await page.screenshot({ path: `${process.env.COCO_UI_SCREENSHOTS}/${name}.png`, fullPage: true })
  }
}

function dateParts(iso: string): [string, string, string] {
  const [year, month, day] = iso.split('-')
  return [String(Number(day)), String(Number(month)), year]
}

test('a risk owner accepts an exception on a MUST not met, sees it listed and revokes it', async () => {
  const assessmentId = delta.assessments.CRYPTOGRAPHY!
  const visitor = await Visitor.open(browser, stack)
  const { page } = visitor
  await visitor.signIn(riskOwner.token)
  await page.getByRole('heading', { level: 1, name: 'Home' }).waitFor()
  assert.ok(await page.getByText('No exception is active.').isVisible())

  // From the supplier's status page.
  await visitor.goto(`/suppliers/${delta.supplierId}`)
  await page.getByRole('link', { name: 'Accept an exception for Delta Systems' }).click()
  await page.getByRole('heading', { level: 1, name: 'Which assessment?' }).waitFor()
  await visitor.audit()
  await shot(page, 'risk-owner-choose-assessment')
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
  await shot(page, 'risk-owner-accept-empty')
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
  const [farDay, farMonth, farYear] = dateParts(isoDay(400))
  await until.getByLabel('Day').fill(farDay)
  await until.getByLabel('Month').fill(farMonth)
  await until.getByLabel('Year').fill(farYear)
  await page.getByRole('button', { name: 'Accept exception' }).click()
  await page.getByRole('heading', { name: 'There is a problem' }).waitFor()
  await visitor.audit()
  const summaryLinks = page.getByRole('alert').getByRole('link')
  assert.equal(await summaryLinks.count(), 1)
  await shot(page, 'risk-owner-accept-error')
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
  await until.getByLabel('Year').fill(String(Number(farYear) - 1))
  await page.getByRole('button', { name: 'Accept exception' }).click()
  await page.getByRole('heading', { name: 'There is a problem' }).waitFor()
  await visitor.audit()
  assert.deepEqual(await page.getByRole('alert').getByRole('link').allTextContents(), ['Accepted until must be a real date'])
  assert.ok(await until.getByText('Accepted until must be a real date').isVisible())
  assert.deepEqual(await exceptionsOf(assessmentId), [])

  // A good date: accepted, and listed.
  const expires = isoDay(90)
  const [day, month, year] = dateParts(expires)
  await until.getByLabel('Day').fill(day)
  await until.getByLabel('Month').fill(month)
  await until.getByLabel('Year').fill(year)
  await page.getByRole('button', { name: 'Accept exception' }).click()
  await page.getByText(`Exception accepted for CRYPTO-04 until ${formatDate(expires)}`).waitFor()
  await visitor.audit()
  const active = page.getByRole('table', { name: 'Active, ending soonest first' })
  const row = active.getByRole('row', { name: /CRYPTO-04/ })
  assert.ok(await row.getByText('Compensating controls at the boundary').isVisible())
  assert.ok(await row.getByText(formatDate(expires)).isVisible())
  await shot(page, 'risk-owner-exceptions')
  const created = await exceptionsOf(assessmentId)
  assert.equal(created.length, 1)
  assert.equal(created[0].active, true)

  // Home lists it among those ending soonest.
  await visitor.goto('/')
  await shot(page, 'risk-owner-home')
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
  await shot(page, 'risk-owner-revoke')
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

// Tabs (forwards, or backwards with Shift+Tab) until the focused element is the one with this
// role and accessible name.
async function tabTo(
  page: Page,
  role: Parameters<Page['getByRole']>[0],
  name: string | RegExp,
  options: { backwards?: boolean; max?: number } = {},
): Promise<void> {
  const target = page.getByRole(role, { name, exact: typeof name === 'string' })
  for (let presses = 0; presses < (options.max ?? 80); presses++) {
    await page.keyboard.press(options.backwards ? 'Shift+Tab' : 'Tab')
    const focused = await target.evaluateAll((elements) => (elements as Element[]).includes(document.activeElement as Element))
    if (focused) return
  }
  throw new Error(`no ${role} named ${name} could be reached with the keyboard`)
}

test('the risk owner accepts an exception with the keyboard alone', async () => {
  const assessmentId = echo.assessments.CRYPTOGRAPHY!
  const visitor = await Visitor.open(browser, stack)
  const { page } = visitor
  const { keyboard } = page
  await visitor.signIn(riskOwner.token)
  await page.getByRole('heading', { level: 1, name: 'Home' }).waitFor()

  await tabTo(page, 'link', 'Exceptions')
  await keyboard.press('Enter')
  await page.getByRole('heading', { level: 1, name: 'Exceptions' }).waitFor()
  await visitor.audit()

  await tabTo(page, 'button', 'Accept an exception')
  await keyboard.press('Enter')
  await page.getByRole('heading', { level: 1, name: 'Which supplier?' }).waitFor()
  await visitor.audit()

  await tabTo(page, 'combobox', 'Supplier')
  await keyboard.type('Echo')
  await tabTo(page, 'button', 'Continue')
  await keyboard.press('Enter')
  await page.getByRole('heading', { level: 1, name: 'Which assessment?' }).waitFor()
  await visitor.audit()
  assert.ok(await page.getByText('Accept an exception for Echo Networks').isVisible())

  await tabTo(page, 'link', 'Choose the Cryptography assessment of Echo Networks hosting (in review)')
  await keyboard.press('Enter')
  await page.getByRole('heading', { level: 1, name: 'Accept an exception' }).waitFor()
  await visitor.audit()

  await tabTo(page, 'radio', 'CRYPTO-04 Scan TLS configuration and re-validate it')
  await keyboard.press('Space')
  await tabTo(page, 'textbox', 'Why is the risk acceptable?')
  await keyboard.type('Accepted while the assessment is reviewed.')
  const expires = isoDay(60)
  const [day, month, year] = dateParts(expires)
  await tabTo(page, 'textbox', 'Day')
  await keyboard.type(day)
  await tabTo(page, 'textbox', 'Month')
  await keyboard.type(month)
  await tabTo(page, 'textbox', 'Year')
  await keyboard.type(year)
  // Back and forth: Shift+Tab reaches the reason again, and Tab returns to the button.
  await tabTo(page, 'textbox', 'Why is the risk acceptable?', { backwards: true })
  await tabTo(page, 'button', 'Accept exception')
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
