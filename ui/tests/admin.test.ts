// The admin journeys in a browser: suppliers, users (roles, a supplier, conflicts), API tokens
// shown once and revoked, disabling a user, and a non-admin refused by the API.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { unwrap } from '../server/data/cocoApi.js'
import { makePerson, makeSupplier, screenshot, useStack, type Visitor } from './harness.js'

let admin: Visitor

// Made by the tests in order, through the browser.
let supplierId = ''
const supplierName = 'Acme Secure Ltd'
let supplierUserId = ''
const supplierUserName = 'Sam Supplier'
let assessorId = ''
const assessorName = 'Asha Assessor'

const world = useStack({}, async () => {
  admin = await world.openVisitor()
  await admin.signIn(world.stack.adminToken)
})

async function allSuppliers() {
  return (await unwrap(world.stack.admin.GET('/suppliers', { params: { query: { limit: 200 } } }))).items
}

async function allUsers() {
  return (await unwrap(world.stack.admin.GET('/users', { params: { query: { limit: 200 } } }))).items
}

test('the admin home links to suppliers and users', async () => {
  const { page } = admin
  await page.getByRole('heading', { level: 1, name: 'Home' }).waitFor()
  await page.getByRole('link', { name: 'Suppliers' }).first().waitFor()
  await page.getByRole('link', { name: 'Users' }).first().waitFor()
})

test('the admin adds a supplier, and the same form sent twice makes one', async () => {
  const { page } = admin
  await page.getByRole('navigation').getByRole('link', { name: 'Suppliers' }).click()
  await page.getByRole('heading', { level: 1, name: 'Suppliers' }).waitFor()
  await admin.audit()
  await page.getByRole('button', { name: 'Add a supplier' }).click()
  await page.getByRole('heading', { level: 1, name: 'Add a supplier' }).waitFor()
  await admin.audit()
  await page.getByLabel('Name', { exact: true }).fill(supplierName)
  await page.getByLabel('Companies House number (optional)').fill('01234567')
  await page.getByLabel('Contact email address').fill('security@acme.example')
  const posted = page.waitForRequest((request) => request.method() === 'POST' && request.url().endsWith('/admin/suppliers/new'))
  await page.getByRole('button', { name: 'Add supplier' }).click()
  await page.getByRole('heading', { level: 1, name: supplierName }).waitFor()
  await admin.audit()
  await page.getByText(`${supplierName} has been added`).waitFor()
  supplierId = page.url().split('/').pop()!

  // The same form again (same idempotency_key and CSRF token), as a double click or a retry would.
  const request = await posted
  const replay = await page.request.post(request.url(), {
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    data: request.postData() ?? '',
    maxRedirects: 0,
  })
  assert.equal(replay.status(), 303)
  assert.equal(replay.headers().location, `/admin/suppliers/${supplierId}`)
  const named = (await allSuppliers()).filter((supplier) => supplier.name === supplierName)
  assert.equal(named.length, 1, 'one supplier, however often the form is sent')
  assert.equal(named[0].id, supplierId)
  assert.equal(named[0].companies_house_number, '01234567')

  await admin.goto('/admin/suppliers')
  await page.getByRole('link', { name: supplierName }).waitFor()
})

test('the admin changes a supplier, and a change made meanwhile by someone else wins', async () => {
  const { page } = admin
  await admin.goto(`/admin/suppliers/${supplierId}`)
  await page.getByRole('button', { name: 'Change details' }).click()
  await page.getByRole('heading', { level: 1, name: 'Change the supplier’s details' }).waitFor()
  await admin.audit()
  await page.getByLabel('Contact email address').fill('not an address')
  await page.getByRole('button', { name: 'Save changes' }).click()
  await page.getByRole('heading', { name: 'There is a problem' }).waitFor()
  await admin.audit()
  await page.getByRole('link', { name: /Enter a contact email address in the correct format/ }).click()
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'contact_email')
  await page.getByLabel('Contact email address').fill('assurance@acme.example')
  await page.getByRole('button', { name: 'Save changes' }).click()
  await page.getByRole('heading', { level: 1, name: supplierName }).waitFor()
  await admin.audit()
  await page.getByText('assurance@acme.example').waitFor()
  const changed = await unwrap(world.stack.admin.GET('/suppliers/{id}', { params: { path: { id: supplierId } } }))
  assert.equal(changed.contact_email, 'assurance@acme.example')

  // Someone else changes it after the form was opened: the form's change is refused, nothing lost.
  await page.getByRole('button', { name: 'Change details' }).click()
  await page.getByRole('heading', { level: 1, name: 'Change the supplier’s details' }).waitFor()
  await admin.audit()
  const current = await world.stack.admin.GET('/suppliers/{id}', { params: { path: { id: supplierId } } })
  await unwrap(
    world.stack.admin.PATCH('/suppliers/{id}', {
      params: { path: { id: supplierId }, header: { 'If-Match': current.response.headers.get('ETag') ?? '' } },
      body: { contact_email: 'elsewhere@acme.example' },
    }),
  )
  await page.getByLabel('Name', { exact: true }).fill('Acme Renamed Ltd')
  await page.getByRole('button', { name: 'Save changes' }).click()
  await page.getByRole('heading', { level: 1, name: 'Someone else changed this supplier first' }).waitFor()
  await admin.audit()
  const after = await unwrap(world.stack.admin.GET('/suppliers/{id}', { params: { path: { id: supplierId } } }))
  assert.equal(after.name, supplierName, 'the stale form changed nothing')
  assert.equal(after.contact_email, 'elsewhere@acme.example')
  await page.getByRole('link', { name: 'Go to the supplier’s current details' }).click()
  await page.getByRole('heading', { level: 1, name: supplierName }).waitFor()
  await admin.audit()
  assert.equal(
    await page.getByRole('link', { name: `View ${supplierName}’s assurance status` }).getAttribute('href'),
    `/suppliers/${supplierId}`,
  )
})

test('the admin offboards a supplier and makes it active again', async () => {
  const { page } = admin
  const id = await makeSupplier(world.stack, 'Leaving Ltd')
  await admin.goto(`/admin/suppliers/${id}`)
  await page.getByRole('button', { name: 'Offboard supplier' }).click()
  await page.getByRole('heading', { level: 1, name: 'Offboard Leaving Ltd?' }).waitFor()
  await admin.audit()
  await page.getByRole('button', { name: 'Offboard supplier' }).click()
  await page.getByText('Leaving Ltd has been offboarded').waitFor()
  await admin.audit()
  assert.equal((await unwrap(world.stack.admin.GET('/suppliers/{id}', { params: { path: { id } } }))).state, 'offboarded')
  await page.getByRole('button', { name: 'Make supplier active' }).click()
  await page.getByRole('heading', { level: 1, name: 'Make Leaving Ltd active again?' }).waitFor()
  await admin.audit()
  await page.getByRole('button', { name: 'Make supplier active' }).click()
  await page.getByText('Leaving Ltd is active again').waitFor()
  await admin.audit()
  assert.equal((await unwrap(world.stack.admin.GET('/suppliers/{id}', { params: { path: { id } } }))).state, 'active')
})

test('a bad e-mail and a missing supplier are shown at their fields, and nothing is made', async () => {
  const { page } = admin
  const before = (await allUsers()).length
  await page.getByRole('navigation').getByRole('link', { name: 'Users' }).click()
  await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor()
  await admin.audit()
  await page.getByRole('button', { name: 'Add a user' }).click()
  await page.getByRole('heading', { level: 1, name: 'Add a user' }).waitFor()
  await admin.audit()
  await page.getByLabel('Full name').fill(supplierUserName)
  await page.getByLabel('Email address').fill('sam-at-acme')
  await page.getByRole('radio', { name: 'Supplier', exact: true }).check()
  await page.getByRole('button', { name: 'Add user' }).click()
  await page.getByRole('heading', { name: 'There is a problem' }).waitFor()
  await admin.audit()
  const summary = page.getByRole('alert')
  await summary.getByRole('link', { name: /Enter an email address in the correct format/ }).waitFor()
  await summary.getByRole('link', { name: 'Select the supplier this user works for' }).click()
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'supplier_id')
  // The messages sit at their fields too, and what was typed is kept.
  assert.match((await page.getByLabel('Email address').getAttribute('aria-describedby')) ?? '', /email-error/)
  assert.equal(await page.getByLabel('Email address').inputValue(), 'sam-at-acme')
  assert.ok(await page.getByRole('radio', { name: 'Supplier', exact: true }).isChecked())
  assert.equal((await allUsers()).length, before, 'nothing was made')
})

test('the admin adds a supplier user and an assessor with a conflict of interest', async () => {
  const { page } = admin
  // Continues the refused form: correct it and send it again.
  await page.getByLabel('Email address').fill('sam@acme.example')
  await page.getByLabel('Supplier (supplier users only)').selectOption({ label: supplierName })
  await page.getByRole('button', { name: 'Add user' }).click()
  await page.getByRole('heading', { level: 1, name: supplierUserName }).waitFor()
  await admin.audit()
  await page.getByText(`${supplierUserName} has been added`).waitFor()
  supplierUserId = page.url().split('/').pop()!
  const samUser = await unwrap(world.stack.admin.GET('/users/{id}', { params: { path: { id: supplierUserId } } }))
  assert.equal(samUser.role, 'supplier')
  assert.equal(samUser.supplier_id, supplierId)

  // From the supplier's page, the supplier comes already chosen; an assessor must not have one.
  await admin.goto(`/admin/suppliers/${supplierId}`)
  await page.getByRole('link', { name: `Add a user for ${supplierName}` }).click()
  await page.getByRole('heading', { level: 1, name: 'Add a user' }).waitFor()
  await admin.audit()
  await page.getByLabel('Full name').fill(assessorName)
  await page.getByLabel('Email address').fill('asha@assurance.gov.uk')
  await page.getByRole('radio', { name: 'Assessor' }).check()
  await page.getByRole('group', { name: /Conflicts of interest/ }).getByLabel(supplierName).check()
  await page.getByRole('button', { name: 'Add user' }).click()
  await page.getByRole('heading', { name: 'There is a problem' }).waitFor()
  await admin.audit()
  await page.getByRole('alert').getByRole('link', { name: /Only a supplier user works for a supplier/ }).waitFor()
  await page.getByLabel('Supplier (supplier users only)').selectOption({ label: 'No supplier' })
  assert.ok(await page.getByRole('group', { name: /Conflicts of interest/ }).getByLabel(supplierName).isChecked())
  await page.getByRole('button', { name: 'Add user' }).click()
  await page.getByRole('heading', { level: 1, name: assessorName }).waitFor()
  await admin.audit()
  assessorId = page.url().split('/').pop()!
  await page.getByText('Signed in as UI test admin').waitFor()
  const asha = await unwrap(world.stack.admin.GET('/users/{id}', { params: { path: { id: assessorId } } }))
  assert.equal(asha.role, 'assessor')
  assert.deepEqual(asha.conflicts, [supplierId])
  await page.getByRole('link', { name: supplierName }).waitFor()

  await admin.goto('/admin/users')
  await screenshot(admin.page, 'admin-users')
  await page.getByRole('link', { name: supplierUserName }).waitFor()
  await page.getByRole('link', { name: assessorName }).waitFor()
})

test('the admin changes a user’s details', async () => {
  const { page } = admin
  await admin.goto(`/admin/users/${assessorId}`)
  await page.getByRole('button', { name: 'Change details' }).click()
  await page.getByRole('heading', { level: 1, name: 'Change the user’s details' }).waitFor()
  await admin.audit()
  await page.getByLabel('Email address').fill('asha.assessor@assurance.gov.uk')
  await page.getByRole('button', { name: 'Save changes' }).click()
  await page.getByRole('heading', { level: 1, name: assessorName }).waitFor()
  await admin.audit()
  const asha = await unwrap(world.stack.admin.GET('/users/{id}', { params: { path: { id: assessorId } } }))
  assert.equal(asha.email, 'asha.assessor@assurance.gov.uk')
  assert.deepEqual(asha.conflicts, [supplierId], 'the conflicts were kept')
})

test('a new token’s secret leaves the session when its page is not the next one opened', async () => {
  const { page } = admin
  const person = await makePerson(world.stack, 'procurement', 'Tom Tokenless')
  await admin.goto(`/admin/users/${person.userId}/tokens/new`)
  const form = {
    _csrf: await page.locator('#main-content input[name="_csrf"]').inputValue(),
    idempotency_key: await page.locator('#main-content input[name="idempotency_key"]').inputValue(),
    name: 'Never shown',
  }
  const made = await page.request.post(`/admin/users/${person.userId}/tokens/new`, { form, maxRedirects: 0 })
  assert.equal(made.status(), 303)
  const stored = async () => (await world.stack.sql('SELECT sess::text AS sess FROM ui.session')).rows.map((row) => String(row.sess))
  assert.ok((await stored()).some((sess) => sess.includes('adminIssuedToken')), 'waiting for its page')
  await admin.goto('/portfolio')
  assert.ok(!(await stored()).some((sess) => sess.includes('adminIssuedToken')), 'dropped by another page')
})

test('a new token is shown once, signs its user in, and once revoked ends their session', async () => {
  const { page } = admin
  await admin.goto(`/admin/users/${supplierUserId}`)
  await page.getByRole('button', { name: 'Create a token' }).click()
  await page.getByRole('heading', { level: 1, name: 'Create an API token' }).waitFor()
  await admin.audit()
  await page.getByLabel('Token name').fill('Laptop')
  const posted = page.waitForRequest((request) => request.method() === 'POST' && request.url().endsWith('/tokens/new'))
  await page.getByRole('button', { name: 'Create token' }).click()
  await page.getByRole('heading', { level: 1, name: 'API token created' }).waitFor()
  await admin.audit()
  await page.getByText(/It is shown only this once/).waitFor()
  const secret = await page.getByLabel(`API token for ${supplierUserName}`).inputValue()
  assert.match(secret, /^coco_[A-Za-z0-9_-]{43}$/)
  await page.getByText('Signed in as UI test admin').waitFor()

  // Reloading shows it no more.
  await page.reload()
  await page.getByRole('heading', { level: 1, name: 'This token’s secret cannot be shown again' }).waitFor()
  await admin.audit()
  assert.ok(!(await page.content()).includes(secret))

  // The same form sent again makes no second token, and shows no secret.
  const request = await posted
  const replay = await page.request.post(request.url(), {
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    data: request.postData() ?? '',
    maxRedirects: 0,
  })
  assert.equal(replay.status(), 303)
  assert.equal(replay.headers().location, `/admin/users/${supplierUserId}`)
  const tokens = await unwrap(world.stack.admin.GET('/tokens', { params: { query: { user_id: supplierUserId } } }))
  assert.deepEqual(tokens.items.map((token) => token.name), ['Laptop'])
  await admin.goto(`/admin/users/${supplierUserId}`)
  await page.getByText('That token was already created').waitFor()
  assert.ok(!(await page.content()).includes(secret))

  // Its user signs in with it, in a browser of their own.
  const sam = await world.openVisitor()
  await sam.signIn(secret)
  await sam.page.getByRole('heading', { level: 1, name: 'Home' }).waitFor()
  await sam.page.getByText(`Signed in as ${supplierUserName}`).waitFor()

  // The admin revokes it; Sam's next page sends them to sign in.
  await page.getByRole('link', { name: 'Revoke the token Laptop' }).click()
  await page.getByRole('heading', { level: 1, name: 'Revoke the token ‘Laptop’?' }).waitFor()
  await admin.audit()
  await page.getByRole('button', { name: 'Revoke token' }).click()
  await page.getByText('The token has been revoked').waitFor()
  await admin.audit()
  assert.equal(await page.getByRole('row', { name: /Laptop/ }).getByText('Not revoked').count(), 0)
  assert.equal(await page.getByRole('link', { name: 'Revoke the token Laptop' }).count(), 0)

  // The front end checks a token at sign-in, then learns of a revocation from the API's 401 on
  // the next call: any page that calls the API will do.
  await sam.goto('/admin/suppliers')
  assert.match(sam.page.url(), /\/sign-in/)
  await sam.page.getByText(/no longer accepted/).waitFor()
  sam.assertEveryPageAudited()
  await sam.close()
})

test('a token with an expiry date the API refuses is shown at the date', async () => {
  const { page } = admin
  await admin.goto(`/admin/users/${supplierUserId}/tokens/new`)
  await page.getByLabel('Token name').fill('Far future')
  const nextYears = new Date().getUTCFullYear() + 3
  await page.getByLabel('Day').fill('1')
  await page.getByLabel('Month').fill('1')
  await page.getByLabel('Year').fill(String(nextYears))
  await page.getByRole('button', { name: 'Create token' }).click()
  await page.getByRole('heading', { name: 'There is a problem' }).waitFor()
  await admin.audit()
  await page.getByRole('link', { name: 'The expiry date must be in the future and within a year' }).click()
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'expires_at-day')
  const tokens = await unwrap(world.stack.admin.GET('/tokens', { params: { query: { user_id: supplierUserId } } }))
  assert.equal(tokens.items.length, 1, 'no token was made')
})

test('the admin disables a user after confirming', async () => {
  const { page } = admin
  await admin.goto(`/admin/users/${assessorId}`)
  await page.getByRole('button', { name: 'Disable user' }).click()
  await page.getByRole('heading', { level: 1, name: `Disable ${assessorName}?` }).waitFor()
  await admin.audit()
  await page.getByRole('button', { name: 'Disable user' }).click()
  await page.getByText(`${assessorName} has been disabled`).waitFor()
  await admin.audit()
  await page.getByText('Disabled', { exact: true }).waitFor()
  assert.equal(await page.getByRole('button', { name: 'Disable user' }).count(), 0)
  const asha = await unwrap(world.stack.admin.GET('/users/{id}', { params: { path: { id: assessorId } } }))
  assert.equal(asha.state, 'disabled')
})

test('the supplier list pages with the API’s cursor', async () => {
  const { page } = admin
  const have = (await allSuppliers()).length
  for (let i = have; i < 27; i++) await makeSupplier(world.stack, `Paged Supplier ${String.fromCharCode(65 + i)}`)
  await admin.goto('/admin/suppliers')
  assert.equal(await page.getByRole('table').getByRole('row').count(), 26, 'a header and 25 suppliers')
  await page.getByRole('link', { name: /Next page/ }).click()
  await page.getByRole('heading', { level: 1, name: 'Suppliers' }).waitFor()
  await admin.audit()
  assert.equal(await page.getByRole('table').getByRole('row').count(), 3, 'a header and the other 2')
  await page.getByRole('link', { name: /First page/ }).click()
  await page.getByRole('heading', { level: 1, name: 'Suppliers' }).waitFor()
  await admin.audit()
  await page.getByRole('link', { name: supplierName }).waitFor()
  admin.assertEveryPageAudited()
})

test('someone who is not an admin is refused the admin pages by the API', async () => {
  const pat = await makePerson(world.stack, 'procurement', 'Pat Procurement')
  const visitor = await world.openVisitor()
  const { page } = visitor
  await visitor.signIn(pat.token)
  await page.getByRole('heading', { level: 1, name: 'Home' }).waitFor()
  const response = await page.goto('/admin/users')
  assert.equal(response?.status(), 403)
  await page.getByRole('heading', { level: 1, name: 'You do not have permission to do this' }).waitFor()
  await visitor.audit()
  await visitor.goto('/admin/users/new')
  await page.getByRole('heading', { level: 1, name: 'Add a user' }).waitFor()
  await page.getByLabel('Full name').fill('Sneaky Admin')
  await page.getByLabel('Email address').fill('sneaky@example.gov.uk')
  await page.getByRole('radio', { name: 'Admin' }).check()
  await page.getByRole('button', { name: 'Add user' }).click()
  await page.getByRole('heading', { level: 1, name: 'You do not have permission to do this' }).waitFor()
  await visitor.audit()
  assert.equal((await allUsers()).filter((user) => user.name === 'Sneaky Admin').length, 0)
  visitor.assertEveryPageAudited()
  await visitor.close()
})
