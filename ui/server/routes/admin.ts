// The admin journeys: suppliers (add, change, offboard), users (add with a role, a supplier or
// conflicts of interest, change, disable) and their API tokens (create, shown once; revoke).
// Every change is an API call with the admin's token; the API decides what is allowed and what is
// valid, and its 422 is shown at the form's fields.
import { Router, type NextFunction, type Request, type Response } from 'express'
import type { RouteContext } from './index.js'
import { adminErrors, keyForRetry, supplierNames } from '../adminHelpers.js'
import { ApiError, isApiError, unwrap, withEtag, type Schemas } from '../data/cocoApi.js'
import { isUuid } from '../data/ids.js'
import { allPages, allSuppliers } from '../data/lists.js'
import { datePartsOf, isBlank, isoOf, isRealDate, linkDatesToDay, type DateParts } from '../dateInput.js'
import { changedFirstPage, notFound, singleError, type ErrorView } from '../errors.js'
import { accountStateTag } from '../format.js'
import { idempotencyKeyOf, ifMatchOf, list, trimmed } from '../forms.js'
import { addFlash } from '../middleware/auth.js'
import { openSecret, sealSecret } from '../session.js'
import { roleLabel, roles } from '../wording.js'

const pageSize = 25

// Home: where the admin's work starts.
export async function adminHome(_res: Response): Promise<Record<string, unknown>> {
  return {}
}

// A stale If-Match: someone changed the thing since the form was loaded. Nothing changed.
const staleChange = changedFirstPage('pages/admin/changed-first')

// Cursor paging links: the API gives a cursor to the next page only.
function pagination(base: string, cursor: string | undefined, next: string | null | undefined) {
  return {
    previous: cursor ? { href: base, text: 'First page' } : undefined,
    next: next ? { href: `${base}?cursor=${encodeURIComponent(next)}`, text: 'Next page' } : undefined,
  }
}

function cursorOf(req: Request): string | undefined {
  const cursor = req.query.cursor
  return typeof cursor === 'string' && cursor !== '' ? cursor : undefined
}

// ---- suppliers ---------------------------------------------------------------------------

interface SupplierForm {
  name: string
  companies_house_number: string
  contact_email: string
}

function supplierFormOf(body: unknown): SupplierForm {
  return {
    name: trimmed(body, 'name'),
    companies_house_number: trimmed(body, 'companies_house_number'),
    contact_email: trimmed(body, 'contact_email'),
  }
}

function supplierRoutes(router: Router): void {
  router.get('/admin/suppliers', async (req, res) => {
    const cursor = cursorOf(req)
    const page = await unwrap(res.locals.api.GET('/suppliers', { params: { query: { limit: pageSize, cursor } } }))
    res.render('pages/admin/suppliers', {
      title: 'Suppliers',
      suppliers: page.items.map((supplier) => ({ ...supplier, tag: accountStateTag(supplier.state) })),
      pagination: pagination('/admin/suppliers', cursor, page.next_cursor),
    })
  })

  const renderNewSupplier = (res: Response, values: Partial<SupplierForm>, errors?: ErrorView, key?: string) =>
    res.status(errors ? 422 : 200).render('pages/admin/supplier-new', {
      title: 'Add a supplier',
      values,
      errors,
      ...(key ? { idempotencyKey: key } : {}),
    })

  router.get('/admin/suppliers/new', (_req, res) => {
    renderNewSupplier(res, {})
  })

  router.post('/admin/suppliers/new', async (req, res) => {
    const values = supplierFormOf(req.body)
    const key = idempotencyKeyOf(req.body)
    const body: Schemas['NewSupplier'] = { name: values.name, contact_email: values.contact_email }
    if (values.companies_house_number !== '') body.companies_house_number = values.companies_house_number
    try {
      const supplier = await unwrap(
        res.locals.api.POST('/suppliers', { params: { header: { 'Idempotency-Key': key } }, body }),
      )
      addFlash(req, `${supplier.name} has been added`)
      res.redirect(303, `/admin/suppliers/${supplier.id}`)
    } catch (error) {
      if (!isApiError(error, 422)) throw error
      renderNewSupplier(res, values, adminErrors(error.problem), keyForRetry(error.problem, key))
    }
  })

  router.get('/admin/suppliers/:id', async (req, res) => {
    if (!isUuid(req.params.id)) return notFound(res)
    const supplier = await unwrap(res.locals.api.GET('/suppliers/{id}', { params: { path: { id: req.params.id } } }))
    res.render('pages/admin/supplier', { title: supplier.name, supplier, tag: accountStateTag(supplier.state) })
  })

  const renderEditSupplier = (
    res: Response,
    supplier: Schemas['Supplier'],
    etag: string,
    values: Partial<SupplierForm>,
    errors?: ErrorView,
  ) =>
    res.status(errors ? 422 : 200).render('pages/admin/supplier-edit', {
      title: `Change ${supplier.name}’s details`,
      supplier,
      etag,
      values,
      errors,
    })

  router.get('/admin/suppliers/:id/edit', async (req, res) => {
    if (!isUuid(req.params.id)) return notFound(res)
    const { data: supplier, etag } = await withEtag(
      res.locals.api.GET('/suppliers/{id}', { params: { path: { id: req.params.id } } }),
    )
    renderEditSupplier(res, supplier, etag, {
      name: supplier.name,
      companies_house_number: supplier.companies_house_number ?? '',
      contact_email: supplier.contact_email,
    })
  })

  router.post('/admin/suppliers/:id/edit', async (req, res) => {
    const id = req.params.id
    if (!isUuid(id)) return notFound(res)
    const values = supplierFormOf(req.body)
    const etag = trimmed(req.body, 'etag')
    try {
      const supplier = await unwrap(
        res.locals.api.PATCH('/suppliers/{id}', {
          params: { path: { id }, header: ifMatchOf(req.body) },
          body: {
            name: values.name,
            contact_email: values.contact_email,
            companies_house_number: values.companies_house_number === '' ? null : values.companies_house_number,
          },
        }),
      )
      addFlash(req, `${supplier.name}’s details have been changed`)
      res.redirect(303, `/admin/suppliers/${id}`)
    } catch (error) {
      if (isApiError(error, 412)) {
        return staleChange(res, 'supplier', `/admin/suppliers/${id}`, 'Go to the supplier’s current details')
      }
      if (!isApiError(error, 422)) throw error
      const supplier = await unwrap(res.locals.api.GET('/suppliers/{id}', { params: { path: { id } } }))
      renderEditSupplier(res, supplier, etag, values, adminErrors(error.problem))
    }
  })

  // Offboarding, and making an offboarded supplier active again: a confirmation, then a PATCH of
  // its state with the ETag read on the confirmation page.
  const stateChanges = {
    offboard: {
      state: 'offboarded' as const,
      title: (name: string) => `Offboard ${name}?`,
      button: 'Offboard supplier',
      done: (name: string) => `${name} has been offboarded`,
    },
    reactivate: {
      state: 'active' as const,
      title: (name: string) => `Make ${name} active again?`,
      button: 'Make supplier active',
      done: (name: string) => `${name} is active again`,
    },
  }
  for (const [action, change] of Object.entries(stateChanges)) {
    router.get(`/admin/suppliers/:id/${action}`, async (req, res) => {
      if (!isUuid(req.params.id)) return notFound(res)
      const { data: supplier, etag } = await withEtag(
        res.locals.api.GET('/suppliers/{id}', { params: { path: { id: req.params.id } } }),
      )
      res.render('pages/admin/supplier-state', {
        title: change.title(supplier.name),
        action,
        button: change.button,
        supplier,
        etag,
      })
    })

    router.post(`/admin/suppliers/:id/${action}`, async (req, res) => {
      const id = req.params.id
      if (!isUuid(id)) return notFound(res)
      try {
        const supplier = await unwrap(
          res.locals.api.PATCH('/suppliers/{id}', {
            params: { path: { id }, header: ifMatchOf(req.body) },
            body: { state: change.state },
          }),
        )
        addFlash(req, change.done(supplier.name))
        res.redirect(303, `/admin/suppliers/${id}`)
      } catch (error) {
        if (isApiError(error, 412)) {
          return staleChange(res, 'supplier', `/admin/suppliers/${id}`, 'Go to the supplier’s current details')
        }
        throw error
      }
    })
  }
}

// ---- users -------------------------------------------------------------------------------
// In a view, `user` is the signed-in user (the layout shows it), so the user a page is about is
// passed as `person`.

interface UserForm {
  name: string
  email: string
  role: string
  supplier_id: string
  conflicts: string[]
}

function userFormOf(body: unknown): UserForm {
  return {
    name: trimmed(body, 'name'),
    email: trimmed(body, 'email'),
    role: trimmed(body, 'role'),
    supplier_id: trimmed(body, 'supplier_id'),
    conflicts: list(body, 'conflicts'),
  }
}

function supplierChoices(suppliers: Schemas['Supplier'][]) {
  return suppliers.map((supplier) => ({
    id: supplier.id,
    text: supplier.state === 'active' ? supplier.name : `${supplier.name} (${accountStateTag(supplier.state).text.toLowerCase()})`,
  }))
}

function userRoutes(router: Router): void {
  router.get('/admin/users', async (req, res) => {
    const cursor = cursorOf(req)
    const [page, suppliers] = await Promise.all([
      unwrap(res.locals.api.GET('/users', { params: { query: { limit: pageSize, cursor } } })),
      allSuppliers(res.locals.api),
    ])
    const names = supplierNames(suppliers)
    res.render('pages/admin/users', {
      title: 'Users',
      people: page.items.map((user) => ({
        ...user,
        roleLabel: roleLabel(user.role),
        supplierName: user.supplier_id ? (names[user.supplier_id] ?? '') : '',
        tag: accountStateTag(user.state),
      })),
      pagination: pagination('/admin/users', cursor, page.next_cursor),
    })
  })

  const renderNewUser = async (
    res: Response,
    values: Partial<UserForm>,
    errors?: ErrorView,
    key?: string,
  ): Promise<void> => {
    const suppliers = await allSuppliers(res.locals.api)
    res.status(errors ? 422 : 200).render('pages/admin/user-new', {
      title: 'Add a user',
      values,
      roles,
      suppliers: supplierChoices(suppliers),
      errors,
      ...(key ? { idempotencyKey: key } : {}),
    })
  }

  router.get('/admin/users/new', async (req, res) => {
    const supplierId = typeof req.query.supplier_id === 'string' && isUuid(req.query.supplier_id) ? req.query.supplier_id : ''
    await renderNewUser(res, supplierId ? { supplier_id: supplierId, role: 'supplier' } : {})
  })

  router.post('/admin/users/new', async (req, res) => {
    const values = userFormOf(req.body)
    const key = idempotencyKeyOf(req.body)
    // What the form says, as it says it: which combinations are valid is the API's call.
    const body = {
      name: values.name,
      email: values.email,
      role: values.role,
      ...(values.supplier_id !== '' ? { supplier_id: values.supplier_id } : {}),
      ...(values.conflicts.length > 0 ? { conflicts: values.conflicts } : {}),
    } as Schemas['NewUser']
    try {
      const user = await unwrap(
        res.locals.api.POST('/users', { params: { header: { 'Idempotency-Key': key } }, body }),
      )
      addFlash(req, `${user.name} has been added`)
      res.redirect(303, `/admin/users/${user.id}`)
    } catch (error) {
      if (!isApiError(error, 422)) throw error
      await renderNewUser(res, values, adminErrors(error.problem), keyForRetry(error.problem, key))
    }
  })

  router.get('/admin/users/:id', async (req, res) => {
    const id = req.params.id
    if (!isUuid(id)) return notFound(res)
    const cursor = cursorOf(req)
    const [user, tokens, suppliers] = await Promise.all([
      unwrap(res.locals.api.GET('/users/{id}', { params: { path: { id } } })),
      unwrap(res.locals.api.GET('/tokens', { params: { query: { user_id: id, limit: pageSize, cursor } } })),
      allSuppliers(res.locals.api),
    ])
    const names = supplierNames(suppliers)
    res.render('pages/admin/user', {
      title: user.name,
      person: user,
      roleLabel: roleLabel(user.role),
      tag: accountStateTag(user.state),
      supplierName: user.supplier_id ? (names[user.supplier_id] ?? user.supplier_id) : '',
      conflicts: user.conflicts.map((supplierId) => ({ id: supplierId, name: names[supplierId] ?? supplierId })),
      tokens: tokens.items,
      pagination: pagination(`/admin/users/${id}`, cursor, tokens.next_cursor),
    })
  })

  const renderEditUser = async (
    res: Response,
    user: Schemas['User'],
    etag: string,
    values: Partial<UserForm>,
    errors?: ErrorView,
  ): Promise<void> => {
    const suppliers = await allSuppliers(res.locals.api)
    res.status(errors ? 422 : 200).render('pages/admin/user-edit', {
      title: `Change ${user.name}’s details`,
      person: user,
      roleLabel: roleLabel(user.role),
      etag,
      values,
      suppliers: supplierChoices(suppliers),
      errors,
    })
  }

  router.get('/admin/users/:id/edit', async (req, res) => {
    if (!isUuid(req.params.id)) return notFound(res)
    const { data: user, etag } = await withEtag(
      res.locals.api.GET('/users/{id}', { params: { path: { id: req.params.id } } }),
    )
    await renderEditUser(res, user, etag, { name: user.name, email: user.email ?? '', conflicts: user.conflicts })
  })

  router.post('/admin/users/:id/edit', async (req, res) => {
    const id = req.params.id
    if (!isUuid(id)) return notFound(res)
    const values = userFormOf(req.body)
    const etag = trimmed(req.body, 'etag')
    // Only what the form changes goes in the PATCH (the API records each field it is sent).
    const current = await unwrap(res.locals.api.GET('/users/{id}', { params: { path: { id } } }))
    const email = values.email === '' ? null : values.email
    const body: Schemas['UserPatch'] = {}
    if (values.name !== current.name) body.name = values.name
    if (email !== current.email) body.email = email
    const sameConflicts =
      values.conflicts.length === current.conflicts.length &&
      values.conflicts.every((supplierId) => current.conflicts.includes(supplierId))
    if (!sameConflicts) body.conflicts = values.conflicts
    if (Object.keys(body).length === 0) {
      addFlash(req, 'Nothing was changed')
      return res.redirect(303, `/admin/users/${id}`)
    }
    try {
      const user = await unwrap(
        res.locals.api.PATCH('/users/{id}', { params: { path: { id }, header: ifMatchOf(req.body) }, body }),
      )
      addFlash(req, `${user.name}’s details have been changed`)
      res.redirect(303, `/admin/users/${id}`)
    } catch (error) {
      if (isApiError(error, 412)) {
        return staleChange(res, 'user', `/admin/users/${id}`, 'Go to the user’s current details')
      }
      if (!isApiError(error, 422)) throw error
      await renderEditUser(res, current, etag, values, adminErrors(error.problem))
    }
  })

  router.get('/admin/users/:id/disable', async (req, res) => {
    if (!isUuid(req.params.id)) return notFound(res)
    const user = await unwrap(res.locals.api.GET('/users/{id}', { params: { path: { id: req.params.id } } }))
    res.render('pages/admin/user-disable', { title: `Disable ${user.name}?`, person: user })
  })

  router.post('/admin/users/:id/disable', async (req, res) => {
    const id = req.params.id
    if (!isUuid(id)) return notFound(res)
    const user = await unwrap(res.locals.api.POST('/users/{id}/disable', { params: { path: { id } } }))
    addFlash(req, `${user.name} has been disabled: their API tokens no longer work`)
    res.redirect(303, `/admin/users/${id}`)
  })
}

// ---- tokens ------------------------------------------------------------------------------

interface TokenForm {
  name: string
  expires_at: DateParts
}

function tokenFormOf(body: unknown): TokenForm {
  return { name: trimmed(body, 'name'), expires_at: datePartsOf(body, 'expires_at') }
}

// A user's token, found among all of theirs (the API has no GET /tokens/{id}).
async function findToken(res: Response, userId: string, tokenId: string): Promise<Schemas['Token'] | undefined> {
  const tokens = await allPages((cursor) =>
    unwrap(res.locals.api.GET('/tokens', { params: { query: { user_id: userId, limit: 200, cursor } } })),
  )
  return tokens.find((item) => item.id === tokenId)
}

function tokenRoutes(router: Router, sessionSecret: string): void {
  const renderNewToken = (
    res: Response,
    user: Schemas['User'],
    values: Partial<TokenForm>,
    errors?: ErrorView,
    key?: string,
  ) =>
    res.status(errors ? 422 : 200).render('pages/admin/token-new', {
      title: `Create an API token for ${user.name}`,
      person: user,
      values,
      errors,
      ...(key ? { idempotencyKey: key } : {}),
    })

  router.get('/admin/users/:id/tokens/new', async (req, res) => {
    if (!isUuid(req.params.id)) return notFound(res)
    const user = await unwrap(res.locals.api.GET('/users/{id}', { params: { path: { id: req.params.id } } }))
    renderNewToken(res, user, {})
  })

  router.post('/admin/users/:id/tokens/new', async (req, res) => {
    const id = req.params.id
    if (!isUuid(id)) return notFound(res)
    const values = tokenFormOf(req.body)
    const key = idempotencyKeyOf(req.body)
    const user = await unwrap(res.locals.api.GET('/users/{id}', { params: { path: { id } } }))
    const expires = values.expires_at
    // The day becomes a time below, so what is not a day at all is refused here; whether the day
    // is allowed is the API's answer.
    if (!isBlank(expires) && !isRealDate(expires)) {
      const errors = linkDatesToDay(singleError('expires_at', 'Expiry date must be a real date, like 27 3 2027'), [
        'expires_at',
      ])
      return renderNewToken(res, user, values, errors, key)
    }
    const body: Schemas['NewToken'] = { user_id: id, name: values.name }
    // The token works until the end of the chosen day (UTC).
    if (!isBlank(expires)) body.expires_at = `${isoOf(expires)}T23:59:59Z`
    let issued: Pick<Schemas['IssuedToken'], 'id' | 'name' | 'expires_at' | 'secret'>
    try {
      issued = await unwrap(res.locals.api.POST('/tokens', { params: { header: { 'Idempotency-Key': key } }, body }))
    } catch (error) {
      if (error instanceof ApiError && error.problem.code === 'idempotency_response_not_kept') {
        // The same form sent twice: the first made the token and showed its secret once.
        addFlash(req, 'That token was already created. Its secret was shown once and cannot be shown again.')
        return res.redirect(303, `/admin/users/${id}`)
      }
      if (!isApiError(error, 422)) throw error
      return renderNewToken(res, user, values, adminErrors(error.problem), keyForRetry(error.problem, key))
    }
    req.session.adminIssuedToken = {
      id: issued.id,
      userId: id,
      name: issued.name,
      expiresAt: issued.expires_at,
      secret: sealSecret(sessionSecret, issued.secret),
    }
    res.redirect(303, `/admin/users/${id}/tokens/${issued.id}/created`)
  })

  // The one page that shows a new token's secret: it leaves the session as the page is made.
  router.get('/admin/users/:id/tokens/:tokenId/created', async (req, res) => {
    const { id, tokenId } = req.params
    if (!isUuid(id) || !isUuid(tokenId)) return notFound(res)
    // Out of the session before anything else can fail: it is shown on this page or never.
    const issued = req.session.adminIssuedToken
    delete req.session.adminIssuedToken
    const user = await unwrap(res.locals.api.GET('/users/{id}', { params: { path: { id } } }))
    if (issued && issued.id === tokenId && issued.userId === id) {
      const secret = openSecret(sessionSecret, issued.secret)
      return res.render('pages/admin/token-created', {
        title: 'API token created',
        person: user,
        issued: { ...issued, secret },
      })
    }
    res.render('pages/admin/token-shown', { title: 'This token’s secret cannot be shown again', person: user })
  })

  router.get('/admin/users/:id/tokens/:tokenId/revoke', async (req, res) => {
    const { id, tokenId } = req.params
    if (!isUuid(id) || !isUuid(tokenId)) return notFound(res)
    const user = await unwrap(res.locals.api.GET('/users/{id}', { params: { path: { id } } }))
    const token = await findToken(res, id, tokenId)
    if (!token) return notFound(res)
    res.render('pages/admin/token-revoke', { title: `Revoke the token ‘${token.name}’?`, person: user, token })
  })

  router.post('/admin/users/:id/tokens/:tokenId/revoke', async (req, res) => {
    const { id, tokenId } = req.params
    if (!isUuid(id) || !isUuid(tokenId)) return notFound(res)
    await unwrap(res.locals.api.DELETE('/tokens/{id}', { params: { path: { id: tokenId } } }))
    addFlash(req, 'The token has been revoked: it no longer works')
    res.redirect(303, `/admin/users/${id}`)
  })
}

// A new token's secret waits in the session only for the page that shows it: a request for any
// other page, whoever's routes serve it, drops it, so an unfollowed redirect does not leave it
// there (sign-out ends it too).
export function forgetIssuedToken(req: Request, _res: Response, next: NextFunction): void {
  if (req.session.adminIssuedToken && !/^\/admin\/users\/[^/]+\/tokens\/[^/]+\/created$/.test(req.path)) {
    delete req.session.adminIssuedToken
  }
  next()
}

export function adminRoutes(context: RouteContext): Router {
  const router = Router()
  supplierRoutes(router)
  userRoutes(router)
  tokenRoutes(router, context.config.sessionSecret)
  return router
}
