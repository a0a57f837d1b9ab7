// Reading what a browser sent: form fields (urlencoded or multipart) and query parameters. Values
// are taken as sent; whether they are valid is the API's to say.

// One field as text, the first value when it was sent more than once; '' when absent.
export function text(source: unknown, name: string): string {
  const value = (source as Record<string, unknown> | undefined)?.[name]
  const first = Array.isArray(value) ? value[0] : value
  return typeof first === 'string' ? first : ''
}

// One field as text without the spaces around it.
export function trimmed(source: unknown, name: string): string {
  return text(source, name).trim()
}

// A field that may repeat (checkboxes): always a list, without blanks or repeats, since ticked
// boxes are a set (a value sent twice is one choice).
export function list(source: unknown, name: string): string[] {
  const value = (source as Record<string, unknown> | undefined)?.[name]
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value]
  return [...new Set(values.filter((item): item is string => typeof item === 'string' && item !== ''))]
}

// The form's idempotency key (`{{ idempotencyKey }}`), if it is one the API accepts: 1 to 255
// visible ASCII characters.
export function idempotencyKeyOf(body: unknown): string | undefined {
  const key = trimmed(body, 'idempotency_key')
  return /^[!-~]{1,255}$/.test(key) ? key : undefined
}

// The same key as the API's Idempotency-Key header; none when the form carried no usable key.
export function idempotencyHeader(body: unknown): { 'Idempotency-Key'?: string } {
  const key = idempotencyKeyOf(body)
  return key ? { 'Idempotency-Key': key } : {}
}

// The ETag a form was made from (field `etag`), as If-Match: a stale page changes nothing (412).
// Only an ETag of the shape coco gives out ("7") is sent; anything else is left out rather than
// reaching the API as a malformed header.
export function ifMatchOf(body: unknown): { 'If-Match'?: string } {
  const etag = trimmed(body, 'etag')
  return /^"\d{1,18}"$/.test(etag) ? { 'If-Match': etag } : {}
}

// The assessment version a form was made from (field `version`), as If-Match.
export function ifMatchOfVersion(body: unknown): { 'If-Match'?: string } {
  const version = trimmed(body, 'version')
  return /^\d{1,18}$/.test(version) ? { 'If-Match': `"${version}"` } : {}
}
