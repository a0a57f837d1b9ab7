// Server-side sessions in coco's PostgreSQL, in the front end's own schema `ui`. The browser holds
// only a random session id in an HttpOnly, SameSite=Lax cookie (Secure behind TLS); the API token
// stays here. Sessions end after COCO_UI_IDLE_MINUTES without a request, or at sign-out.
import crypto from 'node:crypto'
import connectPgSimple from 'connect-pg-simple'
import session from 'express-session'
import pg from 'pg'
import type { Config } from './config.js'

export const sessionCookieName = 'coco.sid'

export interface SignedInUser {
  id: string
  name: string
  role: 'supplier' | 'assessor' | 'risk_owner' | 'procurement' | 'admin'
  supplierId: string | null
}

declare module 'express-session' {
  interface SessionData {
    // The user's API token, sealed (sealSecret): a copy of the session table is no set of tokens.
    token: string
    user: SignedInUser
    flash: string[]
    signedOutReason: string
  }
}

declare module 'express-serve-static-core' {
  interface Request {
    // The signed-in user's API token, opened from the session for this request only. Never put
    // it in res.locals: templates see those.
    apiToken?: string
  }
}

// Secrets kept in a session (API tokens) are sealed with AES-256-GCM under a key derived from
// COCO_UI_SESSION_SECRET, so the rows of ui.session are useless without the front end's secret.
function sealingKey(sessionSecret: string): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', sessionSecret, 'coco-ui', 'session secrets', 32))
}

export function sealSecret(sessionSecret: string, value: string): string {
  const iv = crypto.randomBytes(12)
  const cipher = crypto.createCipheriv('aes-256-gcm', sealingKey(sessionSecret), iv)
  const sealed = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()])
  return [iv, cipher.getAuthTag(), sealed].map((part) => part.toString('base64url')).join('.')
}

// The value, or undefined when it was not sealed with this secret or was altered.
export function openSecret(sessionSecret: string, sealed: string | undefined): string | undefined {
  const parts = (sealed ?? '').split('.')
  if (parts.length !== 3) return undefined
  try {
    const [iv, tag, body] = parts.map((part) => Buffer.from(part, 'base64url'))
    const decipher = crypto.createDecipheriv('aes-256-gcm', sealingKey(sessionSecret), iv)
    decipher.setAuthTag(tag)
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8')
  } catch {
    return undefined
  }
}

export async function sessionStore(config: Config): Promise<{ store: session.Store; pool: pg.Pool }> {
  const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 5 })
  await pool.query('CREATE SCHEMA IF NOT EXISTS ui')
  const PgStore = connectPgSimple(session)
  const store = new PgStore({
    pool,
    schemaName: 'ui',
    tableName: 'session',
    createTableIfMissing: true,
    pruneSessionInterval: 60 * 15,
  })
  return { store, pool }
}

export function sessions(config: Config, store: session.Store) {
  return session({
    name: sessionCookieName,
    secret: config.sessionSecret,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    proxy: config.secureCookies,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: config.secureCookies,
      maxAge: config.idleMinutes * 60 * 1000,
    },
  })
}
