// The supplier journeys: services and their scope profiles, assessments answered requirement by
// requirement with evidence, submission, queries from the assessor, the evidence library and
// remediation actions. Every state, date and decision shown comes from the API; every change is
// an API call with the supplier's own token, and the API decides what is allowed.
import { Router, type NextFunction, type Request, type Response } from 'express'
import { requirementsOf, standardTitles } from '../data/catalogue.js'
import { ApiError, isApiError, unwrap, withEtag, type CocoClient, type Schemas } from '../data/cocoApi.js'
import { apiPath, passDownload } from '../data/download.js'
import { isRequirementId, isUuid } from '../data/ids.js'
import { allPages } from '../data/lists.js'
import { datePartsOf, isoOfComplete, noDate, partsOfIso, type DateParts } from '../dateInput.js'
import {
  changedFirstPage,
  errorView,
  fieldOfPointer,
  mergeErrors,
  notFound,
  singleError,
  type ErrorView,
} from '../errors.js'
import { actionTag, assessmentStateTag, formatDate, humanise, receivedVerdictLabel, responseTag } from '../format.js'
import { idempotencyHeader, ifMatchOf, list, text } from '../forms.js'
import { addFlash } from '../middleware/auth.js'
import { tooLargeMessage, uploadedFile, uploadTooLarge } from '../middleware/multipart.js'
import {
  friendlyErrors,
  uploadEvidence,
} from '../supplierHelpers.js'
import { activityLabels, answerLabel, evidenceKindItems, evidenceKindLabel } from '../wording.js'
import type { RouteContext } from './index.js'

type Service = Schemas['Service']
type AssessmentResponse = Schemas['AssessmentResponse']
type Evidence = Schemas['Evidence']

// ---- data shared by several pages ------------------------------------------------------------

function supplierOf(res: Response): string {
  return res.locals.user.supplierId as string
}

async function servicesOf(api: CocoClient, supplierId: string): Promise<Service[]> {
  return allPages((cursor) =>
    unwrap(api.GET('/suppliers/{id}/services', { params: { path: { id: supplierId }, query: { limit: 200, cursor } } })),
  )
}

async function evidenceOf(api: CocoClient, supplierId: string): Promise<Evidence[]> {
  return allPages((cursor) =>
    unwrap(api.GET('/suppliers/{id}/evidence', { params: { path: { id: supplierId }, query: { limit: 200, cursor } } })),
  )
}

// A message for the next page, once: a form posted twice (and answered from the API's idempotency
// store the second time) says what happened once.
function flash(req: Request, message: string): void {
  if (!(req.session.flash ?? []).includes(message)) addFlash(req, message)
}

// A stale If-Match: someone changed the thing since the page was read, and nothing was saved.
const changedFirst = changedFirstPage('pages/supplier/changed')

// A 422 (or a 400 the person can fix) becomes the form again; anything else goes to the error page.
function formProblem(error: unknown): error is ApiError {
  return isApiError(error, 400, 422)
}

// ---- home ----------------------------------------------------------------------------------------

// Besides the inbox (changes requested, queries, actions due, evidence lapsing): the assessments
// the supplier has started and not yet submitted.
export async function supplierHome(res: Response): Promise<Record<string, unknown>> {
  const { api } = res.locals
  const supplierId = res.locals.user.supplierId
  if (!supplierId) return {}
  const [drafts, services, titles] = await Promise.all([
    allPages((cursor) =>
      unwrap(api.GET('/assessments', { params: { query: { supplier: supplierId, state: 'draft', limit: 200, cursor } } })),
    ),
    servicesOf(api, supplierId),
    standardTitles(api),
  ])
  const serviceNames = new Map(services.map((service) => [service.id, service.name]))
  return {
    drafts: drafts.map((draft) => ({
      title: { text: `${titles[draft.standard] ?? draft.standard}: ${serviceNames.get(draft.service_id) ?? 'a service'}` },
      href: `/assessments/${draft.id}`,
      hint: { text: `Started ${formatDate(draft.created_at)}` },
      status: { tag: assessmentStateTag(draft.state) },
    })),
  }
}

// ---- service forms -------------------------------------------------------------------------------

interface OffshoreRow {
  country: string
  activity: string
}

interface ServiceForm {
  name: string
  contract_ref: string
  contract_start: DateParts
  contract_end: DateParts
  classification: string
  connects_to_network: string
  personal_data: string
  hmg_crypto: string
  operates_pki: string
  offshore: OffshoreRow[]
}

const profileFlags = ['connects_to_network', 'personal_data', 'hmg_crypto', 'operates_pki'] as const
const maxOffshoreRows = 50

// The offshore rows with empty slots after them, so a location can be added without JavaScript.
function withSlots(rows: OffshoreRow[]): OffshoreRow[] {
  const slots = Math.min(maxOffshoreRows, Math.max(3, rows.length + 2))
  if (rows.length >= slots) return rows
  return [...rows, ...Array.from({ length: slots - rows.length }, () => ({ country: '', activity: '' }))]
}

function yesNo(value: boolean | undefined): string {
  return value === undefined ? '' : value ? 'yes' : 'no'
}

function serviceFormOf(service?: Service): ServiceForm {
  return {
    name: service?.name ?? '',
    contract_ref: service?.contract_ref ?? '',
    contract_start: partsOfIso(service?.contract_start),
    contract_end: partsOfIso(service?.contract_end),
    classification: service?.profile.classification ?? '',
    connects_to_network: yesNo(service?.profile.connects_to_network),
    personal_data: yesNo(service?.profile.personal_data),
    hmg_crypto: yesNo(service?.profile.hmg_crypto),
    operates_pki: yesNo(service?.profile.operates_pki),
    offshore: withSlots(service?.profile.offshore ?? []),
  }
}

function serviceFormFromBody(body: Record<string, unknown>): ServiceForm {
  const offshore: OffshoreRow[] = []
  for (let row = 0; row < maxOffshoreRows; row++) {
    if (body[`profile-offshore-${row}-country`] === undefined && body[`profile-offshore-${row}-activity`] === undefined) break
    offshore.push({
      country: text(body, `profile-offshore-${row}-country`).trim().toUpperCase(),
      activity: text(body, `profile-offshore-${row}-activity`),
    })
  }
  return {
    name: text(body, 'name').trim(),
    contract_ref: text(body, 'contract_ref').trim(),
    contract_start: datePartsOf(body, 'contract_start'),
    contract_end: datePartsOf(body, 'contract_end'),
    classification: text(body, 'profile-classification'),
    connects_to_network: text(body, 'profile-connects_to_network'),
    personal_data: text(body, 'profile-personal_data'),
    hmg_crypto: text(body, 'profile-hmg_crypto'),
    operates_pki: text(body, 'profile-operates_pki'),
    offshore,
  }
}

interface ServiceRequest {
  body: {
    name: string
    contract_ref: string | null
    contract_start: string | null
    contract_end: string | null
    profile: Record<string, unknown>
  }
  // The form row of each offshore entry sent (empty rows are not sent).
  rows: number[]
  errors?: ErrorView
}

// The form as the API's body. Empty offshore rows are left out; anything else is sent as typed,
// for the API to judge.
function serviceRequest(form: ServiceForm): ServiceRequest {
  const start = isoOfComplete(form.contract_start, 'Contract start date')
  const end = isoOfComplete(form.contract_end, 'Contract end date')
  const local = mergeErrors(
    start.error ? singleError('contract_start', start.error) : undefined,
    end.error ? singleError('contract_end', end.error) : undefined,
  )
  const rows: number[] = []
  const offshore: Record<string, string>[] = []
  form.offshore.forEach((row, index) => {
    if (row.country === '' && row.activity === '') return
    rows.push(index)
    const entry: Record<string, string> = {}
    if (row.country !== '') entry.country = row.country
    if (row.activity !== '') entry.activity = row.activity
    offshore.push(entry)
  })
  const profile: Record<string, unknown> = { offshore }
  if (form.classification !== '') profile.classification = form.classification
  for (const flag of profileFlags) {
    if (form[flag] !== '') profile[flag] = form[flag] === 'yes'
  }
  return {
    body: {
      name: form.name,
      contract_ref: form.contract_ref === '' ? null : form.contract_ref,
      contract_start: start.value === '' ? null : start.value,
      contract_end: end.value === '' ? null : end.value,
      profile,
    },
    rows,
    errors: local,
  }
}

function serviceErrors(problem: Schemas['Problem'], rows: number[]): ErrorView {
  return friendlyErrors(problem, {
    fieldOf: (pointer) => {
      const row = /^\/profile\/offshore\/(\d+)(?:\/(country|activity))?/.exec(pointer ?? '')
      if (row) return `profile-offshore-${rows[Number(row[1])] ?? 0}-${row[2] ?? 'country'}`
      if (pointer === '/profile/offshore') return 'profile-offshore-0-country'
      if (pointer === '/profile') return 'profile-classification'
      return fieldOfPointer(pointer)
    },
  })
}

// ---- answer forms ----------------------------------------------------------------------------------

interface AnswerForm {
  answer: string
  justification: string
  plan: string
  due: DateParts
  evidenceIds: string[]
  kind: string
  issued: DateParts
  expires: DateParts
}

function answerFormOf(response: AssessmentResponse): AnswerForm {
  return {
    answer: response.answer ?? '',
    justification: response.justification,
    plan: response.remediation?.plan ?? '',
    due: partsOfIso(response.remediation?.due_date),
    evidenceIds: response.evidence_ids,
    kind: '',
    issued: noDate(),
    expires: noDate(),
  }
}

function answerFormFromBody(body: unknown): AnswerForm {
  return {
    answer: text(body, 'answer'),
    justification: text(body, 'justification'),
    plan: text(body, 'remediation-plan'),
    due: datePartsOf(body, 'remediation-due_date'),
    evidenceIds: [...new Set(list(body, 'evidence_ids'))],
    kind: text(body, 'kind'),
    issued: datePartsOf(body, 'issued_on'),
    expires: datePartsOf(body, 'expires_on'),
  }
}

function answerErrors(problem: Schemas['Problem']): ErrorView {
  return friendlyErrors(problem, {
    defaultField: 'answer',
    fieldOf: (pointer) => {
      if (pointer?.startsWith('/evidence_ids')) return 'evidence_ids'
      if (pointer === '/remediation') return 'remediation-plan'
      return fieldOfPointer(pointer)
    },
  })
}

// Dates of an upload form (issued on, expires on), checked only for boxes left empty.
function uploadDates(issued: DateParts, expires: DateParts) {
  const issuedOn = isoOfComplete(issued, 'The issue date')
  const expiresOn = isoOfComplete(expires, 'The expiry date')
  const errors = mergeErrors(
    issuedOn.error ? singleError('issued_on', issuedOn.error) : undefined,
    expiresOn.error ? singleError('expires_on', expiresOn.error) : undefined,
  )
  return { issuedOn: issuedOn.value, expiresOn: expiresOn.value, errors }
}

function evidenceItems(evidence: Evidence[], checked: string[]) {
  return evidence.map((file) => ({
    value: file.id,
    text: file.filename,
    checked: checked.includes(file.id),
    hint: {
      text: [
        evidenceKindLabel(file.kind),
        file.issued_on ? `issued ${formatDate(file.issued_on)}` : '',
        file.expires_on ? `expires ${formatDate(file.expires_on)}` : '',
        `uploaded ${formatDate(file.uploaded_at)}`,
      ]
        .filter(Boolean)
        .join(', '),
    },
  }))
}

// ---- routes --------------------------------------------------------------------------------------

export function supplierRoutes(context: RouteContext): Router {
  const router = Router()
  const { config } = context

  // These journeys are the supplier's: other roles pass through to their own routes.
  router.use((_req: Request, res: Response, next: NextFunction) => {
    if (res.locals.user.role !== 'supplier') return next('router')
    if (!res.locals.user.supplierId) {
      res.status(403).render('pages/error', {
        title: 'You do not have permission to do this',
        body: 'Your account is not linked to a supplier. Ask an administrator to check it.',
      })
      return
    }
    return next()
  })

  // ---- services ----------------------------------------------------------------------------------

  router.get('/services', async (_req, res) => {
    const services = await servicesOf(res.locals.api, supplierOf(res))
    res.render('pages/supplier/services', { title: 'Your services', services })
  })

  const renderServiceForm = (res: Response, options: { service?: Service; etag?: string; form: ServiceForm; errors?: ErrorView; status?: number }) => {
    const { service } = options
    res.status(options.status ?? 200).render('pages/supplier/service-form', {
      title: service ? `Change ${service.name}` : 'Add a service',
      service,
      etag: options.etag,
      form: options.form,
      errors: options.errors,
      activityLabels,
    })
  }

  router.get('/services/new', (_req, res) => {
    renderServiceForm(res, { form: serviceFormOf() })
  })

  router.post('/services', async (req, res) => {
    const form = serviceFormFromBody(req.body)
    const request = serviceRequest(form)
    form.offshore = withSlots(form.offshore)
    if (request.errors) return renderServiceForm(res, { form, errors: request.errors, status: 422 })
    const body: Record<string, unknown> = { name: request.body.name, profile: request.body.profile }
    for (const key of ['contract_ref', 'contract_start', 'contract_end'] as const) {
      if (request.body[key] !== null) body[key] = request.body[key]
    }
    try {
      const service = await unwrap(
        res.locals.api.POST('/suppliers/{id}/services', {
          params: { path: { id: supplierOf(res) }, header: idempotencyHeader(req.body) },
          body: body as never,
        }),
      )
      flash(req, `${service.name} was added`)
      res.redirect(303, `/services/${service.id}`)
    } catch (error) {
      if (!formProblem(error)) throw error
      renderServiceForm(res, { form, errors: serviceErrors(error.problem, request.rows), status: 422 })
    }
  })

  const renderService = async (req: Request, res: Response, options: { errors?: ErrorView; status?: number; standard?: string } = {}) => {
    const id = req.params.id as string
    const { api } = res.locals
    const [service, required, assessments, titles] = await Promise.all([
      unwrap(api.GET('/services/{id}', { params: { path: { id } } })),
      unwrap(api.GET('/services/{id}/required-standards', { params: { path: { id } } })),
      allPages((cursor) =>
        unwrap(api.GET('/assessments', { params: { query: { supplier: supplierOf(res), service: id, limit: 200, cursor } } })),
      ),
      standardTitles(api),
    ])
    res.status(options.status ?? 200).render('pages/supplier/service', {
      title: service.name,
      service,
      required: required.items,
      assessments: assessments.map((assessment) => ({
        ...assessment,
        title: titles[assessment.standard] ?? assessment.standard,
        tag: assessmentStateTag(assessment.state),
      })),
      standardItems: required.items.map((item) => ({
        value: item.standard,
        text: item.title,
        hint: { text: humanise(item.reason) },
        checked: options.standard === item.standard,
      })),
      activityLabels,
      errors: options.errors,
    })
  }

  router.get('/services/:id', async (req, res) => {
    if (!isUuid(req.params.id)) return notFound(res)
    await renderService(req, res)
  })

  router.get('/services/:id/edit', async (req, res) => {
    if (!isUuid(req.params.id)) return notFound(res)
    const { data: service, etag } = await withEtag(res.locals.api.GET('/services/{id}', { params: { path: { id: req.params.id } } }))
    renderServiceForm(res, { service, etag, form: serviceFormOf(service) })
  })

  router.post('/services/:id/edit', async (req, res) => {
    if (!isUuid(req.params.id)) return notFound(res)
    const id = req.params.id
    const body = req.body
    const service = await unwrap(res.locals.api.GET('/services/{id}', { params: { path: { id } } }))
    const form = serviceFormFromBody(body)
    const request = serviceRequest(form)
    form.offshore = withSlots(form.offshore)
    const etag = text(body, 'etag')
    if (request.errors) return renderServiceForm(res, { service, etag, form, errors: request.errors, status: 422 })
    try {
      await unwrap(
        res.locals.api.PATCH('/services/{id}', {
          params: { path: { id }, header: ifMatchOf(body) },
          body: request.body as never,
        }),
      )
      flash(req, 'The service was changed')
      res.redirect(303, `/services/${id}`)
    } catch (error) {
      if (isApiError(error, 412)) {
        return changedFirst(res, 'service', `/services/${id}`, 'Go back to the service and make your change again')
      }
      if (!formProblem(error)) throw error
      renderServiceForm(res, { service, etag, form, errors: serviceErrors(error.problem, request.rows), status: 422 })
    }
  })

  router.post('/services/:id/assessments', async (req, res) => {
    if (!isUuid(req.params.id)) return notFound(res)
    const body = req.body
    const standard = text(body, 'standard')
    try {
      const assessment = await unwrap(
        res.locals.api.POST('/services/{id}/assessments', {
          params: { path: { id: req.params.id }, header: idempotencyHeader(body) },
          body: (standard === '' ? {} : { standard }) as never,
        }),
      )
      flash(req, 'The assessment was started. Answer each requirement, then submit it for review.')
      res.redirect(303, `/assessments/${assessment.id}`)
    } catch (error) {
      // Already open, or not applicable to this service: said at the choice of standard.
      if (!isApiError(error, 400, 409, 422)) throw error
      const errors = friendlyErrors(error.problem, { fieldOf: () => 'standard', defaultField: 'standard' })
      await renderService(req, res, { errors, status: error.status, standard })
    }
  })

  // ---- assessments ---------------------------------------------------------------------------------

  const renderAssessment = async (req: Request, res: Response, options: { errors?: ErrorView; status?: number } = {}) => {
    const id = req.params.id as string
    const { api } = res.locals
    const { data: assessment, etag } = await withEtag(api.GET('/assessments/{id}', { params: { path: { id } } }))
    const [service, requirements, titles] = await Promise.all([
      unwrap(api.GET('/services/{id}', { params: { path: { id: assessment.service_id } } })),
      requirementsOf(api, assessment.standard, assessment.standard_version),
      standardTitles(api),
    ])
    res.status(options.status ?? 200).render('pages/supplier/assessment', {
      title: `${titles[assessment.standard] ?? assessment.standard} assessment`,
      assessment,
      etag,
      service,
      standardTitle: titles[assessment.standard] ?? assessment.standard,
      stateTag: assessmentStateTag(assessment.state),
      canSubmit: assessment.allowed_actions.includes('submit'),
      canWithdraw: assessment.allowed_actions.includes('withdraw'),
      tasks: assessment.responses.map((response) => ({
        title: { text: `${response.requirement_id} ${requirements.get(response.requirement_id)?.title ?? ''}`.trim() },
        href: `/assessments/${assessment.id}/requirements/${response.requirement_id}`,
        hint: {
          text: [response.level, response.answer ? `Your answer: ${answerLabel(response.answer)}` : '']
            .filter(Boolean)
            .join('. '),
        },
        status: { tag: responseTag(response) },
      })),
      errors: options.errors,
    })
  }

  router.get('/assessments/:id', async (req, res) => {
    if (!isUuid(req.params.id)) return notFound(res)
    await renderAssessment(req, res)
  })

  router.post('/assessments/:id/submit', async (req, res) => {
    if (!isUuid(req.params.id)) return notFound(res)
    const id = req.params.id
    try {
      await unwrap(
        res.locals.api.POST('/assessments/{id}/submit', {
          params: { path: { id }, header: ifMatchOf(req.body) },
        }),
      )
      flash(req, 'The assessment was submitted for review. An assessor will look at it next.')
      res.redirect(303, `/assessments/${id}`)
    } catch (error) {
      if (isApiError(error, 412)) {
        return changedFirst(res, 'assessment', `/assessments/${id}`, 'Go back to the assessment, check it and submit it again')
      }
      if (!isApiError(error, 422)) throw error
      // One line per problem, each linking to the requirement's answer page.
      const errors = errorView(error.problem, {
        hrefOfRequirement: (requirementId) => `/assessments/${id}/requirements/${requirementId}`,
      })
      await renderAssessment(req, res, { errors, status: 422 })
    }
  })

  router.get('/assessments/:id/withdraw', async (req, res) => {
    if (!isUuid(req.params.id)) return notFound(res)
    const { data: assessment, etag } = await withEtag(
      res.locals.api.GET('/assessments/{id}', { params: { path: { id: req.params.id } } }),
    )
    const titles = await standardTitles(res.locals.api)
    res.render('pages/supplier/withdraw', {
      title: 'Withdraw this assessment',
      assessment,
      etag,
      standardTitle: titles[assessment.standard] ?? assessment.standard,
    })
  })

  router.post('/assessments/:id/withdraw', async (req, res) => {
    if (!isUuid(req.params.id)) return notFound(res)
    const id = req.params.id
    try {
      await unwrap(
        res.locals.api.POST('/assessments/{id}/withdraw', {
          params: { path: { id }, header: ifMatchOf(req.body) },
        }),
      )
    } catch (error) {
      if (isApiError(error, 412)) {
        return changedFirst(res, 'assessment', `/assessments/${id}`, 'Go back to the assessment')
      }
      throw error
    }
    flash(req, 'The assessment was withdrawn')
    res.redirect(303, `/assessments/${id}`)
  })

  // ---- one requirement: the answer page ---------------------------------------------------------

  interface RequirementPageOptions {
    form?: AnswerForm
    errors?: ErrorView
    status?: number
    comment?: string
    uploaded?: Evidence
  }

  const renderRequirement = async (req: Request, res: Response, options: RequirementPageOptions = {}) => {
    const id = req.params.id as string
    const requirementId = req.params.requirementId as string
    const { api } = res.locals
    const assessment = await unwrap(api.GET('/assessments/{id}', { params: { path: { id } } }))
    const response = assessment.responses.find((item) => item.requirement_id === requirementId)
    if (!response) return notFound(res)
    const [service, requirements, titles, evidence, comments] = await Promise.all([
      unwrap(api.GET('/services/{id}', { params: { path: { id: assessment.service_id } } })),
      requirementsOf(api, assessment.standard, assessment.standard_version),
      standardTitles(api),
      evidenceOf(api, supplierOf(res)),
      allPages((cursor) =>
        unwrap(api.GET('/assessments/{id}/comments', { params: { path: { id }, query: { limit: 200, cursor } } })),
      ),
    ])
    const form = options.form ?? answerFormOf(response)
    const errors = options.errors
    const attached = evidence.filter((file) => response.evidence_ids.includes(file.id))
    const editable = (response.allowed_actions ?? []).includes('answer')
    const requirement = requirements.get(requirementId)
    res.status(options.status ?? 200).render('pages/supplier/requirement', {
      title: `${requirementId}${requirement ? `: ${requirement.title}` : ''}`,
      assessment,
      service,
      standardTitle: titles[assessment.standard] ?? assessment.standard,
      response,
      requirement,
      acceptedKinds: (requirement?.evidence_kinds ?? []).map(evidenceKindLabel),
      tag: responseTag(response),
      answerLabel: response.answer ? answerLabel(response.answer) : '',
      review: response.review ? { ...response.review, label: receivedVerdictLabel(response.review.verdict) } : null,
      history: response.review_history
        .slice(0, -1)
        .reverse()
        .map((review) => ({ ...review, label: receivedVerdictLabel(review.verdict) })),
      attached: attached.map((file) => ({ ...file, kindLabel: evidenceKindLabel(file.kind) })),
      editable,
      form,
      etag: response.etag,
      evidenceItems: evidenceItems(evidence, form.evidenceIds),
      kindItems: evidenceKindItems(form.kind),
      comments: comments.map((comment) => ({
        ...comment,
        author:
          comment.author_id === res.locals.user.id
            ? 'You'
            : comment.author_role === 'supplier'
              ? 'Your colleague'
              : comment.author_role === 'assessor'
                ? 'Assessor'
                : humanise(comment.author_role),
      })),
      comment: options.comment ?? '',
      uploaded: options.uploaded,
      maxUpload: config.maxUploadBytes,
      errors,
    })
  }

  const checkRequirementPath = (req: Request, res: Response): boolean => {
    if (!isUuid(req.params.id) || !isRequirementId(req.params.requirementId)) {
      notFound(res)
      return false
    }
    return true
  }

  router.get('/assessments/:id/requirements/:requirementId', async (req, res) => {
    if (!checkRequirementPath(req, res)) return
    await renderRequirement(req, res)
  })

  router.post('/assessments/:id/requirements/:requirementId', async (req, res) => {
    if (!checkRequirementPath(req, res)) return
    const id = req.params.id as string
    const requirementId = req.params.requirementId as string
    const body = req.body
    const form = answerFormFromBody(body)
    if (uploadTooLarge(req)) {
      // Nothing was sent to the API: the file was refused here, before any change.
      return renderRequirement(req, res, {
        form,
        errors: singleError('file', tooLargeMessage(config.maxUploadBytes)),
        status: 413,
      })
    }
    const due = isoOfComplete(form.due, 'The remediation due date')
    const file = uploadedFile(req)
    const dates = uploadDates(form.issued, form.expires)
    const local = mergeErrors(
      due.error ? singleError('remediation-due_date', due.error) : undefined,
      file ? dates.errors : undefined,
    )
    if (local) return renderRequirement(req, res, { form, errors: local, status: 422 })

    const { api } = res.locals
    let uploaded: Evidence | undefined
    if (file) {
      const result = await uploadEvidence(
        api,
        supplierOf(res),
        file,
        { kind: form.kind, issuedOn: dates.issuedOn, expiresOn: dates.expiresOn },
        idempotencyHeader(body),
      )
      if (!result.evidence) return renderRequirement(req, res, { form, errors: result.errors, status: result.status })
      uploaded = result.evidence
      form.evidenceIds = [...new Set([...form.evidenceIds, result.evidence.id])]
      form.kind = ''
      form.issued = noDate()
      form.expires = noDate()
    }

    const update: Record<string, unknown> = {
      justification: form.justification,
      evidence_ids: form.evidenceIds,
    }
    if (form.answer !== '') update.answer = form.answer
    if (form.plan.trim() !== '' || due.value !== '') {
      update.remediation = { ...(form.plan.trim() !== '' ? { plan: form.plan } : {}), ...(due.value ? { due_date: due.value } : {}) }
    }
    try {
      await unwrap(
        api.PUT('/assessments/{id}/responses/{requirement_id}', {
          params: { path: { id, requirement_id: requirementId }, header: ifMatchOf(body) },
          body: update as never,
        }),
      )
    } catch (error) {
      // The file went to the library before the answer failed: say so, wherever the person lands.
      const kept = uploaded
        ? `${uploaded.filename} was added to your evidence library; choose it there when you answer again.`
        : undefined
      if (isApiError(error, 412)) {
        return changedFirst(
          res,
          'answer',
          `/assessments/${id}/requirements/${requirementId}`,
          'Go back to the requirement, check the answer and make your change again',
          kept,
        )
      }
      if (!formProblem(error)) {
        if (kept) addFlash(req, kept)
        throw error
      }
      return renderRequirement(req, res, { form, errors: answerErrors(error.problem), status: 422, uploaded })
    }
    flash(req, `Your answer to ${requirementId} was saved`)
    res.redirect(303, `/assessments/${id}`)
  })

  // A reply to the assessor, on the assessment's comment thread; back to the requirement it was
  // written from.
  router.post('/assessments/:id/requirements/:requirementId/comments', async (req, res) => {
    if (!checkRequirementPath(req, res)) return
    const id = req.params.id as string
    const requirementId = req.params.requirementId as string
    const body = req.body
    const comment = text(body, 'comment')
    try {
      await unwrap(
        res.locals.api.POST('/assessments/{id}/comments', {
          params: { path: { id }, header: idempotencyHeader(body) },
          body: { body: comment } as never,
        }),
      )
    } catch (error) {
      if (!formProblem(error)) throw error
      const errors = friendlyErrors(error.problem, { fieldOf: () => 'comment', defaultField: 'comment' })
      return renderRequirement(req, res, { errors, status: 422, comment })
    }
    flash(req, 'Your reply was sent')
    res.redirect(303, `/assessments/${id}/requirements/${requirementId}#comments`)
  })

  // ---- evidence library ----------------------------------------------------------------------------

  interface EvidenceForm {
    kind: string
    issued: DateParts
    expires: DateParts
  }

  const renderEvidence = async (res: Response, options: { form?: EvidenceForm; errors?: ErrorView; status?: number } = {}) => {
    const evidence = await evidenceOf(res.locals.api, supplierOf(res))
    const form = options.form ?? { kind: '', issued: noDate(), expires: noDate() }
    res.status(options.status ?? 200).render('pages/supplier/evidence', {
      title: 'Evidence',
      evidence: evidence.map((file) => ({ ...file, kindLabel: evidenceKindLabel(file.kind) })),
      kindItems: evidenceKindItems(form.kind),
      form,
      maxUpload: config.maxUploadBytes,
      errors: options.errors,
    })
  }

  router.get('/evidence', async (_req, res) => {
    await renderEvidence(res)
  })

  router.post('/evidence', async (req, res) => {
    const body = req.body
    const form: EvidenceForm = {
      kind: text(body, 'kind'),
      issued: datePartsOf(body, 'issued_on'),
      expires: datePartsOf(body, 'expires_on'),
    }
    if (uploadTooLarge(req)) {
      return renderEvidence(res, { form, errors: singleError('file', tooLargeMessage(config.maxUploadBytes)), status: 413 })
    }
    const file = uploadedFile(req)
    if (!file) return renderEvidence(res, { form, errors: singleError('file', 'Select a file'), status: 422 })
    const dates = uploadDates(form.issued, form.expires)
    if (dates.errors) return renderEvidence(res, { form, errors: dates.errors, status: 422 })
    const result = await uploadEvidence(
      res.locals.api,
      supplierOf(res),
      file,
      { kind: form.kind, issuedOn: dates.issuedOn, expiresOn: dates.expiresOn },
      idempotencyHeader(body),
    )
    if (!result.evidence) return renderEvidence(res, { form, errors: result.errors, status: result.status })
    flash(req, `${result.evidence.filename} was uploaded`)
    res.redirect(303, '/evidence')
  })

  router.get('/evidence/:id/content', async (req, res) => {
    if (!isUuid(req.params.id)) return notFound(res)
    await passDownload(config.apiUrl, req, res, apiPath`/evidence/${req.params.id}/content`)
  })

  // ---- actions -----------------------------------------------------------------------------------------

  router.get('/actions', async (_req, res) => {
    const { api } = res.locals
    const [actions, services, titles] = await Promise.all([
      allPages((cursor) => unwrap(api.GET('/actions', { params: { query: { supplier: supplierOf(res), limit: 200, cursor } } }))),
      servicesOf(api, supplierOf(res)),
      standardTitles(api),
    ])
    const names = new Map(services.map((service) => [service.id, service.name]))
    res.render('pages/supplier/actions', {
      title: 'Actions',
      actions: actions.map((action) => ({
        ...action,
        serviceName: names.get(action.service_id) ?? '',
        standardTitle: titles[action.standard] ?? action.standard,
        tag: actionTag(action),
      })),
    })
  })

  const renderAction = async (req: Request, res: Response, options: { note?: string; evidenceIds?: string[]; errors?: ErrorView; status?: number } = {}) => {
    const id = req.params.id as string
    const { api } = res.locals
    const action = await unwrap(api.GET('/actions/{id}', { params: { path: { id } } }))
    const [service, titles, evidence] = await Promise.all([
      unwrap(api.GET('/services/{id}', { params: { path: { id: action.service_id } } })),
      standardTitles(api),
      evidenceOf(api, supplierOf(res)),
    ])
    const completionFiles = evidence.filter((file) => action.completion?.evidence_ids.includes(file.id))
    res.status(options.status ?? 200).render('pages/supplier/action', {
      title: `Action for ${action.requirement_id}`,
      action,
      service,
      standardTitle: titles[action.standard] ?? action.standard,
      tag: actionTag(action),
      completionFiles,
      note: options.note ?? '',
      evidenceItems: evidenceItems(evidence, options.evidenceIds ?? []),
      errors: options.errors,
    })
  }

  router.get('/actions/:id', async (req, res) => {
    if (!isUuid(req.params.id)) return notFound(res)
    await renderAction(req, res)
  })

  router.post('/actions/:id/complete', async (req, res) => {
    if (!isUuid(req.params.id)) return notFound(res)
    const id = req.params.id
    const body = req.body
    const note = text(body, 'note')
    const evidenceIds = [...new Set(list(body, 'evidence_ids'))]
    try {
      await unwrap(
        res.locals.api.POST('/actions/{id}/complete', {
          params: { path: { id }, header: ifMatchOf(body) },
          body: { note, ...(evidenceIds.length > 0 ? { evidence_ids: evidenceIds } : {}) },
        }),
      )
    } catch (error) {
      if (isApiError(error, 412)) {
        return changedFirst(res, 'action', `/actions/${id}`, 'Go back to the action')
      }
      if (!formProblem(error)) throw error
      const errors = friendlyErrors(error.problem, {
        defaultField: 'note',
        fieldOf: (pointer) => (pointer?.startsWith('/evidence_ids') ? 'evidence_ids' : fieldOfPointer(pointer)),
      })
      return renderAction(req, res, { note, evidenceIds, errors, status: 422 })
    }
    flash(req, 'The action was marked complete. An assessor will verify it.')
    res.redirect(303, '/actions')
  })

  return router
}
