// Small helpers of the supplier journeys: reading whole lists, dates typed in three boxes, the
// words and tag colours for states, and multipart forms with a file. Wording only: every state,
// date and decision comes from the API as it is.
import type { NextFunction, Request, RequestHandler, Response } from 'express'
import multer from 'multer'
import type { CocoClient, Problem, Schemas } from './data/cocoApi.js'
import { ApiError, unwrap } from './data/cocoApi.js'
import { errorView, fieldOfPointer, singleError, type ErrorView, type ErrorViewOptions } from './errors.js'
import { formatBytes } from './format.js'
import type { RouteContext } from './routes/index.js'

export type EvidenceKind = Schemas['EvidenceKind']

// ---- lists -----------------------------------------------------------------------------------

interface Page<T> {
  items: T[]
  next_cursor: string | null
}

// Every item of a paged list, following next_cursor (up to maxPages pages of 200).
export async function listAll<T>(
  fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
  maxPages = 25,
): Promise<T[]> {
  const items: T[] = []
  let cursor: string | undefined
  for (let page = 0; page < maxPages; page++) {
    const result = await fetchPage(cursor)
    items.push(...result.items)
    if (!result.next_cursor) break
    cursor = result.next_cursor
  }
  return items
}

// The data of a call and the ETag it came with.
export async function withEtag<T>(
  call: Promise<{ data?: T; error?: unknown; response: globalThis.Response }>,
): Promise<{ data: T; etag: string }> {
  const pending = await call
  const data = await unwrap(Promise.resolve(pending))
  return { data, etag: pending.response.headers.get('etag') ?? '' }
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && uuidPattern.test(value)
}

export const requirementIdPattern = /^(COCO|OFF|CRYPTO|SUP)-[0-9]{2}$/

// ---- form values -----------------------------------------------------------------------------

export type FormBody = Record<string, string | string[] | undefined>

export function text(body: FormBody, name: string): string {
  const value = body[name]
  if (Array.isArray(value)) return String(value[0] ?? '')
  return value === undefined ? '' : String(value)
}

export function list(body: FormBody, name: string): string[] {
  const value = body[name]
  if (value === undefined) return []
  return (Array.isArray(value) ? value : [value]).map(String).filter((item) => item !== '')
}

export interface DateParts {
  day: string
  month: string
  year: string
}

export function dateParts(body: FormBody, prefix: string): DateParts {
  return {
    day: text(body, `${prefix}-day`).trim(),
    month: text(body, `${prefix}-month`).trim(),
    year: text(body, `${prefix}-year`).trim(),
  }
}

export function partsOfDate(value: string | null | undefined): DateParts {
  const match = value ? /^(\d{4})-(\d{2})-(\d{2})/.exec(value) : null
  if (!match) return { day: '', month: '', year: '' }
  return { day: String(Number(match[3])), month: String(Number(match[2])), year: match[1] }
}

// Three boxes → "YYYY-MM-DD" for the API to judge; '' when all are empty. A date with a box left
// empty is refused here with the wording GOV.UK uses, since the API never sees the boxes.
export function isoDate(parts: DateParts, label: string): { value: string; error?: string } {
  const { day, month, year } = parts
  if (day === '' && month === '' && year === '') return { value: '' }
  const missing = [day === '' && 'day', month === '' && 'month', year === '' && 'year'].filter(Boolean)
  if (missing.length > 0) return { value: '', error: `${label} must include a ${missing.join(' and ')}` }
  const pad = (value: string) => (/^\d$/.test(value) ? `0${value}` : value)
  return { value: `${year}-${pad(month)}-${pad(day)}` }
}

// The items of a GOV.UK date input, with the error class on each box when the date is wrong.
export function dateItems(parts: DateParts, hasError: boolean) {
  const error = hasError ? ' govuk-input--error' : ''
  return [
    { name: 'day', classes: `govuk-input--width-2${error}`, value: parts.day },
    { name: 'month', classes: `govuk-input--width-2${error}`, value: parts.month },
    { name: 'year', classes: `govuk-input--width-4${error}`, value: parts.year },
  ]
}

// ---- words -----------------------------------------------------------------------------------

export const evidenceKindLabels: Record<EvidenceKind, string> = {
  pen_test_report: 'Penetration test report',
  it_health_check: 'IT health check',
  iso27001_certificate: 'ISO 27001 certificate',
  cyber_essentials_certificate: 'Cyber Essentials certificate',
  cyber_essentials_plus_certificate: 'Cyber Essentials Plus certificate',
  policy: 'Policy',
  network_diagram: 'Network diagram',
  tls_scan: 'TLS scan',
  signed_code_of_connection: 'Signed Code of Connection',
  siro_approval: 'SIRO approval',
  dpia: 'Data protection impact assessment (DPIA)',
  other: 'Other',
}

export function evidenceKindLabel(kind: string): string {
  return evidenceKindLabels[kind as EvidenceKind] ?? kind
}

export const answerLabels: Record<string, string> = {
  met: 'Met',
  partially_met: 'Partially met',
  not_met: 'Not met',
  not_applicable: 'Not applicable',
}

export const activityLabels: Record<string, string> = {
  hosting: 'Hosting',
  support: 'Support',
  development: 'Development',
  processing: 'Processing',
}

export const verdictLabels: Record<string, string> = {
  accepted: 'Accepted',
  rejected: 'Rejected by assessor',
  query: 'Query from assessor',
}

export interface Tag {
  text: string
  classes: string
}

const assessmentStates: Record<string, Tag> = {
  draft: { text: 'Draft', classes: 'govuk-tag--grey' },
  submitted: { text: 'Submitted', classes: 'govuk-tag--blue' },
  in_review: { text: 'In review', classes: 'govuk-tag--blue' },
  changes_requested: { text: 'Changes requested', classes: 'govuk-tag--orange' },
  approved: { text: 'Approved', classes: 'govuk-tag--green' },
  rejected: { text: 'Rejected', classes: 'govuk-tag--red' },
  withdrawn: { text: 'Withdrawn', classes: 'govuk-tag--grey' },
  superseded: { text: 'Superseded', classes: 'govuk-tag--grey' },
}

export function assessmentStateTag(state: string): Tag {
  return assessmentStates[state] ?? { text: state, classes: 'govuk-tag--grey' }
}

// What one response's row says: the assessor's verdict when there is one, else whether it has
// an answer. Words for the API's fields; nothing is decided here.
export function responseTag(response: Schemas['AssessmentResponse']): Tag {
  if (response.review?.verdict === 'accepted') return { text: 'Accepted', classes: 'govuk-tag--green' }
  if (response.review?.verdict === 'query') return { text: 'Query from assessor', classes: 'govuk-tag--orange' }
  if (response.review?.verdict === 'rejected') return { text: 'Rejected by assessor', classes: 'govuk-tag--red' }
  if (response.reopened) return { text: 'Reopened by assessor', classes: 'govuk-tag--orange' }
  if (response.answer === null) return { text: 'Not started', classes: 'govuk-tag--grey' }
  return { text: 'Answered', classes: 'govuk-tag--blue' }
}

export function actionTag(action: Schemas['Action']): Tag {
  if (action.state === 'open' && action.overdue) return { text: 'Overdue', classes: 'govuk-tag--red' }
  if (action.state === 'open') return { text: 'Open', classes: 'govuk-tag--yellow' }
  if (action.state === 'done') return { text: 'Done, awaiting verification', classes: 'govuk-tag--blue' }
  return { text: 'Verified', classes: 'govuk-tag--green' }
}

// Plainer words for the API's most common refusals of a form; anything else is shown as the API
// said it.
const requiredWording: Record<string, string> = {
  answer: 'Select your answer',
  'profile-classification': 'Select the highest classification of data the service handles',
  'profile-connects_to_network': 'Select yes if the service connects to the MoJ network',
  'profile-personal_data': 'Select yes if the service processes personal data',
  'profile-hmg_crypto': 'Select yes if the service holds HMG key material',
  'profile-operates_pki': 'Select yes if the service operates a PKI',
  name: 'Enter the name of the service',
  note: 'Enter what was done',
  comment: 'Enter your reply',
  standard: 'Select a standard',
  kind: 'Select the kind of evidence',
  'remediation-plan': 'Enter the remediation plan',
  'remediation-due_date': 'Enter the date the remediation will be done by',
}

// errorView, with the plainer wording above for a field the API says is required.
export function friendlyErrors(problem: Problem, options: ErrorViewOptions = {}): ErrorView {
  const fieldOf = options.fieldOf ?? fieldOfPointer
  const errors = problem.errors?.map((item) => {
    if (item.code !== 'required') return item
    const field = fieldOf('pointer' in item ? item.pointer : undefined) ?? options.defaultField
    const better = field ? requiredWording[field] : undefined
    return better ? { ...item, detail: better } : item
  })
  return errorView(errors ? { ...problem, errors } : problem, options)
}

export function mergeErrors(...views: (ErrorView | undefined)[]): ErrorView | undefined {
  const present = views.filter((view): view is ErrorView => !!view && view.list.length > 0)
  if (present.length === 0) return undefined
  return {
    list: present.flatMap((view) => view.list),
    fields: Object.assign({}, ...present.map((view) => view.fields)),
  }
}

// ---- multipart forms with one file -------------------------------------------------------------

export interface UploadedFile {
  originalname: string
  mimetype: string
  buffer: Buffer
  size: number
}

// Requests whose file was over the front end's limit: the form is shown again, nothing is sent.
const tooLarge = new WeakSet<Request>()

export function uploadTooLarge(req: Request): boolean {
  return tooLarge.has(req)
}

// Parses a multipart form held in memory (one file, field `file`, at most maxUploadBytes), then
// checks its CSRF token. A file over the limit is not an error page: the route shows the form
// again with a message at the file field.
export function multipartForm(context: RouteContext): RequestHandler {
  const parse = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: context.config.maxUploadBytes, files: 1, fields: 2000, fieldSize: 64 * 1024 },
  }).single('file')
  return (req: Request, res: Response, next: NextFunction) => {
    parse(req, res, (err: unknown) => {
      if (err instanceof multer.MulterError && err.code === 'LIMIT_FILE_SIZE') {
        tooLarge.add(req)
      } else if (err) {
        return next(err)
      }
      req.body ??= {}
      return context.csrf(req, res, next)
    })
  }
}

export function uploadedFile(req: Request): UploadedFile | undefined {
  const file = (req as Request & { file?: UploadedFile }).file
  return file && file.originalname ? file : undefined
}

export function tooLargeMessage(maxUploadBytes: number): string {
  return `The selected file must be smaller than ${formatBytes(maxUploadBytes)}`
}

export interface EvidenceDetails {
  kind: string
  issuedOn: string
  expiresOn: string
}

// Sends a file to POST /suppliers/{id}/evidence (the raw bytes as the body; name, kind and dates
// in the query). A refusal the person can fix comes back as errors on the upload's fields.
export async function uploadEvidence(
  api: CocoClient,
  supplierId: string,
  file: UploadedFile,
  details: EvidenceDetails,
  idempotencyKey: string,
): Promise<{ evidence?: Schemas['Evidence']; errors?: ErrorView; status?: number }> {
  // A kind left unchosen is left out, so the API answers that it is required.
  const query = { filename: file.originalname } as {
    filename: string
    kind: EvidenceKind
    issued_on?: string
    expires_on?: string
  }
  if (details.kind) query.kind = details.kind as EvidenceKind
  if (details.issuedOn) query.issued_on = details.issuedOn
  if (details.expiresOn) query.expires_on = details.expiresOn
  try {
    const evidence = await unwrap(
      api.POST('/suppliers/{id}/evidence', {
        params: {
          path: { id: supplierId },
          query,
          header: idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : undefined,
        },
        body: file.buffer as never,
        bodySerializer: (body: unknown) => body as string,
        headers: { 'Content-Type': file.mimetype || 'application/octet-stream' },
      }),
    )
    return { evidence }
  } catch (error) {
    if (!(error instanceof ApiError)) throw error
    if (error.status === 413) {
      return {
        status: 413,
        errors: singleError('file', 'The selected file is larger than the service accepts. Choose a smaller file'),
      }
    }
    if (error.status === 400 && error.problem.code === 'empty_body') {
      return { status: 422, errors: singleError('file', 'The selected file is empty') }
    }
    if (error.status === 400 || error.status === 422) {
      return {
        status: 422,
        errors: friendlyErrors(error.problem, {
          defaultField: 'file',
          fieldOf: (pointer) =>
            pointer === 'query/filename' || pointer === 'header/content-type'
              ? 'file'
              : pointer?.startsWith('query/')
                ? pointer.slice('query/'.length)
                : undefined,
        }),
      }
    }
    throw error
  }
}

export const evidenceKindItems = (selected: string) => [
  { value: '', text: 'Select a kind' },
  ...Object.entries(evidenceKindLabels).map(([value, label]) => ({
    value,
    text: label,
    selected: value === selected,
  })),
]
