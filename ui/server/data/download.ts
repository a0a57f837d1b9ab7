// Passes a file the API serves (evidence bytes, the portfolio CSV, an attestation) to the browser
// as it came: the API's status, type, disposition and digest, never a copy held here.
import type { Response } from 'express'
import { ApiError, unexpectedProblem, type Problem } from './cocoApi.js'

const passedHeaders = ['content-type', 'content-disposition', 'content-length', 'content-digest', 'etag']

// `path` is an API path with its query; `token` the signed-in user's; `filename` names the file
// when the API gives it no name of its own.
export async function passDownload(
  apiUrl: string,
  token: string,
  path: string,
  res: Response,
  accept = '*/*',
  filename?: string,
): Promise<void> {
  const upstream = await fetch(`${apiUrl}${path}`, {
    headers: { Authorization: `Bearer ${token}`, Accept: accept },
  })
  if (!upstream.ok) {
    const problem = await (upstream.json() as Promise<Problem>).catch(() =>
      unexpectedProblem(upstream, 'The file could not be fetched. Try again later.'),
    )
    throw new ApiError(upstream.status, problem)
  }
  for (const name of passedHeaders) {
    const value = upstream.headers.get(name)
    if (value) res.setHeader(name, value)
  }
  res.setHeader('X-Content-Type-Options', 'nosniff')
  if (!upstream.headers.get('content-disposition')) {
    const name = filename?.replace(/[^A-Za-z0-9._-]/g, '_')
    res.setHeader('Content-Disposition', name ? `attachment; filename="${name}"` : 'attachment')
  }
  res.status(200).end(Buffer.from(await upstream.arrayBuffer()))
}
