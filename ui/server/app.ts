// The Express application: security headers, sessions, CSRF, views, routes and the pages that
// explain a refusal. Everything it shows comes from the coco API; it holds no assurance rule.
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import express, { type NextFunction, type Request, type Response } from 'express'
import multer from 'multer'
import nunjucks from 'nunjucks'
import { csrfSync } from 'csrf-sync'
import type session from 'express-session'
import type { Config } from './config.js'
import { ApiError } from './data/cocoApi.js'
import { notFound } from './errors.js'
import * as format from './format.js'
import { flash, requireSignIn } from './middleware/auth.js'
import { multipartBody } from './middleware/multipart.js'
import { noStore, nonce, securityHeaders } from './middleware/security.js'
import { sessions } from './session.js'
import { publicRoutes, signedInRoutes } from './routes/index.js'

// ui/, found from this file whether it runs from server/ (tsx) or dist/server/ (built).
function uiRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url))
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir)
  return dir
}

export function createApp(config: Config, store: session.Store): express.Express {
  const root = uiRoot()
  const app = express()
  app.disable('x-powered-by')
  app.set('trust proxy', config.secureCookies ? 1 : false)

  const views = nunjucks.configure(
    [
      path.join(root, 'server/views'),
      path.join(root, 'node_modules/govuk-frontend/dist'),
      path.join(root, 'node_modules/@ministryofjustice/frontend'),
    ],
    { autoescape: true, express: app, throwOnUndefined: false },
  )
  views.addFilter('date', format.formatDate)
  views.addFilter('dateTime', format.formatDateTime)
  views.addFilter('statusLabel', format.statusLabel)
  views.addFilter('statusTagClass', format.statusTagClass)
  views.addFilter('humanise', format.humanise)
  views.addFilter('bytes', format.formatBytes)
  app.set('view engine', 'njk')

  app.use(nonce)
  app.use(securityHeaders(config.secureCookies))
  app.use('/assets', express.static(path.join(root, 'dist/assets'), { index: false }))
  app.use(
    '/assets',
    express.static(path.join(root, 'node_modules/govuk-frontend/dist/govuk/assets'), { index: false }),
  )
  app.use(
    '/assets',
    express.static(path.join(root, 'node_modules/@ministryofjustice/frontend/moj/assets'), {
      index: false,
    }),
  )
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' })
  })

  app.use(noStore)
  app.use(sessions(config, store))
  app.use(saveBeforeRedirect)
  app.use(express.urlencoded({ extended: false, limit: '256kb', parameterLimit: 2000 }))
  const { csrfSynchronisedProtection, generateToken } = csrfSync({
    getTokenFromRequest: (req) => (req.body as Record<string, string> | undefined)?._csrf,
  })
  app.use(multipartBody(config))
  app.use(csrfSynchronisedProtection)
  app.use((req, res, next) => {
    res.locals.csrfToken = generateToken(req)
    res.locals.idempotencyKey = crypto.randomUUID()
    next()
  })
  app.use(flash)

  app.use(publicRoutes(config))
  app.use(requireSignIn(config))
  app.use(signedInRoutes(config))

  app.use((_req, res) => notFound(res))
  app.use(errorPage)
  return app
}

// A browser follows a redirect as soon as its headers arrive, which can be before express-session
// stores the session at the end of the response: the next page would miss a message or a sign-in.
// Every redirect therefore waits for the session to be stored first.
function saveBeforeRedirect(req: Request, res: Response, next: NextFunction): void {
  const redirect = res.redirect.bind(res) as (...args: unknown[]) => void
  res.redirect = ((...args: unknown[]) => {
    if (!req.session) return redirect(...args)
    req.session.save(() => redirect(...args))
  }) as Response['redirect']
  next()
}

// A refusal or failure, in plain words: never a stack trace or an internal detail.
function errorPage(err: unknown, req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) return next(err)
  if (err instanceof ApiError) {
    if (err.status === 401) {
      // The token was revoked or expired since sign-in: the session is over.
      req.session.regenerate(() => {
        req.session.signedOutReason =
          'Your API token is no longer accepted: it has expired or been revoked. Sign in with a valid token.'
        res.redirect(303, '/sign-in')
      })
      return
    }
    const pages: Record<number, string> = {
      403: 'You do not have permission to do this',
      404: 'Page not found',
      409: 'This could not be done now',
      412: 'Someone else changed this first',
      413: 'The file is too large',
      429: 'Too many requests',
    }
    res.status(err.status >= 500 ? 502 : err.status).render('pages/error', {
      title: pages[err.status] ?? 'Sorry, there is a problem with the service',
      body: err.status >= 500 ? 'Try again later.' : err.problem.detail,
      requestId: err.problem.request_id,
    })
    return
  }
  const { code, status, expose } = err as { code?: string; status?: number; expose?: boolean }
  if (code === 'EBADCSRFTOKEN' || (err as { message?: string }).message === 'invalid csrf token') {
    res.status(403).render('pages/error', {
      title: 'This form has expired',
      body: 'Go back, reload the page and try again. Nothing was changed.',
    })
    return
  }
  // A body the parsers refused (a form too large, too many fields, a second file): the browser's
  // request was at fault, and nothing reached the API.
  if (err instanceof multer.MulterError || (expose && status !== undefined && status >= 400 && status < 500)) {
    res.status(err instanceof multer.MulterError ? 400 : status!).render('pages/error', {
      title: 'The form could not be read',
      body: 'It was too large or not as this service sends it. Go back and try again. Nothing was changed.',
    })
    return
  }
  console.error(err)
  res.status(500).render('pages/error', {
    title: 'Sorry, there is a problem with the service',
    body: 'Try again later. Nothing was changed.',
  })
}
