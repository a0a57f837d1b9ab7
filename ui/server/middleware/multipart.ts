// Multipart forms (the evidence uploads) are parsed here, before the CSRF check, so that every
// POST, whatever its encoding, is checked the same way. Only a signed-in session's are parsed: a
// stranger's file is never held in memory, and without a parsed body its CSRF check fails.
import type { NextFunction, Request, Response } from 'express'
import multer from 'multer'
import type { Config } from '../config.js'
import { formatBytes } from '../format.js'

export interface UploadedFile {
  originalname: string
  mimetype: string
  buffer: Buffer
  size: number
}

// Requests whose file was over the front end's limit: the route shows its form again with a
// message at the file field, and nothing is sent to the API.
const tooLarge = new WeakSet<Request>()

// One file (field `file`, at most maxUploadBytes) and the form's fields, held in memory.
export function multipartBody(config: Config) {
  const parse = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: config.maxUploadBytes, files: 1, fields: 2000, fieldSize: 64 * 1024 },
  }).single('file')
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!req.is('multipart/form-data') || !req.session.user) return next()
    parse(req, res, (err: unknown) => {
      if (err instanceof multer.MulterError && err.code === 'LIMIT_FILE_SIZE') tooLarge.add(req)
      else if (err) return next(err)
      req.body ??= {}
      next()
    })
  }
}

export function uploadTooLarge(req: Request): boolean {
  return tooLarge.has(req)
}

export function uploadedFile(req: Request): UploadedFile | undefined {
  const file = (req as Request & { file?: UploadedFile }).file
  return file && file.originalname ? file : undefined
}

export function tooLargeMessage(maxUploadBytes: number): string {
  return `The selected file must be smaller than ${formatBytes(maxUploadBytes)}`
}
