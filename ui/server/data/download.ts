// Passes a file the API serves (evidence bytes, the portfolio CSV, an attestation) to the browser
// as it came: the API's status, type, disposition and digest, never a copy held here.
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { ReadableStream } from 'node:stream/web'
import type { Request, Response } from 'express'
import { ApiError, callerHeaders, unexpectedProblem, type Problem } from './cocoApi.js'

const passedHeaders = ['content-type', 'content-disposition', 'content-length', 'content-digest', 'etag']

// An API path whose interpolated values are each percent-encoded: apiPath`/evidence/${id}/content`.
// Whatever a browser put in an id, it stays one path segment of the path the route meant.
export function apiPath(strings: TemplateStringsArray, ...values: string[]): string {
  return strings.reduce((path, part, index) => path + encodeURIComponent(values[index - 1]) + part)
}

export interface DownloadOptions {
  accept?: string
  // The file's name when the API gives it none of its own.
  filename?: string
}

// Fetches `path` (an API path, with its query) with the signed-in user's token and passes the
// answer on to the browser; a refusal is thrown as the ApiError the error pages show.
export async function passDownload(
  apiUrl: string,
  req: Request,
  res: Response,
  path: string,
  options: DownloadOptions = {},
): Promise<void> {
  const upstream = await fetch(`${apiUrl}${path}`, {
    headers: { ...callerHeaders(req.apiToken, req.ip), Accept: options.accept ?? '*/*' },
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
    const name = options.filename?.replace(/[^A-Za-z0-9._-]/g, '_')
    res.setHeader('Content-Disposition', name ? `attachment; filename="${name}"` : 'attachment')
  }
  res.status(200)
  if (!upstream.body) {
    res.end()
    return
  }
  // Streamed through as it arrives: a 64 MiB evidence file is never held here whole. A browser
  // that goes away, or an API that stops half-way, ends the response; there is no page to show.
  await pipeline(Readable.fromWeb(upstream.body as ReadableStream<Uint8Array>), res).catch(() => res.destroy())
}
