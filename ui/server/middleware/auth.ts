// Every page but sign-in needs a signed-in user. The API token lives in the session; each request
// gets a client that carries it, and the API decides what the user may see.
import type { NextFunction, Request, Response } from 'express'
import { cocoClient } from '../data/cocoApi.js'
import type { Config } from '../config.js'
import { openSecret, sessionCookieName } from '../session.js'

export function requireSignIn(config: Config) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const { user } = req.session
    const token = openSecret(config.sessionSecret, req.session.token)
    if (!token || !user) {
      // A cookie with no live session behind it: the session expired or was ended.
      const hadSession = (req.headers.cookie ?? '').includes(`${sessionCookieName}=`)
      if (hadSession) req.session.signedOutReason = 'Your session has ended. Sign in again.'
      const returnTo = req.method === 'GET' ? `?return_to=${encodeURIComponent(req.originalUrl)}` : ''
      res.redirect(303, `/sign-in${returnTo}`)
      return
    }
    req.apiToken = token
    res.locals.user = user
    res.locals.api = cocoClient(config.apiUrl, token, req.ip)
    next()
  }
}

// Messages that survive one redirect (POST, then GET the page that says what happened).
export function flash(req: Request, res: Response, next: NextFunction): void {
  res.locals.flash = req.session.flash ?? []
  if (req.session.flash) delete req.session.flash
  next()
}

export function addFlash(req: Request, message: string): void {
  req.session.flash = [...(req.session.flash ?? []), message]
}
