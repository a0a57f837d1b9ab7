// Signing in and out, and the refusals around it.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { makePerson, makeSupplier, useStack } from './harness.js'

const world = useStack()

test('a newcomer signs in with the admin token, sees home, and signs out', async () => {
  const visitor = await world.openVisitor()
  const { page } = visitor
  await visitor.goto('/')
  assert.match(page.url(), /\/sign-in/)
  await visitor.signIn(world.stack.adminToken)
  await page.getByRole('heading', { level: 1, name: 'Home' }).waitFor()
  assert.ok(await page.getByText('Signed in as UI test admin').isVisible())
  const rows = await world.stack.sql('SELECT sess::text AS sess FROM ui.session')
  assert.ok(rows.rows.length > 0, 'the session is kept server side')
  for (const row of rows.rows) {
    assert.ok(!String(row.sess).includes(world.stack.adminToken), 'the API token is sealed in the session table')
  }
  await page.getByRole('button', { name: 'Sign out' }).click()
  await page.getByRole('heading', { name: 'Sign in' }).waitFor()
  await visitor.audit()
  await visitor.goto('/')
  assert.match(page.url(), /\/sign-in/, 'signing out ends the session')
  visitor.assertEveryPageAudited()
  await visitor.close()
})

test('a wrong token is refused at its field and no session is made', async () => {
  const visitor = await world.openVisitor()
  const { page } = visitor
  await visitor.signIn('not-a-token')
  await page.getByRole('heading', { name: 'There is a problem' }).waitFor()
  const link = page.getByRole('link', { name: /The token was not accepted/ })
  await link.click()
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'token')
  await visitor.goto('/')
  assert.match(page.url(), /\/sign-in/)
  visitor.assertEveryPageAudited()
  await visitor.close()
})

test('a token revoked after sign-in ends the session with a clear page', async () => {
  const supplierId = await makeSupplier(world.stack, 'Revoked Ltd')
  const person = await makePerson(world.stack, 'supplier', 'Rita Revoked', supplierId)
  const visitor = await world.openVisitor()
  const { page } = visitor
  await visitor.signIn(person.token)
  await page.getByRole('heading', { level: 1, name: 'Home' }).waitFor()
  const revoked = await world.stack.admin.DELETE('/tokens/{id}', { params: { path: { id: person.tokenId } } })
  assert.equal(revoked.response.status, 204)
  await visitor.goto('/services')
  assert.match(page.url(), /\/sign-in/)
  assert.ok(await page.getByText(/no longer accepted/).isVisible())
  visitor.assertEveryPageAudited()
  await visitor.close()
})

test('an expired session sends the user to sign in again, and a stale form changes nothing', async () => {
  const visitor = await world.openVisitor()
  const { page } = visitor
  await visitor.signIn(world.stack.adminToken)
  await page.getByRole('heading', { level: 1, name: 'Home' }).waitFor()
  await world.stack.sql(`UPDATE ui.session SET expire = now() - interval '1 minute'`)
  await visitor.goto('/')
  assert.match(page.url(), /\/sign-in/)
  assert.ok(await page.getByText('Your session has ended. Sign in again.').isVisible())
  visitor.assertEveryPageAudited()
  await visitor.close()
})

test('the pages carry a strict CSP with a nonce, and the session cookie is HttpOnly and SameSite', async () => {
  const response = await fetch(`${world.stack.uiUrl}/sign-in`)
  const csp = response.headers.get('content-security-policy') ?? ''
  assert.match(csp, /script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/)
  assert.doesNotMatch(csp, /unsafe-inline/)
  const cookie = response.headers.get('set-cookie') ?? ''
  assert.match(cookie, /HttpOnly/)
  assert.match(cookie, /SameSite=Lax/)
  assert.equal(response.headers.get('cache-control'), 'no-store')
  const forged = await fetch(`${world.stack.uiUrl}/sign-in`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: `token=${encodeURIComponent(world.stack.adminToken)}`,
    redirect: 'manual',
  })
  assert.equal(forged.status, 403, 'a form without its CSRF token is refused')
})

test('the accessibility check fails on a page with a WCAG violation', async () => {
  const visitor = await world.openVisitor()
  await visitor.page.route('**/broken', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: '<!DOCTYPE html><html><head><title>Broken</title></head><body><main><img src="/x.png"><input type="text"></main></body></html>',
    }),
  )
  await visitor.page.goto('/broken')
  await assert.rejects(visitor.audit(), /image-alt.*label|label.*image-alt/s)
  await visitor.close()
})

test('a form too large to read gets a page in plain words, not an error', async () => {
  const response = await fetch(`${world.stack.uiUrl}/sign-in`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: `token=${'x'.repeat(300 * 1024)}`,
  })
  assert.equal(response.status, 413)
  assert.match(await response.text(), /The form could not be read/)
})
