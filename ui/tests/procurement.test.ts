// Procurement's journeys: the portfolio with its filters and CSV, a supplier's status page with
// its reasons in words, the contract start date question, the signed attestation and the history.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import type { Download, Page } from 'playwright-core'
import { unwrap } from '../server/data/cocoApi.js'
import { formatDate } from '../server/format.js'
import { isoDay } from './days.js'
import { makePerson, screenshot, useStack, type Person } from './harness.js'
import { approvedSupplier, supplierWithService, type ApprovedSupplier, type SeededService } from './seed.js'

let acme: ApprovedSupplier
let beta: SeededService
let cobalt: ApprovedSupplier
let buyer: Person

const world = useStack({}, async () => {
  // Conditionally assured: every required standard approved, one with a condition due in 200 days.
  acme = await approvedSupplier(world.stack, 'Acme Hosting', { condition: true, contractStart: isoDay(60) })
  // Not assessed: a service and nothing else.
  beta = await supplierWithService(world.stack, 'Beta Cloud')
  // Expiring: its condition falls due within the month.
  cobalt = await approvedSupplier(world.stack, 'Cobalt Data', { condition: true, conditionDue: isoDay(20) })
  buyer = await makePerson(world.stack, 'procurement', 'Pat Procurement')
})

async function downloaded(page: Page, click: () => Promise<void>): Promise<{ download: Download; text: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()])
  const file = await download.path()
  return { download, text: fs.readFileSync(file, 'utf8') }
}

function parseCsv(text: string): Record<string, string>[] {
  const [header, ...lines] = text.trim().split(/\r?\n/)
  const names = header.split(',')
  return lines.map((line) => {
    const cells = line.split(',')
    return Object.fromEntries(names.map((name, index) => [name, cells[index] ?? '']))
  })
}

test('procurement sees who needs attention, filters the portfolio and downloads it as CSV', async () => {
  const visitor = await world.openVisitor()
  const { page } = visitor
  await visitor.signIn(buyer.token)
  await page.getByRole('heading', { level: 1, name: 'Home' }).waitFor()
  await visitor.audit()
  // The inbox first: Cobalt Data's condition falls due in 20 days, and with it its assurance.
  const lapsing = page.getByRole('list', { name: 'Suppliers lapsing' })
  const cobaltLapsing = lapsing.getByRole('link', { name: 'Cobalt Data: 1 service standard expiring' })
  assert.ok(await cobaltLapsing.isVisible(), 'the inbox names the supplier that lapses within 30 days')
  assert.match((await lapsing.textContent()) ?? '', new RegExp(`first lapse is on ${formatDate(isoDay(20))}[\\s\\S]*Lapses in 20 days`))
  assert.equal(await cobaltLapsing.getAttribute('href'), `/suppliers/${cobalt.supplierId}`)
  await page.getByRole('heading', { name: 'Suppliers needing attention' }).waitFor()
  const expiring = page.getByRole('table', { name: /Expiring/ })
  assert.ok(await expiring.getByRole('link', { name: 'Cobalt Data' }).first().isVisible())
  assert.equal(await page.getByRole('link', { name: 'Acme Hosting' }).count(), 0, 'a conditionally assured supplier needs no attention')

  await page.getByRole('link', { name: 'Portfolio', exact: true }).click()
  await page.getByRole('heading', { level: 1, name: 'Portfolio' }).waitFor()
  await visitor.audit()
  const table = page.getByRole('table', { name: /Portfolio as of/ })
  const acmeCrypto = table.getByRole('row', { name: /Acme Hosting.*Cryptography/ })
  assert.ok(await acmeCrypto.getByText('Conditionally assured', { exact: true }).isVisible())
  const acmeSupplier = table.getByRole('row', { name: /Acme Hosting.*Supplier assurance obligations/ })
  assert.ok(await acmeSupplier.getByText('Assured', { exact: true }).isVisible())
  assert.ok(await table.getByRole('row', { name: /Beta Cloud/ }).first().getByText('Not assessed').isVisible())

  // Filter by status: only the supplier not assessed is left.
  await page.getByLabel('Status', { exact: true }).selectOption({ label: 'Not assessed' })
  await page.getByRole('button', { name: 'Apply filters' }).click()
  await page.getByRole('heading', { name: 'Selected filters' }).waitFor()
  await visitor.audit()
  await screenshot(page, 'portfolio')
  assert.equal(await table.getByRole('row', { name: /Beta Cloud/ }).count(), 2)
  assert.equal(await table.getByRole('row', { name: /Acme Hosting|Cobalt Data/ }).count(), 0)

  // The CSV carries the same filter.
  const csv = await downloaded(page, () => page.getByRole('link', { name: /Download CSV/ }).click())
  assert.equal(csv.download.suggestedFilename(), 'portfolio.csv')
  const rows = parseCsv(csv.text)
  assert.equal(rows.length, 2)
  for (const row of rows) {
    assert.equal(row.supplier_name, 'Beta Cloud')
    assert.equal(row.status, 'not_assessed')
  }
  assert.deepEqual(rows.map((row) => row.standard).sort(), ['CRYPTOGRAPHY', 'SUPPLIER'])

  // A date the API cannot read is shown at its field, and the filter can be cleared.
  await page.getByRole('group', { name: 'Lapsing before' }).getByLabel('Day').fill('31')
  await page.getByRole('group', { name: 'Lapsing before' }).getByLabel('Month').fill('2')
  await page.getByRole('group', { name: 'Lapsing before' }).getByLabel('Year').fill('2027')
  await page.getByRole('button', { name: 'Apply filters' }).click()
  await page.getByRole('heading', { name: 'There is a problem' }).waitFor()
  await visitor.audit()
  await page.getByRole('link', { name: 'Lapsing before must be a real date' }).click()
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'lapsing_before-day')
  await page.getByRole('link', { name: 'Clear filters' }).click()
  await page.getByRole('heading', { level: 1, name: 'Portfolio' }).waitFor()
  await visitor.audit()
  assert.ok(await table.getByRole('row', { name: /Acme Hosting/ }).first().isVisible())

  // The whole portfolio as CSV: a row per supplier × service × required standard.
  const all = parseCsv((await downloaded(page, () => page.getByRole('link', { name: /Download CSV/ }).click())).text)
  const acmeRows = all.filter((row) => row.supplier_name === 'Acme Hosting')
  assert.deepEqual(
    acmeRows.map((row) => `${row.standard}:${row.status}`).sort(),
    ['CRYPTOGRAPHY:conditionally_assured', 'SUPPLIER:assured'],
  )
  assert.equal(all.filter((row) => row.supplier_name === 'Cobalt Data' && row.status === 'expiring').length, 1)
  visitor.assertEveryPageAudited()
  await visitor.close()
})

test('procurement reads a supplier: reasons in words, contract start question, attestation and history', async () => {
  const status = await unwrap(
    buyer.api.GET('/suppliers/{id}/status', { params: { path: { id: acme.supplierId } } }),
  )
  assert.equal(status.status, 'conditionally_assured')
  const visitor = await world.openVisitor()
  const { page } = visitor
  await visitor.signIn(buyer.token)
  await visitor.goto('/portfolio')
  await page.getByRole('link', { name: 'Acme Hosting' }).first().click()
  await page.getByRole('heading', { level: 1, name: 'Acme Hosting' }).waitFor()
  await visitor.audit()

  // The status, its reason in words with the requirement's title, and the next change.
  const summary = page.getByRole('heading', { name: 'Why it is conditionally assured' })
  await summary.waitFor()
  await page
    .getByText(
      `Acme Hosting hosting: the action for CRYPTO-04 'Scan TLS configuration and re-validate it' is open, due by ${formatDate(acme.condition!.dueDate)}`,
    )
    .first()
    .waitFor()
  await screenshot(page, 'supplier')
  assert.ok(status.next_change)
  await page.getByText(`Becomes Expiring on ${formatDate(status.next_change.date)}`).first().waitFor()
  const standards = page.getByRole('table', { name: 'Standards for Acme Hosting hosting' })
  assert.ok(await standards.getByRole('row', { name: /Cryptography/ }).getByText('Conditionally assured').isVisible())
  assert.ok(await standards.getByRole('row', { name: /Supplier assurance obligations/ }).getByText('Assured').isVisible())

  // Assured on the contract start date?
  await page
    .getByRole('link', { name: `Check ${formatDate(acme.contractStart!)}, the contract start of Acme Hosting hosting` })
    .click()
  await page
    .getByRole('heading', { name: `On ${formatDate(acme.contractStart!)} this supplier will be: Conditionally assured` })
    .waitFor()
  await visitor.audit()

  // Any other date: after the condition falls due, it will not be assured.
  const later = isoDay(230)
  const [year, month, day] = later.split('-')
  const other = page.getByRole('group', { name: 'Or check another date' })
  await other.getByLabel('Day').fill(String(Number(day)))
  await other.getByLabel('Month').fill(String(Number(month)))
  await other.getByLabel('Year').fill(year)
  await page.getByRole('button', { name: 'Check this date' }).click()
  await page.getByRole('heading', { name: `On ${formatDate(later)} this supplier will be: Not assured` }).waitFor()
  await page.getByText(/the action for CRYPTO-04 .* was due on/).first().waitFor()
  await visitor.audit()

  // The signed attestation: a compact JWS (EdDSA) whose payload is the status document.
  const attestation = await downloaded(page, () =>
    page.getByRole('link', { name: 'Download the signed attestation', exact: true }).click(),
  )
  const parts = attestation.text.trim().split('.')
  assert.equal(parts.length, 3, 'a compact JWS has three parts')
  for (const part of parts) assert.match(part, /^[A-Za-z0-9_-]+$/)
  const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'))
  assert.equal(header.alg, 'EdDSA')
  const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'))
  assert.equal(payload.supplier_id, acme.supplierId)
  assert.equal(payload.status, 'conditionally_assured')
  assert.ok(Array.isArray(payload.evidence_sha256))

  // The history, newest first, as a timeline.
  await page.getByRole('heading', { level: 2, name: 'Status history' }).waitFor()
  await page.getByRole('heading', { level: 3, name: 'Acme Hosting became Conditionally assured' }).waitFor()
  await page.getByRole('heading', { level: 3, name: 'Acme Hosting became In progress' }).waitFor()
  visitor.assertEveryPageAudited()
  await visitor.close()
})

test("a supplier's user cannot read another supplier's status page", async () => {
  const visitor = await world.openVisitor()
  const { page } = visitor
  await visitor.signIn(beta.supplier.token)
  await visitor.goto(`/suppliers/${acme.supplierId}`)
  await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor()
  assert.equal(await page.getByText('Acme Hosting').count(), 0)
  const attestation = await page.request.get(`/suppliers/${acme.supplierId}/attestation`)
  assert.equal(attestation.status(), 404)
  // Its own supplier's page it may read.
  await visitor.goto(`/suppliers/${beta.supplierId}`)
  await page.getByRole('heading', { level: 1, name: 'Beta Cloud' }).waitFor()
  await page.getByText('No Cryptography assessment is approved or in progress').first().waitFor()
  // Asking about no date at all is answered at the field.
  await page.getByRole('button', { name: 'Check this date' }).click()
  await page.getByRole('link', { name: 'Enter the date to check' }).waitFor()
  await visitor.audit()
  visitor.assertEveryPageAudited()
  await visitor.close()
})

test('cobalt is expiring because its condition falls due within the month', async () => {
  const status = await unwrap(
    buyer.api.GET('/suppliers/{id}/status', { params: { path: { id: cobalt.supplierId } } }),
  )
  assert.equal(status.status, 'expiring')
  const visitor = await world.openVisitor()
  const { page } = visitor
  await visitor.signIn(buyer.token)
  await visitor.goto(`/suppliers/${cobalt.supplierId}`)
  await page
    .getByText(`Soon: the action for CRYPTO-04 'Scan TLS configuration and re-validate it' is due by ${formatDate(cobalt.condition!.dueDate)}`)
    .first()
    .waitFor()
  visitor.assertEveryPageAudited()
  await visitor.close()
})

test('procurement follows a supplier from its page and chooses its e-mail', async () => {
  const visitor = await world.openVisitor()
  const { page } = visitor
  await visitor.signIn(buyer.token)
  await visitor.goto(`/suppliers/${acme.supplierId}`)
  await page.getByRole('button', { name: 'Follow this supplier' }).click()
  await page.getByText('You will be e-mailed when this supplier’s status changes').waitFor()
  await page.getByRole('button', { name: 'Stop following' }).waitFor()
  await visitor.audit()
  const own = async () => (await unwrap(buyer.api.GET('/me'))).user.notifications
  assert.deepEqual((await own()).follow, [acme.supplierId])

  // The settings page offers procurement's kinds of mail, all ticked by default, and the
  // supplier followed.
  await page.getByRole('link', { name: 'Your e-mail', exact: true }).click()
  await page.getByRole('heading', { level: 1, name: 'Your e-mail' }).waitFor()
  await visitor.audit()
  await screenshot(page, 'notifications')
  const lapsing = page.getByRole('checkbox', { name: 'Suppliers lapsing' })
  const followed = page.getByRole('checkbox', { name: 'Suppliers you follow' })
  assert.ok(await lapsing.isChecked())
  assert.ok(await followed.isChecked())
  assert.equal(await page.getByRole('checkbox', { name: 'Daily review digest' }).count(), 0, 'no other role’s kinds')
  const acmeBox = page.getByRole('checkbox', { name: 'Acme Hosting' })
  assert.ok(await acmeBox.isChecked())

  await lapsing.uncheck()
  await page.getByRole('button', { name: 'Save' }).click()
  await page.getByText('Your e-mail settings have been saved').waitFor()
  assert.deepEqual(await own(), {
    email: ['followed_supplier', 'webhook_disabled'],
    email_choices: ['supplier_lapsing', 'followed_supplier', 'webhook_disabled'],
    follow: [acme.supplierId],
  })
  assert.equal(await page.getByRole('checkbox', { name: 'Suppliers lapsing' }).isChecked(), false)

  // Unticking the supplier stops following it.
  await page.getByRole('checkbox', { name: 'Acme Hosting' }).uncheck()
  await page.getByRole('button', { name: 'Save' }).click()
  await page.getByText('Your e-mail settings have been saved').waitFor()
  assert.deepEqual((await own()).follow, [])
  await page.getByText('None. Follow a supplier from its status page').waitFor()
  await visitor.audit()
  visitor.assertEveryPageAudited()
  await visitor.close()
})
