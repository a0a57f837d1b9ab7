// The one way the front end reaches coco: an openapi-fetch client typed from openapi.yaml, so a
// contract change that breaks a page fails the type check. The caller's token goes on every call;
// the front end has no credentials of its own.
import createClient, { type Client } from 'openapi-fetch'
import type { components, paths } from './api.js'

export type Schemas = components['schemas']
export type Problem = Schemas['Problem']
export type CocoClient = Client<paths>

// A refusal from the API, carried to the page that shows it.
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail || problem.title)
  }
}

// `clientAddress` is the browser's address, passed on so that coco's authentication throttle
// counts each browser, not the front end as one client (coco believes it only from an address in
// COCO_TRUSTED_PROXIES).
export function cocoClient(apiUrl: string, token?: string, clientAddress?: string): CocoClient {
  return createClient<paths>({ baseUrl: apiUrl, headers: callerHeaders(token, clientAddress) })
}

// Who calls: the user's token and the browser's address, on every request the front end makes.
export function callerHeaders(token?: string, clientAddress?: string): Record<string, string> {
  const headers: Record<string, string> = {}
  if (token) headers.Authorization = `Bearer ${token}`
  if (clientAddress) headers['X-Forwarded-For'] = clientAddress
  return headers
}

// A refusal with one of these statuses: the ones a page shows at its form rather than as an error
// page.
export function isApiError(error: unknown, ...statuses: number[]): error is ApiError {
  return error instanceof ApiError && statuses.includes(error.status)
}

function isProblem(value: unknown): value is Problem {
  return typeof value === 'object' && value !== null && 'code' in value && 'status' in value
}

// The data of a call, or an ApiError with the problem the API answered (or a plain one when the
// answer was not problem+json, such as a proxy's error page).
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await call
  if (response.ok) return data as T
  const problem = isProblem(error)
    ? error
    : unexpectedProblem(response, 'The service did not answer as expected. Try again later.')
  throw new ApiError(response.status, problem)
}

// A refusal whose body is not problem+json (a proxy's error page, say), as a problem saying
// `detail`.
export function unexpectedProblem(response: Response, detail: string): Problem {
  return {
    type: '/problems/unexpected',
    title: 'The service did not answer as expected',
    status: response.status,
    detail,
    code: 'unexpected',
    request_id: response.headers.get('X-Request-Id') ?? '',
  }
}

// The data of a call and the ETag it came with, to send back as If-Match on a later change.
export async function withEtag<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<{ data: T; etag: string }> {
  const result = await call
  const data = await unwrap(Promise.resolve(result))
  return { data, etag: result.response.headers.get('ETag') ?? '' }
}
