// Every setting of the front end, read once from the environment (docs/ui.md lists them).

export interface Config {
  apiUrl: string
  port: number
  bind: string
  databaseUrl: string
  sessionSecret: string
  secureCookies: boolean
  idleMinutes: number
  maxUploadBytes: number
}

function number(name: string, fallback: number): number {
  const text = process.env[name]
  if (text === undefined || text === '') return fallback
  const value = Number(text)
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive whole number`)
  return value
}

function required(name: string, fallback?: string): string {
  const value = process.env[name] || fallback
  if (!value) throw new Error(`${name} is not set`)
  return value
}

export function configFromEnvironment(): Config {
  return {
    apiUrl: required('COCO_API_URL', 'http://127.0.0.1:8080').replace(/\/$/, ''),
    port: number('COCO_UI_PORT', 3000),
    bind: process.env.COCO_UI_BIND || '127.0.0.1',
    databaseUrl: required('COCO_UI_DATABASE_URL', process.env.COCO_DATABASE_URL),
    sessionSecret: required('COCO_UI_SESSION_SECRET'),
    secureCookies: process.env.COCO_UI_SECURE_COOKIES === 'true',
    idleMinutes: number('COCO_UI_IDLE_MINUTES', 30),
    maxUploadBytes: number('COCO_UI_MAX_UPLOAD_BYTES', 64 * 1024 * 1024),
  }
}
