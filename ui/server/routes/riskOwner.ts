// The risk owner's journeys: the exceptions (risk acceptances) ending soonest and the newest,
// accepting one for a MUST not fully met, and revoking one. Which requirement qualifies, which
// expiry is allowed and who may decide are the API's rules: a refusal comes back as a problem.
import { Router, type Request, type Response } from 'express'
import type { RouteContext } from './index.js'
import { RequirementTitles } from '../data/catalogue.js'
import { isApiError, unwrap, type CocoClient, type Schemas } from '../data/cocoApi.js'
import { isUuid } from '../data/ids.js'
import { allPages, allSuppliers } from '../data/lists.js'
import { dateField, dateFieldOf, noDate, type DateParts } from '../dateInput.js'
import { errorView, inFormWords, notFound, type ErrorView } from '../errors.js'
import { exceptionStateTags as stateTags, formatDate, humanise } from '../format.js'
import { idempotencyHeader, ifMatchOf, text, trimmed } from '../forms.js'
import { addFlash } from '../middleware/auth.js'
import { answerLabel, standardLabel } from '../wording.js'

type Exception = Schemas['Exception']
type Supplier = Schemas['Supplier']

// ---- reading exceptions -----------------------------------------------------------------------

interface ExceptionQuery {
  supplier?: string
  state?: 'active' | 'expired' | 'revoked'
  expiring_before?: string
  limit?: number
  cursor?: string
}

// GET /exceptions: every supplier's exceptions the user may read, soonest to expire first.
async function listExceptions(api: CocoClient, query: ExceptionQuery): Promise<Exception[]> {
  return allPages(
    (cursor) => unwrap(api.GET('/exceptions', { params: { query: { ...query, limit: 200, cursor } } })),
    10,
  )
}

// A few calls at a time.
async function inBatches<T, R>(items: T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = []
  for (let start = 0; start < items.length; start += size) {
    results.push(...(await Promise.all(items.slice(start, start + size).map(work))))
  }
  return results
}

interface ExceptionRow {
  id: string
  assessmentId: string
  supplierId: string
  supplierName: string
  serviceName: string
  standard: string
  requirementId: string
  requirementTitle: string | undefined
  reason: string
  createdAt: string
  expiresOn: string
  state: Exception['state']
  revokedAt: string | null
  revokeHref: string
}

// The exceptions (of one supplier when named), with the names and requirement titles a person
// reads.
async function exceptionRows(api: CocoClient, only?: Supplier): Promise<ExceptionRow[]> {
  const exceptions = await listExceptions(api, only ? { supplier: only.id } : {})
  const supplierNames = new Map<string, string>()
  if (only) supplierNames.set(only.id, only.name)
  else if (exceptions.length > 0) for (const supplier of await allSuppliers(api)) supplierNames.set(supplier.id, supplier.name)
  const serviceIds = [...new Set(exceptions.map((exception) => exception.service_id))]
  const serviceNames = new Map(
    await inBatches(serviceIds, 6, async (id) => {
      const service = await unwrap(api.GET('/services/{id}', { params: { path: { id } } }))
      return [id, service.name] as const
    }),
  )
  const titles = new RequirementTitles(api)
  const standards = new Set(exceptions.map((exception) => exception.standard))
  await Promise.all([...standards].map((standard) => titles.load(standard, null)))
  return exceptions.map((exception) => ({
    id: exception.id,
    assessmentId: exception.assessment_id,
    supplierId: exception.supplier_id,
    supplierName: supplierNames.get(exception.supplier_id) ?? 'A supplier',
    serviceName: serviceNames.get(exception.service_id) ?? 'A service',
    standard: standardLabel(exception.standard),
    requirementId: exception.requirement_id,
    requirementTitle: titles.title(exception.standard, exception.requirement_id),
    reason: exception.reason,
    createdAt: exception.created_at,
    expiresOn: exception.expires_on,
    state: exception.state,
    revokedAt: exception.revoked_at,
    revokeHref: `/exceptions/${exception.id}/revoke?assessment=${exception.assessment_id}`,
  }))
}

// Active ones, the soonest to end first; the rest, the newest first.
function arrange(rows: ExceptionRow[]) {
  const active = rows.filter((row) => row.state === 'active').sort((a, b) => a.expiresOn.localeCompare(b.expiresOn))
  const ended = rows.filter((row) => row.state !== 'active').sort((a, b) => b.createdAt.localeCompare(a.createdAt))
  const recent = [...rows].sort((a, b) => b.createdAt.localeCompare(a.createdAt))
  return { active, ended, recent }
}

export async function riskOwnerHome(res: Response): Promise<Record<string, unknown>> {
  const { active, recent } = arrange(await exceptionRows(res.locals.api))
  return { endingSoon: active.slice(0, 10), activeTotal: active.length, recent: recent.slice(0, 5), stateTags }
}

// ---- accepting an exception ---------------------------------------------------------------------

interface ExceptionForm {
  requirement_id: string
  reason: string
  expires_on: DateParts
}

const emptyForm: ExceptionForm = { requirement_id: '', reason: '', expires_on: noDate() }

// The assessment, its service and supplier, the MUST responses answered partially or not met
// (the choices), and its exceptions so far.
async function assessmentPage(api: CocoClient, assessmentId: string) {
  const assessment = await unwrap(api.GET('/assessments/{id}', { params: { path: { id: assessmentId } } }))
  const [service, supplier, exceptions] = await Promise.all([
    unwrap(api.GET('/services/{id}', { params: { path: { id: assessment.service_id } } })),
    unwrap(api.GET('/suppliers/{id}', { params: { path: { id: assessment.supplier_id } } })),
    allPages((cursor) =>
      unwrap(
        api.GET('/assessments/{id}/exceptions', { params: { path: { id: assessmentId }, query: { limit: 200, cursor } } }),
      ),
    ),
  ])
  const titles = new RequirementTitles(api)
  await titles.load(assessment.standard, assessment.standard_version)
  const choices = assessment.responses
    .filter((response) => (response.allowed_actions ?? []).includes('add_exception'))
    .map((response) => ({
      requirementId: response.requirement_id,
      title: titles.title(assessment.standard, response.requirement_id, assessment.standard_version) ?? '',
      answer: answerLabel(response.answer ?? ''),
      justification: response.justification,
      remediation: response.remediation,
    }))
  const view = {
    assessment: {
      id: assessment.id,
      standard: standardLabel(assessment.standard),
      version: assessment.standard_version,
      state: assessment.state,
      validUntil: assessment.valid_until,
    },
    service: { id: service.id, name: service.name },
    supplier: { id: supplier.id, name: supplier.name },
    choices,
    exceptions: exceptions.map((exception) => ({
      requirementId: exception.requirement_id,
      expiresOn: exception.expires_on,
      state: exception.state,
    })),
  }
  // `exceptions` and `titles` as read, for a page about one of them (the revoke page).
  return { view, exceptions, titles }
}

async function renderAcceptForm(
  res: Response,
  assessmentId: string,
  form: ExceptionForm,
  errors?: ErrorView,
): Promise<void> {
  const { view } = await assessmentPage(res.locals.api, assessmentId)
  res.status(errors ? 422 : 200).render('pages/risk-owner/accept', {
    title: 'Accept an exception',
    errors,
    form,
    stateTags,
    ...view,
  })
}

// Step 1 without a supplier: which supplier. Step 2: which of its assessments.
async function chooseAssessment(req: Request, res: Response): Promise<void> {
  const api = res.locals.api
  const supplierId = trimmed(req.query, 'supplier')
  if (!supplierId) {
    const list = await allSuppliers(api)
    res.render('pages/risk-owner/choose-supplier', {
      title: 'Accept an exception',
      suppliers: list.map((supplier) => ({ value: supplier.id, text: supplier.name })),
    })
    return
  }
  if (!isUuid(supplierId)) return notFound(res, 'There is no such supplier.')
  const [supplier, assessments, services] = await Promise.all([
    unwrap(api.GET('/suppliers/{id}', { params: { path: { id: supplierId } } })),
    allPages((cursor) =>
      unwrap(api.GET('/assessments', { params: { query: { supplier: supplierId, limit: 200, cursor } } })),
    ),
    allPages((cursor) =>
      unwrap(api.GET('/suppliers/{id}/services', { params: { path: { id: supplierId }, query: { limit: 200, cursor } } })),
    ),
  ])
  const serviceNames = new Map(services.map((service) => [service.id, service.name]))
  res.render('pages/risk-owner/choose-assessment', {
    title: 'Choose an assessment',
    supplier: { id: supplier.id, name: supplier.name },
    assessments: [...assessments].reverse().map((assessment) => ({
      id: assessment.id,
      serviceName: serviceNames.get(assessment.service_id) ?? 'A service',
      standard: standardLabel(assessment.standard),
      version: assessment.standard_version,
      state: humanise(assessment.state),
      submittedAt: assessment.submitted_at,
      validUntil: assessment.valid_until,
    })),
  })
}

const exceptionDates = ['expires_on']

export function riskOwnerRoutes(_context: RouteContext): Router {
  const router = Router()

  router.get('/exceptions', async (req, res) => {
    const api = res.locals.api
    const supplierId = trimmed(req.query, 'supplier')
    let only: Supplier | undefined
    if (supplierId) {
      if (!isUuid(supplierId)) return notFound(res, 'There is no such supplier.')
      only = await unwrap(api.GET('/suppliers/{id}', { params: { path: { id: supplierId } } }))
    }
    const { active, ended } = arrange(await exceptionRows(api, only))
    res.render('pages/risk-owner/exceptions', {
      title: only ? `Exceptions of ${only.name}` : 'Exceptions',
      supplier: only ? { id: only.id, name: only.name } : null,
      active,
      ended,
      stateTags,
    })
  })

  router.get('/exceptions/new', async (req, res) => {
    const assessmentId = trimmed(req.query, 'assessment')
    if (!assessmentId) return chooseAssessment(req, res)
    if (!isUuid(assessmentId)) return notFound(res, 'There is no such assessment.')
    await renderAcceptForm(res, assessmentId, emptyForm)
  })

  router.post('/exceptions/new', async (req, res) => {
    const assessmentId = trimmed(req.query, 'assessment')
    if (!isUuid(assessmentId)) return notFound(res, 'There is no such assessment.')
    const body: unknown = req.body
    const expires = dateField(body, 'expires_on')
    const form: ExceptionForm = {
      requirement_id: trimmed(body, 'requirement_id'),
      reason: text(body, 'reason'),
      expires_on: expires.values,
    }
    try {
      const created = await unwrap(
        res.locals.api.POST('/assessments/{id}/exceptions', {
          params: {
            path: { id: assessmentId },
            header: idempotencyHeader(body),
          },
          body: {
            requirement_id: form.requirement_id,
            reason: form.reason,
            expires_on: expires.iso ?? '',
          },
        }),
      )
      addFlash(
        req,
        `Exception accepted for ${created.requirement_id} until ${formatDate(created.expires_on)}`,
      )
      res.redirect(303, `/exceptions?supplier=${created.supplier_id}`)
    } catch (error) {
      if (!isApiError(error, 422)) throw error
      const errors = inFormWords(
        errorView(error.problem, { fieldOf: dateFieldOf(exceptionDates), defaultField: 'requirement_id' }),
        {
          requirement_id: {
            name: 'requirement_id',
            label: 'The requirement',
            empty: 'Select the requirement the exception is for',
            isEmpty: form.requirement_id === '',
          },
          reason: {
            name: 'reason',
            label: 'The reason',
            empty: 'Enter why the risk is acceptable',
            isEmpty: form.reason.trim() === '',
          },
          'expires_on-day': {
            name: 'expires_on',
            label: 'Accepted until',
            empty: 'Enter the last day the exception covers',
            isEmpty: expires.iso === undefined,
          },
        },
      )
      await renderAcceptForm(res, assessmentId, form, errors)
    }
  })

  // Revoking: a confirmation page, then the API call with the exception's ETag. The API has no
  // GET /exceptions/{id}, so the exception is found among its assessment's.
  router.get('/exceptions/:id/revoke', async (req, res) => {
    const id = String(req.params.id)
    const assessmentId = trimmed(req.query, 'assessment')
    if (!isUuid(id) || !isUuid(assessmentId)) return notFound(res, 'There is no such exception.')
    const { view: page, exceptions, titles } = await assessmentPage(res.locals.api, assessmentId)
    const exception = exceptions.find((candidate) => candidate.id === id)
    if (!exception) return notFound(res, 'There is no such exception.')
    res.render('pages/risk-owner/revoke', {
      title: 'Revoke this exception',
      exception: {
        id: exception.id,
        assessmentId,
        requirementId: exception.requirement_id,
        requirementTitle: titles.title(exception.standard, exception.requirement_id, page.assessment.version),
        reason: exception.reason,
        expiresOn: exception.expires_on,
        createdAt: exception.created_at,
        etag: exception.etag,
        state: exception.state,
      },
      stateTags,
      supplier: page.supplier,
      service: page.service,
      assessment: page.assessment,
    })
  })

  router.post('/exceptions/:id/revoke', async (req, res) => {
    const id = String(req.params.id)
    if (!isUuid(id)) return notFound(res, 'There is no such exception.')
    const revoked = await unwrap(
      res.locals.api.POST('/exceptions/{id}/revoke', {
        params: { path: { id }, header: ifMatchOf(req.body) },
      }),
    )
    addFlash(req, `Exception for ${revoked.requirement_id} revoked`)
    res.redirect(303, `/exceptions?supplier=${revoked.supplier_id}`)
  })

  return router
}
