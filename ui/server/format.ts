// How values read on a page: dates as "3 March 2027", statuses as GOV.UK tags. Wording only: every
// status and date comes from the API as it is.

const months = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
]

// "2027-03-03" or an RFC 3339 time → "3 March 2027"; anything else is shown as it came.
export function formatDate(value: string | null | undefined): string {
  if (!value) return ''
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(value)
  if (!match) return value
  return `${Number(match[3])} ${months[Number(match[2]) - 1]} ${match[1]}`
}

// "2026-12-03T10:15:00Z" → "3 December 2026 at 10:15 UTC"
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return ''
  const match = /T(\d{2}):(\d{2})/.exec(value)
  return match ? `${formatDate(value)} at ${match[1]}:${match[2]} UTC` : formatDate(value)
}

const statusLabels: Record<string, [string, string]> = {
  assured: ['Assured', 'govuk-tag--green'],
  conditionally_assured: ['Conditionally assured', 'govuk-tag--blue'],
  expiring: ['Expiring', 'govuk-tag--yellow'],
  not_assured: ['Not assured', 'govuk-tag--red'],
  expired: ['Expired', 'govuk-tag--red'],
  not_assessed: ['Not assessed', 'govuk-tag--grey'],
  in_progress: ['In progress', 'govuk-tag--grey'],
}

export function statusLabel(status: string): string {
  return statusLabels[status]?.[0] ?? humanise(status)
}

export function statusTagClass(status: string): string {
  return statusLabels[status]?.[1] ?? 'govuk-tag--grey'
}

// "changes_requested" → "Changes requested"
export function humanise(value: string | null | undefined): string {
  if (!value) return ''
  const text = value.replace(/_/g, ' ')
  return text.charAt(0).toUpperCase() + text.slice(1)
}

export function formatBytes(size: number): string {
  if (size === 1) return '1 byte'
  if (size < 1024) return `${size} bytes`
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KB`
  return `${(size / (1024 * 1024)).toFixed(1)} MB`
}
