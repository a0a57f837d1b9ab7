// Sign in with an API token: checked against the API once (GET /me), then kept in the session.
import { Router } from 'express'
import type { Config } from '../config.js'
import { ApiError, cocoClient, unwrap } from '../data/cocoApi.js'
import { singleError } from '../errors.js'
import { sealSecret } from '../session.js'

// Only paths of this front end: never an absolute or protocol-relative address (open redirect).
function safeReturn(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])/.test(value) ? value : '/'
}

export function signInRoutes(config: Config): Router {
  const router = Router()

  router.get('/sign-in', (req, res) => {
    const signedOutReason = req.session.signedOutReason
    if (signedOutReason) delete req.session.signedOutReason
    res.render('pages/sign-in', {
      title: 'Sign in',
      signedOutReason,
      returnTo: safeReturn(req.query.return_to),
    })
  })

  router.post('/sign-in', async (req, res, next) => {
    const token = String(req.body?.token ?? '').trim()
    const returnTo = safeReturn(req.body?.return_to)
    const refuse = (text: string, status: number) =>
      res.status(status).render('pages/sign-in', {
        title: 'Sign in',
        returnTo,
        errors: singleError('token', text),
      })
    if (token === '') return refuse('Enter your API token', 422)
    let me
    try {
      me = await unwrap(cocoClient(config.apiUrl, token, req.ip).GET('/me'))
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        return refuse('The token was not accepted: it is wrong, expired or revoked', 401)
      }
      if (error instanceof ApiError && error.status === 429) {
        return refuse('Too many failed sign-ins from here. Wait a few minutes and try again', 429)
      }
      throw error
    }
    // A fresh session id at sign-in: an id planted before it is worth nothing after.
    req.session.regenerate((err) => {
      // The session store failed (the database is down): the error page, not a crashed process.
      if (err) return next(err)
      req.session.token = sealSecret(config.sessionSecret, token)
      req.session.user = {
        id: me.user.id,
        name: me.user.name,
        role: me.user.role,
        supplierId: me.user.supplier_id ?? null,
      }
      res.redirect(303, returnTo)
    })
  })

  router.post('/sign-out', (req, res) => {
    req.session.destroy(() => {
      res.redirect(303, '/sign-in')
    })
  })

  return router
}
