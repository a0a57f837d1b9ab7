// Procurement's journeys: who needs attention, the portfolio (with its CSV), and a supplier's
// status page — its reasons in words, its next change, each service × standard, "assured on the
// contract start date?", the signed attestation and the status history. Assessors, risk owners,
// admins and a supplier's own users read these pages too: the API decides who may.
import { Router, type Request, type Response } from 'express'
import type { RouteContext } from './index.js'
import { RequirementTitles } from '../data/catalogue.js'
import { isApiError, unwrap, type CocoClient, type Schemas } from '../data/cocoApi.js'
import { apiPath, passDownload } from '../data/download.js'
import { isUuid, standardKeys, type StandardKey } from '../data/ids.js'
import { allPages } from '../data/lists.js'
import { dateField, dateFieldOf, type DateField } from '../dateInput.js'
import { errorView, inFormWords, singleError, type ErrorView } from '../errors.js'
import { formatDate, statusLabel } from '../format.js'
import { trimmed } from '../forms.js'
import { causeSentence, nextChangeSentence, reasonSentence, type WordingContext } from '../statusWording.js'
import { standardLabel } from '../wording.js'

type AssuranceStatus = Schemas['AssuranceStatus']
type PortfolioLine = Schemas['PortfolioLine']
type StatusDocument = Schemas['StatusDocument']

// The values the contract lists, for the filter's options (labels from format.ts).
const statuses: AssuranceStatus[] = [
  'assured',
  'conditionally_assured',
  'expiring',
  'in_progress',
  'not_assessed',
  'expired',
  'not_assured',
]

// GET /status answers JSON pages or CSV; these pages read JSON.
interface PortfolioQuery {
  status?: AssuranceStatus
  standard?: StandardKey
  lapsing_before?: string
  as_of?: string
  limit?: number
  cursor?: string
}

async function readPortfolio(api: CocoClient, query: PortfolioQuery): Promise<Schemas['PortfolioPage']> {
  const page = await unwrap(api.GET('/status', { params: { query }, headers: { Accept: 'application/json' } }))
  return page as Schemas['PortfolioPage']
}

// ---- home: what needs attention ---------------------------------------------------------------

// Rows the API puts in a status that needs someone to act, worst first. Each status is one filter
// of GET /status; the UI only groups what came back.
const attentionStatuses: AssuranceStatus[] = ['not_assured', 'expired', 'expiring']

export async function procurementHome(res: Response): Promise<Record<string, unknown>> {
  const api = res.locals.api
  const groups = await Promise.all(
    attentionStatuses.map(async (status) => {
      const rows = await allPages(
        (cursor) => readPortfolio(api, { status, limit: 200, cursor }),
        5,
      )
      return { status, rows: rows.map(portfolioRow) }
    }),
  )
  return {
    attention: groups.filter((group) => group.rows.length > 0),
    attentionTotal: groups.reduce((total, group) => total + group.rows.length, 0),
  }
}

// ---- the portfolio ----------------------------------------------------------------------------

interface PortfolioFilters {
  status: string
  standard: string
  lapsingBefore: DateField
  asOf: DateField
}

function portfolioFilters(query: Request['query']): PortfolioFilters {
  return {
    status: trimmed(query, 'status'),
    standard: trimmed(query, 'standard'),
    lapsingBefore: dateField(query, 'lapsing_before'),
    asOf: dateField(query, 'as_of'),
  }
}

// The filters as the API's query, and as this site's links carry them (ISO days).
function filterQuery(filters: PortfolioFilters): URLSearchParams {
  const query = new URLSearchParams()
  if (filters.status) query.set('status', filters.status)
  if (filters.standard) query.set('standard', filters.standard)
  if (filters.lapsingBefore.iso) query.set('lapsing_before', filters.lapsingBefore.iso)
  if (filters.asOf.iso) query.set('as_of', filters.asOf.iso)
  return query
}

function portfolioRow(line: PortfolioLine) {
  return {
    supplierId: line.supplier_id,
    supplierName: line.supplier_name,
    serviceName: line.service?.name ?? null,
    contractStart: line.service?.contract_start ?? null,
    standard: line.standard ? standardLabel(line.standard) : null,
    required: line.required ?? true,
    status: line.status,
    validUntil: line.valid_until ?? null,
    nextChange: line.next_change ? nextChangeSentence(line.next_change) : null,
  }
}

const pageSize = 50

// One page of rows. A status filter can leave an API page short (even empty) with more to come,
// so further pages are read until the page is full or the portfolio ends.
async function portfolioPage(api: CocoClient, filters: PortfolioFilters, cursor: string | undefined) {
  const query = {
    ...(filters.status ? { status: filters.status as AssuranceStatus } : {}),
    ...(filters.standard ? { standard: filters.standard as StandardKey } : {}),
    ...(filters.lapsingBefore.iso ? { lapsing_before: filters.lapsingBefore.iso } : {}),
    ...(filters.asOf.iso ? { as_of: filters.asOf.iso } : {}),
  }
  const rows: PortfolioLine[] = []
  let asOf = ''
  let next: string | undefined = cursor
  for (let read = 0; read < 5; read++) {
    const page = await readPortfolio(api, { ...query, limit: pageSize, cursor: next })
    asOf = page.as_of
    rows.push(...page.items)
    next = page.next_cursor ?? undefined
    if (!next || rows.length >= pageSize) break
  }
  return { asOf, rows, next }
}

const portfolioDates = ['lapsing_before', 'as_of']

async function portfolio(req: Request, res: Response): Promise<void> {
  const filters = portfolioFilters(req.query)
  const cursor = trimmed(req.query, 'cursor') || undefined
  const query = filterQuery(filters)
  let page: Awaited<ReturnType<typeof portfolioPage>> | undefined
  let errors: ErrorView | undefined
  try {
    page = await portfolioPage(res.locals.api, filters, cursor)
  } catch (error) {
    if (!isApiError(error, 422)) throw error
    errors = inFormWords(errorView(error.problem, { fieldOf: dateFieldOf(portfolioDates) }), {
      status: { name: 'status', label: 'Status' },
      standard: { name: 'standard', label: 'Standard' },
      'lapsing_before-day': { name: 'lapsing_before', label: 'Lapsing before' },
      'as_of-day': { name: 'as_of', label: 'Status as of' },
    })
  }
  const selected: { heading: { text: string }; items: { href: string; text: string }[] }[] = []
  const without = (name: string) => {
    const rest = new URLSearchParams(query)
    rest.delete(name)
    return `/portfolio${rest.size ? `?${rest}` : ''}`
  }
  if (filters.status) {
    selected.push({ heading: { text: 'Status' }, items: [{ href: without('status'), text: statusLabel(filters.status) }] })
  }
  if (filters.standard) {
    selected.push({
      heading: { text: 'Standard' },
      items: [{ href: without('standard'), text: standardLabel(filters.standard) }],
    })
  }
  if (filters.lapsingBefore.iso) {
    selected.push({
      heading: { text: 'Lapsing before' },
      items: [{ href: without('lapsing_before'), text: formatDate(filters.lapsingBefore.iso) }],
    })
  }
  if (filters.asOf.iso) {
    selected.push({ heading: { text: 'As of' }, items: [{ href: without('as_of'), text: formatDate(filters.asOf.iso) }] })
  }
  const nextQuery = new URLSearchParams(query)
  if (page?.next) nextQuery.set('cursor', page.next)
  res.status(errors ? 422 : 200).render('pages/procurement/portfolio', {
    title: 'Portfolio',
    errors,
    filters,
    statusOptions: statuses.map((value) => ({ value, text: statusLabel(value), selected: value === filters.status })),
    standardOptions: standardKeys.map((value) => ({ value, text: standardLabel(value), selected: value === filters.standard })),
    selectedFilters: selected,
    asOf: page?.asOf,
    rows: page?.rows.map(portfolioRow) ?? [],
    nextHref: page?.next ? `/portfolio?${nextQuery}` : null,
    firstHref: cursor ? `/portfolio${query.size ? `?${query}` : ''}` : null,
    csvHref: `/portfolio.csv${query.size ? `?${query}` : ''}`,
  })
}

// ---- a supplier's status page -----------------------------------------------------------------

type Wording = (levelOptions?: Partial<WordingContext>) => WordingContext

function wordingFor(document: StatusDocument, titles: RequirementTitles): Wording {
  const serviceNames = new Map(document.services.map((service) => [service.service_id, service.name]))
  return (levelOptions = {}) => ({
    serviceName: (id) => serviceNames.get(id),
    requirementTitle: (standard, requirementId) => titles.title(standard, requirementId),
    ...levelOptions,
  })
}

// The titles of the requirements the reasons name, at the versions the status was evaluated on.
async function loadTitles(titles: RequirementTitles, documents: StatusDocument[], history: Schemas['StatusChange'][]) {
  const wanted = new Map<string, [string, string | null]>()
  const named = (reasons: Schemas['StatusReason'][]) => reasons.some((reason) => reason.requirement_id)
  for (const document of documents) {
    for (const service of document.services) {
      for (const standard of service.standards) {
        if (named(standard.reasons)) wanted.set(`${standard.standard}@${standard.version}`, [standard.standard, standard.version])
      }
    }
  }
  for (const change of history) {
    for (const reason of change.reasons) {
      if (reason.requirement_id && reason.standard && ![...wanted.values()].some(([key]) => key === reason.standard)) {
        wanted.set(`${reason.standard}@latest`, [reason.standard, null])
      }
    }
  }
  await Promise.all([...wanted.values()].map(([standard, version]) => titles.load(standard, version)))
}

function serviceView(service: Schemas['ServiceStatus'], wording: Wording) {
  return {
    id: service.service_id,
    name: service.name,
    contractRef: service.contract_ref,
    contractStart: service.contract_start,
    contractEnd: service.contract_end,
    status: service.status,
    nextChange: nextChangeSentence(service.next_change),
    reasons: service.reasons.map((reason) => reasonSentence(reason, wording({ omitService: true }))),
    standards: service.standards.map((standard) => ({
      label: standardLabel(standard.standard),
      version: standard.version,
      required: standard.required,
      status: standard.status,
      validUntil: standard.valid_until,
      nextChange: nextChangeSentence(standard.next_change),
      reasons: standard.reasons.map((reason) => reasonSentence(reason, wording({ omitService: true }))),
    })),
  }
}

function historyView(document: StatusDocument, changes: Schemas['StatusChange'][], wording: Wording) {
  const serviceNames = new Map(document.services.map((service) => [service.service_id, service.name]))
  return changes.map((change) => {
    const service = change.service_id ? (serviceNames.get(change.service_id) ?? 'A former service') : null
    const subject = !service
      ? document.supplier_name
      : change.standard
        ? `${service}, ${standardLabel(change.standard)}`
        : service
    const label = change.to_status
      ? `${subject} became ${statusLabel(change.to_status)}`
      : `${subject} no longer counts towards the status`
    return {
      label,
      effectiveAt: change.effective_at,
      from: change.from_status ? statusLabel(change.from_status) : null,
      reasons: change.reasons.map((reason) =>
        reasonSentence(reason, wording({ omitService: change.service_id !== null })),
      ),
      cause: causeSentence(change.cause),
    }
  })
}

// "On 1 April 2027 this supplier will be": the tense from the API's own today (the status's as_of).
function tense(asked: string, today: string): 'will be' | 'is' | 'was' {
  if (asked > today) return 'will be'
  if (asked < today) return 'was'
  return 'is'
}

async function supplierPage(req: Request, res: Response): Promise<void> {
  const id = String(req.params.id)
  const api = res.locals.api
  const asked = dateField(req.query, 'as_of')
  const historyCursor = trimmed(req.query, 'history') || undefined
  // Procurement follows suppliers (e-mailed of their every status change): whether this one is.
  const follows = res.locals.user.role === 'procurement'
  const [status, history, caller] = await Promise.all([
    unwrap(api.GET('/suppliers/{id}/status', { params: { path: { id } } })),
    unwrap(
      api.GET('/suppliers/{id}/status/history', {
        params: { path: { id }, query: { limit: 20, cursor: historyCursor } },
      }),
    ),
    follows ? unwrap(api.GET('/me')) : undefined,
  ])

  // The question "assured on this date?", asked of the API with the date as it was given.
  let answerDocument: StatusDocument | undefined
  let noStatusOn: string | undefined
  let errors: ErrorView | undefined
  if (!asked.iso && 'as_of-day' in req.query) {
    errors = singleError('as_of-day', 'Enter the date to check')
  } else if (asked.iso) {
    try {
      answerDocument = await unwrap(
        api.GET('/suppliers/{id}/status', { params: { path: { id }, query: { as_of: asked.iso } } }),
      )
    } catch (error) {
      if (isApiError(error, 422)) {
        errors = inFormWords(
          errorView(error.problem, { fieldOf: dateFieldOf(['as_of']), defaultField: 'as_of-day' }),
          { 'as_of-day': { name: 'as_of', label: 'The date' } },
        )
      } else if (isApiError(error, 404) && error.problem.code === 'not_found_on_date') {
        noStatusOn = asked.iso
      } else {
        throw error
      }
    }
  }

  const titles = new RequirementTitles(api)
  await loadTitles(titles, answerDocument ? [status, answerDocument] : [status], history.items)
  const wording = wordingFor(status, titles)
  const answerWording = answerDocument ? wordingFor(answerDocument, titles) : wording

  const historyNext = new URLSearchParams()
  if (history.next_cursor) historyNext.set('history', history.next_cursor)

  res.status(errors ? 422 : 200).render('pages/procurement/supplier', {
    title: status.supplier_name,
    errors,
    supplierId: status.supplier_id,
    supplierName: status.supplier_name,
    status: status.status,
    asOf: status.as_of,
    nextChange: nextChangeSentence(status.next_change),
    reasons: status.reasons.map((reason) => reasonSentence(reason, wording())),
    services: status.services.map((service) => serviceView(service, wording)),
    contractChecks: status.services
      .filter((service) => service.contract_start)
      .map((service) => ({
        serviceName: service.name,
        date: service.contract_start as string,
        href: `/suppliers/${status.supplier_id}?as_of=${service.contract_start}#answer`,
      })),
    asked: asked.values,
    answer: answerDocument
      ? {
          asOf: answerDocument.as_of,
          verb: tense(answerDocument.as_of, status.as_of),
          status: answerDocument.status,
          nextChange: nextChangeSentence(answerDocument.next_change),
          reasons: answerDocument.reasons.map((reason) => reasonSentence(reason, answerWording())),
          services: answerDocument.services.map((service) => ({ name: service.name, status: service.status })),
          attestationHref: `/suppliers/${status.supplier_id}/attestation?as_of=${answerDocument.as_of}`,
        }
      : null,
    noStatusOn,
    attestationHref: `/suppliers/${status.supplier_id}/attestation`,
    history: historyView(status, history.items, wording),
    historyFirstHref: historyCursor ? `/suppliers/${status.supplier_id}#history` : null,
    historyNextHref: history.next_cursor ? `/suppliers/${status.supplier_id}?${historyNext}#history` : null,
    // Links to the risk owner's journeys, as the navigation offers them: the API decides.
    riskOwnerLinks: res.locals.user.role === 'risk_owner',
    followable: follows,
    following: caller ? caller.user.notifications.follow.includes(status.supplier_id) : false,
  })
}

export function procurementRoutes(context: RouteContext): Router {
  const router = Router()
  const { apiUrl } = context.config

  router.get('/portfolio', portfolio)

  // The whole portfolio as the API writes it (CSV, every page, the same filters).
  router.get('/portfolio.csv', async (req, res) => {
    const query = filterQuery(portfolioFilters(req.query))
    await passDownload(apiUrl, req, res, `/status${query.size ? `?${query}` : ''}`, { accept: 'text/csv' })
  })

  router.get('/suppliers/:id', async (req, res, next) => {
    if (!isUuid(req.params.id)) return next()
    await supplierPage(req, res)
  })

  // The signed attestation (a compact JWS), as the API signed it, for today or `as_of`.
  router.get('/suppliers/:id/attestation', async (req, res, next) => {
    const id = String(req.params.id)
    if (!isUuid(id)) return next()
    const asOf = dateField(req.query, 'as_of').iso
    const query = asOf ? `?${new URLSearchParams({ as_of: asOf })}` : ''
    await passDownload(apiUrl, req, res, apiPath`/suppliers/${id}/attestation` + query, {
      accept: 'application/jose',
      filename: `attestation-${id}${asOf ? `-${asOf}` : ''}.jws`,
    })
  })

  return router
}
