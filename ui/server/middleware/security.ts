// Headers from helmet with a strict CSP: scripts and styles only from this origin, plus the one
// inline script GOV.UK's template needs, allowed by a fresh nonce per response.
import crypto from 'node:crypto'
import type { NextFunction, Request, Response } from 'express'
import helmet from 'helmet'

export function nonce(_req: Request, res: Response, next: NextFunction): void {
  res.locals.cspNonce = crypto.randomBytes(16).toString('base64')
  next()
}

export function securityHeaders(secureCookies: boolean) {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", (_req, res) => `'nonce-${(res as Response).locals.cspNonce}'`],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
        ...(secureCookies ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: secureCookies,
    referrerPolicy: { policy: 'same-origin' },
  })
}

// Pages hold tenants' data: no shared cache may keep them.
export function noStore(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Cache-Control', 'no-store')
  next()
}
