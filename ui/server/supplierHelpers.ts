// Small helpers of the supplier journeys: plainer words for the API's refusals of a form, and
// multipart forms with a file, sent on to the API as evidence. Wording only: every state, date and
// decision comes from the API as it is.
import { isApiError, unwrap, type CocoClient, type Problem, type Schemas } from './data/cocoApi.js'
import { errorView, fieldOfPointer, singleError, type ErrorView, type ErrorViewOptions } from './errors.js'
import type { UploadedFile } from './middleware/multipart.js'

type EvidenceKind = Schemas['EvidenceKind']

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
  idempotency: { 'Idempotency-Key'?: string },
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
          header: idempotency,
        },
        body: file.buffer as never,
        bodySerializer: (body: unknown) => body as string,
        headers: { 'Content-Type': file.mimetype || 'application/octet-stream' },
      }),
    )
    return { evidence }
  } catch (error) {
    if (!isApiError(error, 400, 413, 422)) throw error
    if (error.status === 413) {
      return {
        status: 413,
        errors: singleError('file', 'The selected file is larger than the service accepts. Choose a smaller file'),
      }
    }
    if (error.status === 400 && error.problem.code === 'empty_body') {
      return { status: 422, errors: singleError('file', 'The selected file is empty') }
    }
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
}
