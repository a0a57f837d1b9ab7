// GOV.UK date inputs: the three boxes a form posts (`name-day`, `name-month`, `name-year`) put
// together as the API's ISO day, and an ISO day split into boxes again. The boxes are only put
// together: whether they make a date, and whether that date is allowed, is the API's answer.
// Views pass the boxes to govukDateInput as `values`.
import { fieldOfPointer, type ErrorView } from './errors.js'
import { trimmed } from './forms.js'

export interface DateParts {
  day: string
  month: string
  year: string
}

export function noDate(): DateParts {
  return { day: '', month: '', year: '' }
}

// The boxes of the date input `name` as posted (a form body or a query).
export function datePartsOf(source: unknown, name: string): DateParts {
  return {
    day: trimmed(source, `${name}-day`),
    month: trimmed(source, `${name}-month`),
    year: trimmed(source, `${name}-year`),
  }
}

// "2027-03-03" → 3, 3, 2027; anything else → empty boxes.
export function partsOfIso(iso: string | null | undefined): DateParts {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso ?? '')
  return match ? { day: String(Number(match[3])), month: String(Number(match[2])), year: match[1] } : noDate()
}

export function isBlank(parts: DateParts): boolean {
  return parts.day === '' && parts.month === '' && parts.year === ''
}

// The boxes as "YYYY-MM-DD", a one-digit day or month given its leading zero. What is not a date
// is sent as typed, so that the API's refusal names the field.
export function isoOf(parts: DateParts): string {
  const pad = (part: string) => (/^\d$/.test(part) ? `0${part}` : part)
  return `${parts.year}-${pad(parts.month)}-${pad(parts.day)}`
}

// The boxes as an ISO day ('' when all are empty), or GOV.UK's message for a date with a box left
// empty ("The expiry date must include a month"): the API never sees the boxes, so it cannot say
// which one is missing.
export function isoOfComplete(parts: DateParts, label: string): { value: string; error?: string } {
  if (isBlank(parts)) return { value: '' }
  const missing = [parts.day === '' && 'day', parts.month === '' && 'month', parts.year === '' && 'year']
  const named = missing.filter(Boolean)
  if (named.length > 0) return { value: '', error: `${label} must include a ${named.join(' and ')}` }
  return { value: isoOf(parts) }
}

// Whether the boxes name a day of the calendar: digits only, a four-digit year, and no 31 February.
export function isRealDate(parts: DateParts): boolean {
  if (!/^\d{1,2}$/.test(parts.day) || !/^\d{1,2}$/.test(parts.month) || !/^\d{4}$/.test(parts.year)) return false
  const [day, month, year] = [Number(parts.day), Number(parts.month), Number(parts.year)]
  const date = new Date(Date.UTC(year, month - 1, day))
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
}

export interface DateField {
  // What goes to the API: "2027-03-03", an unchecked string the API validates, or undefined.
  iso: string | undefined
  // What the date input shows again.
  values: DateParts
}

// A date input, or (from a link) `name` itself as an ISO day.
export function dateField(source: unknown, name: string): DateField {
  const whole = trimmed(source, name)
  if (whole !== '') return { iso: whole, values: partsOfIso(whole) }
  const values = datePartsOf(source, name)
  return { iso: isBlank(values) ? undefined : isoOf(values), values }
}

// A problem about a date goes to its day box, as the GOV.UK date input pattern asks. Two ways, for
// the two ways views name a date's message: at the date (`errors.fields.valid_until`, only the
// summary's link moves) ...
export function linkDatesToDay(errors: ErrorView, dateFields: string[]): ErrorView {
  return {
    ...errors,
    list: errors.list.map((item) =>
      dateFields.some((field) => item.href === `#${field}`) ? { ...item, href: `${item.href}-day` } : item,
    ),
  }
}

// ... or at its day box (`errors.fields['as_of-day']`): "/expires_on" or "query/as_of" →
// "expires_on-day" or "as_of-day".
export function dateFieldOf(dateNames: string[]) {
  return (pointer: string | undefined): string | undefined => {
    const field = fieldOfPointer(pointer)
    return field && dateNames.includes(field) ? `${field}-day` : field
  }
}
