// The assessor journeys: the review queue, claiming a case, the case page with a verdict on each
// response, comments, and the decisions (request changes, approve with conditions, reject,
// release, suspend and lift). Every state, count and refusal comes from the API; the pages only
// choose which forms to show from what the API returned, and the API decides.
import { Router, type NextFunction, type Request, type Response } from 'express'
import {
  approvalFieldOf,
  caseLines,
  conditionRows,
  conditionsOf,
  emptyConditionRow,
  maxConditionRows,
  whoIs,
  type ConditionRow,
} from '../assessorHelpers.js'
import { requirementsOf, standardTitles } from '../data/catalogue.js'
import { isApiError, unwrap, type CocoClient, type Problem, type Schemas } from '../data/cocoApi.js'
import { apiPath, passDownload } from '../data/download.js'
import { allPages } from '../data/lists.js'
import { asStandardKey, isRequirementId, isUuid } from '../data/ids.js'
import { datePartsOf, isBlank, isoOf, linkDatesToDay, noDate, type DateParts } from '../dateInput.js'
import { errorView, notFound, type ErrorView } from '../errors.js'
import { formatDate, humanise, verdictLabel, verdictTag } from '../format.js'
import { idempotencyHeader, ifMatchOf, ifMatchOfVersion, text as field } from '../forms.js'
import { addFlash } from '../middleware/auth.js'
import { answerLabel, evidenceKindLabel } from '../wording.js'
import type { RouteContext } from './index.js'

type Assessment = Schemas['Assessment']

// A call whose 422 the page shows at its fields; anything else goes to the error page.
async function attempt<T>(call: Promise<T>): Promise<{ value: T; problem?: undefined } | { problem: Problem }> {
  try {
    return { value: await call }
  } catch (error) {
    if (isApiError(error, 422)) return { problem: error.problem }
    throw error
  }
}

// The message for the next page, then the page (app.ts stores the session before redirecting).
function done(req: Request, res: Response, message: string, to: string): void {
  addFlash(req, message)
  res.redirect(303, to)
}

const caseHref = (id: string) => `/cases/${id}`
const requirementHref = (id: string, requirementId: string) => `/cases/${id}/requirements/${requirementId}`

// ---- home ------------------------------------------------------------------------------------

// Besides the inbox (their claimed cases and those waiting to be claimed): the cases they sent
// back to the supplier, which wait on someone else.
export async function assessorHome(res: Response): Promise<Record<string, unknown>> {
  const api = res.locals.api
  const me = res.locals.user.id
  const [titles, sentBack] = await Promise.all([
    standardTitles(api),
    allPages((cursor) =>
      unwrap(api.GET('/assessments', { params: { query: { state: 'changes_requested', limit: 200, cursor } } })),
    ),
  ])
  const withSupplier = await caseLines(api, me, sentBack.filter((item) => item.previous_assessor === me), titles)
  return { withSupplier }
}

// ---- the case --------------------------------------------------------------------------------

interface RequirementRow {
  id: string
  href: string
  level: string
  title: string
  text: string
  answer: string
  justification: string
  remediation: Schemas['Remediation'] | null
  evidenceIds: string[]
  review: Schemas['Review'] | null
  reviewHistory: Schemas['Review'][]
  tag: { text: string; classes: string }
  etag: string
  openForChanges: boolean
  reopened: boolean
  // The API's allowed_actions for this response and this reader.
  canReview: boolean
}

interface CaseView {
  assessment: Assessment
  supplier: Schemas['Supplier']
  service: Schemas['Service']
  standardTitle: string
  rows: RequirementRow[]
  reviewed: number
  total: number
  claimedBy: 'me' | 'other' | null
  previousAssessor: 'me' | 'other' | null
  suspendedBy: 'me' | 'other' | null
  // Which forms the page offers: the API's allowed_actions for this reader.
  offers: {
    claim: boolean
    approve: boolean
    requestChanges: boolean
    reject: boolean
    release: boolean
    suspend: boolean
    lift: boolean
  }
  label: string
}

async function loadCase(api: CocoClient, me: string, id: string): Promise<CaseView> {
  const assessment = await unwrap(api.GET('/assessments/{id}', { params: { path: { id } } }))
  const [supplier, service, requirements, titles] = await Promise.all([
    unwrap(api.GET('/suppliers/{id}', { params: { path: { id: assessment.supplier_id } } })),
    unwrap(api.GET('/services/{id}', { params: { path: { id: assessment.service_id } } })),
    requirementsOf(api, assessment.standard, assessment.standard_version),
    standardTitles(api),
  ])
  const rows = assessment.responses.map((response) => {
    const requirement = requirements.get(response.requirement_id)
    return {
      id: response.requirement_id,
      href: requirementHref(id, response.requirement_id),
      level: response.level,
      title: requirement?.title ?? response.requirement_id,
      text: requirement?.text ?? '',
      answer: response.answer ? answerLabel(response.answer) : 'Not answered',
      justification: response.justification,
      remediation: response.remediation,
      evidenceIds: response.evidence_ids,
      review: response.review,
      reviewHistory: response.review_history,
      tag: verdictTag(response),
      etag: response.etag,
      openForChanges: response.open_for_changes,
      reopened: response.reopened,
      canReview: (response.allowed_actions ?? []).includes('review'),
    } satisfies RequirementRow
  })
  const who = whoIs(me)
  const claimedBy = who(assessment.claimed_by)
  const allowed = new Set(assessment.allowed_actions)
  return {
    assessment,
    supplier,
    service,
    standardTitle: titles[assessment.standard] ?? assessment.standard,
    rows,
    reviewed: assessment.responses.filter((response) => response.review !== null).length,
    total: assessment.responses.length,
    claimedBy,
    previousAssessor: who(assessment.previous_assessor),
    suspendedBy: who(assessment.suspension?.suspended_by),
    offers: {
      claim: allowed.has('claim'),
      approve: allowed.has('approve'),
      requestChanges: allowed.has('request_changes'),
      reject: allowed.has('reject'),
      release: allowed.has('release'),
      suspend: allowed.has('suspend'),
      lift: allowed.has('lift'),
    },
    label: `${supplier.name}, ${service.name} (${assessment.standard})`,
  }
}

export function assessorRoutes(context: RouteContext): Router {
  const router = Router()
  const { config } = context

  // Ids the API could never know are a missing page, not an API call.
  router.param('caseId', (_req, _res, next: NextFunction, value: string) => next(isUuid(value) ? undefined : 'route'))
  router.param('evidenceId', (_req, _res, next: NextFunction, value: string) =>
    next(isUuid(value) ? undefined : 'route'),
  )
  router.param('requirementId', (_req, _res, next: NextFunction, value: string) =>
    next(isRequirementId(value) ? undefined : 'route'),
  )

  // ---- the queue -----------------------------------------------------------------------------

  router.get('/review-queue', async (req, res) => {
    const api = res.locals.api
    const standard = asStandardKey(req.query.standard)
    const cursor = typeof req.query.cursor === 'string' && req.query.cursor !== '' ? req.query.cursor : undefined
    const [titles, page] = await Promise.all([
      standardTitles(api),
      unwrap(api.GET('/review-queue', { params: { query: { limit: 50, ...(standard ? { standard } : {}), cursor } } })),
    ])
    const lines = await caseLines(api, res.locals.user.id, page.items, titles)
    const query = (extra: Record<string, string>) =>
      `/review-queue?${new URLSearchParams({ ...(standard ? { standard } : {}), ...extra })}`
    res.render('pages/assessor/queue', {
      title: 'Review queue',
      lines,
      standard: standard ?? '',
      standards: Object.entries(titles).map(([key, title]) => ({ value: key, text: title })),
      nextHref: page.next_cursor ? query({ cursor: page.next_cursor }) : null,
      firstHref: cursor ? query({}) : null,
    })
  })

  router.post('/cases/:caseId/claim', async (req, res) => {
    const api = res.locals.api
    const id = req.params.caseId as string
    try {
      // No If-Match: of two assessors claiming at once the API lets one win and tells the other
      // who did (409 already_claimed), whatever version their page showed.
      await unwrap(api.POST('/assessments/{id}/claim', { params: { path: { id } } }))
    } catch (error) {
      if (isApiError(error, 409) && error.problem.code === 'already_claimed') {
        const view = await loadCase(api, res.locals.user.id, id)
        res.status(409).render('pages/assessor/already-claimed', {
          title: view.claimedBy === 'me' ? 'You have already claimed this case' : 'Another assessor claimed this case first',
          view,
        })
        return
      }
      throw error
    }
    done(req, res, 'You claimed this case. It is now in review with you.', caseHref(id))
  })

  // ---- the case page -------------------------------------------------------------------------

  async function renderCase(req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) {
    const api = res.locals.api
    const id = req.params.caseId as string
    const view = await loadCase(api, res.locals.user.id, id)
    const [comments, actions] = await Promise.all([
      unwrap(api.GET('/assessments/{id}/comments', { params: { path: { id }, query: { limit: 200 } } })),
      ['approved', 'superseded'].includes(view.assessment.state)
        ? unwrap(api.GET('/actions', { params: { query: { assessment: id, limit: 200 } } })).then((page) => page.items)
        : Promise.resolve([] as Schemas['Action'][]),
    ])
    res.status(status).render('pages/assessor/case', {
      title: `Case: ${view.supplier.name}, ${view.service.name}`,
      view,
      comments: comments.items.map((comment) => ({
        ...comment,
        byMe: comment.author_id === res.locals.user.id,
        lines: comment.body.split(/\r?\n/),
      })),
      actions: actions.map((action) => ({ ...action, stateLabel: humanise(action.state) })),
      commentValues: { body: '', internal: false },
      ...extra,
    })
  }

  router.get('/cases/:caseId', async (req, res) => {
    await renderCase(req, res)
  })

  router.post('/cases/:caseId/comments', async (req, res) => {
    const id = req.params.caseId as string
    const body = field(req.body, 'body')
    const internal = field(req.body, 'internal') === 'true'
    const outcome = await attempt(
      unwrap(
        res.locals.api.POST('/assessments/{id}/comments', {
          params: { path: { id }, header: idempotencyHeader(req.body) },
          body: { body, internal },
        }),
      ),
    )
    if (outcome.problem) {
      const errors = errorView(outcome.problem, { fieldOf: () => 'comment-body', defaultField: 'comment-body' })
      await renderCase(req, res, { errors, commentValues: { body, internal } }, 422)
      return
    }
    done(req, res, internal ? 'Internal comment added. The supplier will not see it.' : 'Comment added.', `${caseHref(id)}#comments`)
  })

  // ---- one requirement: the answer, its evidence and the verdict ----------------------------

  async function renderRequirement(
    req: Request,
    res: Response,
    extra: { errors?: ErrorView; values?: { verdict: string; comment: string } } = {},
    status = 200,
  ) {
    const api = res.locals.api
    const id = req.params.caseId as string
    const requirementId = req.params.requirementId as string
    const view = await loadCase(api, res.locals.user.id, id)
    const index = view.rows.findIndex((row) => row.id === requirementId)
    if (index < 0) return notFound(res, `This assessment has no response to ${requirementId}.`)
    const row = view.rows[index]
    const evidence = await Promise.all(
      row.evidenceIds.map((evidenceId) => unwrap(api.GET('/evidence/{id}', { params: { path: { id: evidenceId } } }))),
    )
    res.status(status).render('pages/assessor/requirement', {
      title: `${row.id}: ${row.title}`,
      view,
      row,
      position: index + 1,
      previousHref: index > 0 ? view.rows[index - 1].href : null,
      nextHref: index < view.rows.length - 1 ? view.rows[index + 1].href : null,
      evidence: evidence.map((file) => ({
        ...file,
        kindLabel: evidenceKindLabel(file.kind),
        href: `${caseHref(id)}/evidence/${file.id}`,
      })),
      history: row.reviewHistory.map((review) => ({
        ...review,
        label: verdictLabel(review.verdict),
        byMe: review.reviewed_by === res.locals.user.id,
      })),
      values: extra.values ?? { verdict: row.review?.verdict ?? '', comment: '' },
      errors: extra.errors,
    })
  }

  router.get('/cases/:caseId/requirements/:requirementId', async (req, res) => {
    await renderRequirement(req, res)
  })

  router.post('/cases/:caseId/requirements/:requirementId', async (req, res) => {
    const api = res.locals.api
    const id = req.params.caseId as string
    const requirementId = req.params.requirementId as string
    const verdict = field(req.body, 'verdict')
    const comment = field(req.body, 'comment').trim()
    const outcome = await attempt(
      unwrap(
        api.PUT('/assessments/{id}/responses/{requirement_id}/review', {
          params: { path: { id, requirement_id: requirementId }, header: ifMatchOf(req.body) },
          // The API checks the verdict and whether a comment is needed; an empty box is no comment.
          body: { verdict, ...(comment ? { comment } : {}) } as Schemas['ReviewVerdict'],
        }),
      ),
    )
    if (outcome.problem) {
      const errors = errorView(outcome.problem, { defaultField: 'verdict' })
      await renderRequirement(req, res, { errors, values: { verdict, comment } }, 422)
      return
    }
    // On to the next response still without a verdict, in catalogue order, else the case.
    const assessment = await unwrap(api.GET('/assessments/{id}', { params: { path: { id } } }))
    const order = assessment.responses.map((response) => response.requirement_id)
    const at = order.indexOf(requirementId)
    const next = [...assessment.responses.slice(at + 1), ...assessment.responses.slice(0, Math.max(at, 0))].find(
      (response) => response.review === null,
    )
    done(
      req,
      res,
      `Your verdict on ${requirementId} is saved: ${verdictLabel(outcome.value.review?.verdict ?? verdict)}.`,
      next ? requirementHref(id, next.requirement_id) : caseHref(id),
    )
  })

  router.get('/cases/:caseId/evidence/:evidenceId', async (req, res) => {
    await passDownload(config.apiUrl, req, res, apiPath`/evidence/${String(req.params.evidenceId)}/content`)
  })

  // ---- decisions -----------------------------------------------------------------------------

  // A decision that takes one text: request changes (summary), reject and suspend (reason).
  interface TextDecision {
    path: string
    view: string
    title: string
    fieldName: 'summary' | 'reason'
    call: (api: CocoClient, id: string, text: string, headers: { 'If-Match'?: string }) => Promise<Assessment>
    message: (assessment: Assessment) => string
  }

  const textDecisions: TextDecision[] = [
    {
      path: 'request-changes',
      view: 'pages/assessor/request-changes',
      title: 'Request changes',
      fieldName: 'summary',
      call: (api, id, summary, header) =>
        unwrap(api.POST('/assessments/{id}/request-changes', { params: { path: { id }, header }, body: { summary } })),
      message: () => 'Changes requested. The assessment is back with the supplier.',
    },
    {
      path: 'reject',
      view: 'pages/assessor/reject',
      title: 'Reject the assessment',
      fieldName: 'reason',
      call: (api, id, reason, header) =>
        unwrap(api.POST('/assessments/{id}/reject', { params: { path: { id }, header }, body: { reason } })),
      message: () => 'Assessment rejected.',
    },
    {
      path: 'suspend',
      view: 'pages/assessor/suspend',
      title: 'Suspend the approval',
      fieldName: 'reason',
      call: (api, id, reason, header) =>
        unwrap(api.POST('/assessments/{id}/suspend', { params: { path: { id }, header }, body: { reason } })),
      message: () => 'Approval suspended.',
    },
  ]

  for (const decision of textDecisions) {
    const render = async (req: Request, res: Response, values: Record<string, string>, errors?: ErrorView) => {
      const view = await loadCase(res.locals.api, res.locals.user.id, req.params.caseId as string)
      res.status(errors ? 422 : 200).render(decision.view, {
        title: decision.title,
        view,
        values: { version: String(view.assessment.version), ...values },
        opened: view.rows.filter((row) => (row.review !== null && row.review.verdict !== 'accepted') || row.reopened),
        errors,
      })
    }
    router.get(`/cases/:caseId/${decision.path}`, async (req, res) => {
      await render(req, res, { text: '' })
    })
    router.post(`/cases/:caseId/${decision.path}`, async (req, res) => {
      const id = req.params.caseId as string
      const text = field(req.body, decision.fieldName)
      const outcome = await attempt(decision.call(res.locals.api, id, text, ifMatchOfVersion(req.body)))
      if (outcome.problem) {
        const errors = errorView(outcome.problem, {
          hrefOfRequirement: (requirementId) => requirementHref(id, requirementId),
        })
        await render(req, res, { text, version: field(req.body, 'version') }, errors)
        return
      }
      done(req, res, decision.message(outcome.value), caseHref(id))
    })
  }

  // Approve, with conditions: rows of requirement, description and due date. Without JavaScript
  // "Add another condition" posts the form and shows it again with one more row.
  async function renderApprove(
    req: Request,
    res: Response,
    form: { rows: ConditionRow[]; validUntil: DateParts; version?: string },
    errors?: ErrorView,
  ) {
    const view = await loadCase(res.locals.api, res.locals.user.id, req.params.caseId as string)
    res.status(errors ? 422 : 200).render('pages/assessor/approve', {
      title: 'Approve the assessment',
      view,
      form: { ...form, version: form.version ?? String(view.assessment.version) },
      canAddRow: form.rows.length < maxConditionRows,
      requirementOptions: view.rows.map((row) => ({ value: row.id, text: `${row.id} ${row.title} (${row.level}, ${row.answer})` })),
      errors,
    })
  }

  router.get('/cases/:caseId/approve', async (req, res) => {
    await renderApprove(req, res, { rows: [emptyConditionRow()], validUntil: noDate() })
  })

  router.post('/cases/:caseId/approve', async (req, res) => {
    const id = req.params.caseId as string
    const body: unknown = req.body
    const rows = conditionRows(body)
    const validUntil = datePartsOf(body, 'valid_until')
    const version = field(body, 'version')
    if (field(body, 'action') === 'add') {
      if (rows.length < maxConditionRows) rows.push(emptyConditionRow())
      await renderApprove(req, res, { rows, validUntil, version })
      return
    }
    const { conditions, rowOf } = conditionsOf(rows)
    const approval: Schemas['Approval'] = {
      ...(isBlank(validUntil) ? {} : { valid_until: isoOf(validUntil) }),
      ...(conditions.length > 0 ? { conditions } : {}),
    }
    const outcome = await attempt(
      unwrap(
        res.locals.api.POST('/assessments/{id}/approve', {
          params: { path: { id }, header: ifMatchOfVersion(body) },
          body: approval,
        }),
      ),
    )
    if (outcome.problem) {
      const errors = linkDatesToDay(
        errorView(outcome.problem, {
          fieldOf: approvalFieldOf(rowOf),
          hrefOfRequirement: (requirementId) => requirementHref(id, requirementId),
        }),
        ['valid_until', ...rows.map((_row, index) => `conditions-${index}-due_date`)],
      )
      await renderApprove(req, res, { rows, validUntil, version }, errors)
      return
    }
    const approved = outcome.value
    const made =
      conditions.length === 0
        ? ''
        : conditions.length === 1
          ? ' Its condition is now an open remediation action.'
          : ` Its ${conditions.length} conditions are now open remediation actions.`
    done(req, res, `Assessment approved, valid until ${formatDate(approved.valid_until)}.${made}`, caseHref(id))
  })

  // Release and lift take no text: a button on the case page.
  router.post('/cases/:caseId/release', async (req, res) => {
    const id = req.params.caseId as string
    await unwrap(res.locals.api.POST('/assessments/{id}/release', { params: { path: { id }, header: ifMatchOfVersion(req.body) } }))
    done(req, res, 'You released this case. It is back in the review queue for any assessor to claim.', caseHref(id))
  })

  router.post('/cases/:caseId/lift', async (req, res) => {
    const id = req.params.caseId as string
    await unwrap(res.locals.api.POST('/assessments/{id}/lift', { params: { path: { id }, header: ifMatchOfVersion(req.body) } }))
    done(req, res, 'Suspension lifted. The approval stands again.', caseHref(id))
  })

  return router
}
