// A real coco on a real PostgreSQL, the front end beside it, and Debian's chromium driven by
// playwright-core: what every browser test starts from. Each test file gets a database of its own.
import { spawn, type ChildProcess } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import assert from 'node:assert/strict'
import { after, afterEach, before } from 'node:test'
import pg from 'pg'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { createRequire } from 'node:module'
import type { AxeResults } from 'axe-core'
import { cocoClient, unwrap, type CocoClient } from '../server/data/cocoApi.js'

const axeSource = createRequire(import.meta.url).resolve('axe-core/axe.min.js')
const uiDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const repoDir = path.resolve(uiDir, '..')

function serverUrl(): string {
  const url = process.env.COCO_TEST_DATABASE_URL
  if (!url) throw new Error('COCO_TEST_DATABASE_URL is not set: the UI tests need a real PostgreSQL')
  return url
}

function databaseUrl(name: string): string {
  const url = new URL(serverUrl())
  url.pathname = `/${name}`
  return url.toString()
}

function cocoBinary(): string {
  const binary = process.env.COCO_BINARY ?? path.join(repoDir, 'build/test/coco')
  if (!fs.existsSync(binary)) throw new Error(`no coco binary at ${binary} (set COCO_BINARY)`)
  return binary
}

// A loopback port nothing holds, chosen below the kernel's ephemeral range: outgoing connections
// take their local ports from that range, so a port the kernel hands out there (listen on 0) can
// be taken by one of them before the server listens on it.
export async function freePort(): Promise<number> {
  let low = 32768
  try {
    low = Number(fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').split(/\s+/)[0])
  } catch {
    // not Linux: keep the usual start of the range
  }
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = 10000 + Math.floor(Math.random() * (low - 10000))
    const free = await new Promise<boolean>((resolve) => {
      const server = net.createServer()
      server.once('error', () => resolve(false))
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
    })
    if (free) return port
  }
  throw new Error('no free loopback port below the ephemeral range')
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (chunk) => (out += chunk))
    child.stderr.on('data', (chunk) => (err += chunk))
    child.on('close', (code) =>
      code === 0 ? resolve(out.trim()) : reject(new Error(`${command} ${args.join(' ')}: ${err}`)),
    )
  })
}

async function waitFor(url: string, child: ChildProcess, name: string): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt++) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`)
    try {
      const response = await fetch(url)
      if (response.ok) return
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`${name} did not become ready at ${url}`)
}

export interface Stack {
  apiUrl: string
  uiUrl: string
  databaseUrl: string
  adminToken: string
  admin: CocoClient
  // Settings the UI was started with, for tests of its limits.
  uiEnv: NodeJS.ProcessEnv
  sql(text: string, values?: unknown[]): Promise<pg.QueryResult>
  stop(): Promise<void>
}

export interface StackOptions {
  cocoEnv?: NodeJS.ProcessEnv
  uiEnv?: NodeJS.ProcessEnv
}

// coco (migrated, catalogue imported) and the front end, on free loopback ports, over a fresh
// database. stop() ends both and drops the database.
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const name = `ui_${crypto.randomBytes(6).toString('hex')}`
  const root = new pg.Client({ connectionString: serverUrl() })
  await root.connect()
  await root.query(`CREATE DATABASE ${name}`)
  await root.end()
  const url = databaseUrl(name)
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'coco-ui-test-'))
  const cocoEnv: NodeJS.ProcessEnv = {
    ...process.env,
    COCO_DATABASE_URL: url,
    COCO_SIGNING_KEY: path.join(scratch, 'signing-key.pem'),
    COCO_BIND: '127.0.0.1',
    COCO_THREADS: '2',
    COCO_AUTH_FAILURE_LIMIT: '1000000',
    ...options.cocoEnv,
  }
  const binary = cocoBinary()
  await run(binary, ['migrate'], cocoEnv)
  await run(binary, ['catalogue', 'import', path.join(repoDir, 'standards')], cocoEnv)
  const adminToken = await run(binary, ['token', 'create', '--role', 'admin', '--name', 'UI test admin'], cocoEnv)

  const apiPort = await freePort()
  const coco = spawn(binary, ['serve', '--no-migrate'], {
    env: { ...cocoEnv, COCO_PORT: String(apiPort) },
    stdio: ['ignore', 'ignore', process.env.COCO_UI_TEST_LOGS ? 'inherit' : 'ignore'],
  })
  const apiUrl = `http://127.0.0.1:${apiPort}`
  const uiPort = await freePort()
  const uiEnv: NodeJS.ProcessEnv = {
    ...process.env,
    COCO_API_URL: apiUrl,
    COCO_UI_PORT: String(uiPort),
    COCO_UI_BIND: '127.0.0.1',
    COCO_UI_DATABASE_URL: url,
    COCO_UI_SESSION_SECRET: crypto.randomBytes(32).toString('hex'),
    ...options.uiEnv,
  }
  const ui = spawn(process.execPath, ['--import', 'tsx', path.join(uiDir, 'server/index.ts')], {
    cwd: uiDir,
    env: uiEnv,
    stdio: ['ignore', 'ignore', process.env.COCO_UI_TEST_LOGS ? 'inherit' : 'ignore'],
  })
  const uiUrl = `http://127.0.0.1:${uiPort}`
  const pool = new pg.Pool({ connectionString: url, max: 2 })
  const stop = async (): Promise<void> => {
    for (const child of [ui, coco]) {
      if (child.exitCode === null) {
        child.kill('SIGTERM')
        await new Promise((resolve) => child.once('exit', resolve))
      }
    }
    await pool.end()
    const admin = new pg.Client({ connectionString: serverUrl() })
    await admin.connect()
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    await admin.end()
    fs.rmSync(scratch, { recursive: true, force: true })
  }
  try {
    await waitFor(`${apiUrl}/readyz`, coco, 'coco')
    await waitFor(`${uiUrl}/health`, ui, 'the front end')
  } catch (error) {
    await stop()
    throw error
  }
  return {
    apiUrl,
    uiUrl,
    databaseUrl: url,
    adminToken,
    admin: cocoClient(apiUrl, adminToken),
    uiEnv,
    sql: (text, values) => pool.query(text, values),
    stop,
  }
}

// ---- one stack per test file ---------------------------------------------------------------

// What a test file's tests run against, once useStack's before() has run.
export interface World {
  readonly stack: Stack
  readonly browser: Browser
  // A new browser session (Visitor.open on this world's browser and stack).
  openVisitor(): Promise<Visitor>
}

// Starts a stack (and, unless `browser: false`, chromium) before the file's tests, then runs the
// file's own `setup`, and stops them after, closing any visitor a test left open. A failed test
// leaves screenshots of the open pages in COCO_UI_TEST_SCREENS, if set. A file's set-up goes in
// `setup`, not in a before() of its own: Node 20 runs a file's top-level before() hooks at once.
export function useStack(
  options: StackOptions & { browser?: boolean } = {},
  setup?: () => Promise<void>,
): World {
  let stack: Stack | undefined
  let browser: Browser | undefined
  before(async () => {
    stack = await startStack(options)
    if (options.browser !== false) browser = await launchBrowser()
    await setup?.()
  })
  afterEach(async (t) => {
    // `passed` is on the context at run time (Node 20.13 on); @types/node 20 does not list it yet.
    const failed = (t as { passed?: boolean }).passed === false
    if (failed) await Visitor.screenshots(t.name.replace(/[^A-Za-z0-9]+/g, '-').slice(0, 60))
  })
  after(async () => {
    for (const visitor of [...Visitor.open_]) await visitor.close().catch(() => undefined)
    await browser?.close()
    await stack?.stop()
  })
  return {
    get stack() {
      if (!stack) throw new Error('the stack starts in before(): use it inside hooks and tests')
      return stack
    },
    get browser() {
      if (!browser) throw new Error('no browser: it starts in before(), unless useStack({ browser: false })')
      return browser
    },
    openVisitor() {
      return Visitor.open(this.browser, this.stack)
    },
  }
}

// ---- people, made through the API as an admin would ----------------------------------------

export interface Person {
  name: string
  role: 'supplier' | 'assessor' | 'risk_owner' | 'procurement' | 'admin'
  userId: string
  token: string
  tokenId: string
  api: CocoClient
}

export async function makePerson(
  stack: Stack,
  role: Person['role'],
  name: string,
  supplierId?: string,
): Promise<Person> {
  const user = await unwrap(
    stack.admin.POST('/users', {
      body: {
        name,
        email: `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@example.gov.uk`,
        role,
        ...(supplierId ? { supplier_id: supplierId } : {}),
      } as never,
    }),
  )
  const token = await unwrap(
    stack.admin.POST('/tokens', { body: { user_id: user.id, name: `${name}'s token` } as never }),
  )
  return {
    name,
    role,
    userId: user.id,
    token: token.secret,
    tokenId: token.id,
    api: cocoClient(stack.apiUrl, token.secret),
  }
}

export async function makeSupplier(stack: Stack, name: string): Promise<string> {
  const supplier = await unwrap(
    stack.admin.POST('/suppliers', {
      body: { name, contact_email: `security@${name.toLowerCase().replace(/[^a-z]+/g, '')}.example` } as never,
    }),
  )
  return supplier.id
}

// ---- the browser ---------------------------------------------------------------------------

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.COCO_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

// A browser session of one person. Every page it loads must be checked with axe before the test
// ends (`audit`); `assertEveryPageAudited` says which were not.
export class Visitor {
  // Every visitor still open, for screenshots when a test fails (COCO_UI_TEST_SCREENS=folder).
  static readonly open_ = new Set<Visitor>()
  readonly visited = new Set<string>()
  readonly audited = new Set<string>()

  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
  ) {
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) this.visited.add(pathOf(frame.url()))
    })
  }

  static async open(browser: Browser, stack: Stack): Promise<Visitor> {
    const context = await browser.newContext({ baseURL: stack.uiUrl, acceptDownloads: true })
    // axe-core rides along on every page (the browser adds it before the page's own scripts, past
    // the page's CSP), so each audit costs only the rules' run.
    await context.addInitScript({ path: axeSource })
    const page = await context.newPage()
    page.setDefaultTimeout(15000)
    const visitor = new Visitor(context, page)
    Visitor.open_.add(visitor)
    return visitor
  }

  static async screenshots(tag: string): Promise<void> {
    const folder = process.env.COCO_UI_TEST_SCREENS
    if (!folder) return
    fs.mkdirSync(folder, { recursive: true })
    let index = 0
    for (const visitor of Visitor.open_) {
      await visitor.page
        .screenshot({ path: path.join(folder, `${tag}-${index++}.png`), fullPage: true })
        .catch(() => undefined)
    }
  }

  // axe-core over the current page: no WCAG 2.2 A or AA violation.
  async audit(): Promise<void> {
    await this.page.waitForLoadState('load')
    const violations = await this.page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run: (...args: unknown[]) => Promise<AxeResults> } }).axe
      const results = await axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
        resultTypes: ['violations'],
      })
      return results.violations.map(
        (violation) =>
          `${violation.id} (${violation.impact}): ${violation.help} at ${violation.nodes
            .map((node) => node.target.join(' '))
            .join(', ')}`,
      )
    })
    assert.deepEqual(violations, [], `axe found violations on ${this.page.url()}`)
    this.audited.add(pathOf(this.page.url()))
  }

  // Does what leads to another page (a click, a key press), waits until that page has loaded (and
  // is at `url`, when given), then checks it with axe.
  async follow(action: (page: Page) => Promise<unknown>, url?: RegExp): Promise<void> {
    await Promise.all([this.page.waitForNavigation(), action(this.page)])
    if (url) await this.page.waitForURL(url)
    await this.audit()
  }

  async goto(url: string): Promise<void> {
    await this.page.goto(url)
    await this.audit()
  }

  async signIn(token: string): Promise<void> {
    await this.page.goto('/sign-in')
    await this.audit()
    await this.page.getByLabel('API token').fill(token)
    await this.page.getByRole('button', { name: 'Sign in' }).click()
    await this.page.waitForLoadState('load')
    await this.audit()
  }

  assertEveryPageAudited(): void {
    const missed = [...this.visited].filter((url) => url !== 'about:blank' && !this.audited.has(url))
    assert.deepEqual(missed, [], 'pages visited but never checked with axe')
  }

  async close(): Promise<void> {
    Visitor.open_.delete(this)
    await this.context.close()
  }
}

// With COCO_UI_SCREENSHOTS=<folder>, saves the whole page there as <name>.png: the main pages of a
// journey, to look at without running the browser by hand.
export async function screenshot(page: Page, name: string): Promise<void> {
  const folder = process.env.COCO_UI_SCREENSHOTS
  if (!folder) return
  fs.mkdirSync(folder, { recursive: true })
  await page.screenshot({ path: path.join(folder, `${name}.png`), fullPage: true })
}

function pathOf(url: string): string {
  if (url === 'about:blank') return url
  const parsed = new URL(url)
  return parsed.pathname + parsed.search
}
