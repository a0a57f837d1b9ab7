// How values read on a page: dates as "3 March 2027", sizes, and states as GOV.UK tags (text and
// colour). Wording only: every status, state and date comes from the API as it is.
import type { Schemas } from './data/cocoApi.js'

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

export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

// "changes_requested" → "Changes requested"
export function humanise(value: string | null | undefined): string {
  if (!value) return ''
  return capitalise(value.replace(/_/g, ' '))
}

export function formatBytes(size: number): string {
  if (size === 1) return '1 byte'
  if (size < 1024) return `${size} bytes`
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KB`
  return `${(size / (1024 * 1024)).toFixed(1)} MB`
}

// ---- tags ------------------------------------------------------------------------------------

// What govukTag takes.
export interface Tag {
  text: string
  classes: string
}

function tagOf(tags: Record<string, Tag>, value: string): Tag {
  return tags[value] ?? { text: value, classes: 'govuk-tag--grey' }
}

// Assurance statuses: green assured, blue conditionally assured, yellow expiring, red not assured
// or expired, grey not assessed or in progress (docs/ui.md).
const statusTags: Record<string, Tag> = {
  assured: { text: 'Assured', classes: 'govuk-tag--green' },
  conditionally_assured: { text: 'Conditionally assured', classes: 'govuk-tag--blue' },
  expiring: { text: 'Expiring', classes: 'govuk-tag--yellow' },
  not_assured: { text: 'Not assured', classes: 'govuk-tag--red' },
  expired: { text: 'Expired', classes: 'govuk-tag--red' },
  not_assessed: { text: 'Not assessed', classes: 'govuk-tag--grey' },
  in_progress: { text: 'In progress', classes: 'govuk-tag--grey' },
}

export function statusLabel(status: string): string {
  return statusTags[status]?.text ?? humanise(status)
}

export function statusTagClass(status: string): string {
  return statusTags[status]?.classes ?? 'govuk-tag--grey'
}

// A supplier's or a user's state.
const accountStateTags: Record<string, Tag> = {
  active: { text: 'Active', classes: 'govuk-tag--green' },
  offboarded: { text: 'Offboarded', classes: 'govuk-tag--grey' },
  disabled: { text: 'Disabled', classes: 'govuk-tag--grey' },
}

export function accountStateTag(state: string): Tag {
  return tagOf(accountStateTags, state)
}

// An assessment's state, as the supplier's pages show it.
const assessmentStateTags: Record<string, Tag> = {
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
  return tagOf(assessmentStateTags, state)
}

// An exception's state, as the API gives it (`state`).
export const exceptionStateTags: Record<'active' | 'revoked' | 'expired', Tag> = {
  active: { text: 'Active', classes: 'govuk-tag--blue' },
  revoked: { text: 'Revoked', classes: 'govuk-tag--grey' },
  expired: { text: 'Ended', classes: 'govuk-tag--grey' },
}

// A remediation action, as its supplier sees it.
export function actionTag(action: Schemas['Action']): Tag {
  if (action.state === 'open' && action.overdue) return { text: 'Overdue', classes: 'govuk-tag--red' }
  if (action.state === 'open') return { text: 'Open', classes: 'govuk-tag--yellow' }
  if (action.state === 'done') return { text: 'Done, awaiting verification', classes: 'govuk-tag--blue' }
  return { text: 'Verified', classes: 'govuk-tag--green' }
}

// ---- verdicts: the assessor gives them, the supplier receives them ---------------------------

type ResponseFields = Pick<Schemas['AssessmentResponse'], 'answer' | 'review' | 'reopened' | 'open_for_changes'>

const verdictTags: Record<string, Tag> = {
  accepted: { text: 'Accepted', classes: 'govuk-tag--green' },
  rejected: { text: 'Rejected', classes: 'govuk-tag--red' },
  query: { text: 'Query', classes: 'govuk-tag--yellow' },
}

const receivedVerdictTags: Record<string, Tag> = {
  accepted: { text: 'Accepted', classes: 'govuk-tag--green' },
  rejected: { text: 'Rejected by assessor', classes: 'govuk-tag--red' },
  query: { text: 'Query from assessor', classes: 'govuk-tag--orange' },
}

// A verdict in the assessor's words: "Query".
export function verdictLabel(verdict: string): string {
  return verdictTags[verdict]?.text ?? verdict
}

// A verdict in the supplier's words: "Query from assessor".
export function receivedVerdictLabel(verdict: string): string | undefined {
  return receivedVerdictTags[verdict]?.text
}

// One response's row on the assessor's case: its verdict, else where it stands in the review.
export function verdictTag(response: ResponseFields): Tag {
  if (response.review) return tagOf(verdictTags, response.review.verdict)
  if (response.reopened) return { text: 'Reopened', classes: 'govuk-tag--purple' }
  if (response.open_for_changes) return { text: 'Open for changes', classes: 'govuk-tag--light-blue' }
  return { text: 'Not reviewed', classes: 'govuk-tag--grey' }
}

// One response's row on the supplier's assessment: the assessor's verdict when there is one,
// else whether it has an answer.
export function responseTag(response: ResponseFields): Tag {
  const verdict = response.review?.verdict
  if (verdict && receivedVerdictTags[verdict]) return receivedVerdictTags[verdict]
  if (response.reopened) return { text: 'Reopened by assessor', classes: 'govuk-tag--orange' }
  if (response.answer === null) return { text: 'Not started', classes: 'govuk-tag--grey' }
  return { text: 'Answered', classes: 'govuk-tag--blue' }
}
