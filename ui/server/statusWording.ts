// The status API's reason codes, next changes and causes in plain English. Wording only: every
// status, date and reason is the API's; this file decides nothing, it only says what it was told.
import type { Schemas } from './data/cocoApi.js'
import { capitalise, formatDate, statusLabel } from './format.js'
import { standardLabel } from './wording.js'

type Reason = Schemas['StatusReason']

// What a sentence may name besides the reason itself: services by id, requirements by title.
export interface WordingContext {
  serviceName(serviceId: string): string | undefined
  requirementTitle(standard: string | undefined, requirementId: string): string | undefined
  // Leave out the service (on a service's own reasons) or the standard (on a standard's).
  omitService?: boolean
  omitStandard?: boolean
}

function requirement(reason: Reason, context: WordingContext): string {
  const id = reason.requirement_id ?? ''
  const title = context.requirementTitle(reason.standard, id)
  return title ? `${id} '${title}'` : id
}

function the(reason: Reason): string {
  return reason.standard ? `the ${standardLabel(reason.standard)}` : 'the'
}

function on(reason: Reason): string {
  return reason.date ? formatDate(reason.date) : ''
}

function sentence(reason: Reason, context: WordingContext): string {
  const req = requirement(reason, context)
  const std = standardLabel(reason.standard)
  const date = on(reason)
  switch (reason.code) {
    case 'rejected':
      return `The latest ${std} assessment was rejected${date ? ` on ${date}` : ''}`
    case 'suspended':
      return `${capitalise(the(reason))} approval is suspended`
    case 'no_submission':
      return `No ${std} assessment is approved or in progress`
    case 'no_services':
      return 'The supplier has no services recorded'
    case 'action_overdue':
      return `The action for ${req} was due on ${date} and has not been verified`
    case 'exception_expired':
      return `The exception for ${req} no longer covers it from ${date}, and it is still not fully met`
    case 'approval_expired':
      return `${capitalise(the(reason))} approval was valid until ${date}`
    case 'evidence_expired':
      return `The evidence for ${req} lapsed on ${date}`
    case 'profile_changed':
      return `The service's scope profile changed after ${the(reason)} approval`
    case 'reassessment_triggered':
      return `An event on ${date} calls for a new ${std} assessment`
    case 'reassessment_in_progress':
      return `A new ${std} assessment is in progress`
    case 'open_actions':
      return `The action for ${req} is open, due by ${date}`
    case 'active_exceptions':
      return `A risk owner accepted the risk of ${req} not being fully met until ${date}`
    case 'lapses_soon':
      if (reason.action_id) return `Soon: the action for ${req} is due by ${date}`
      if (reason.exception_id) return `Soon: the exception for ${req} ends after ${date}`
      if (reason.evidence_id) return `Soon: the evidence for ${req} lapses on ${date}`
      return `Soon: ${the(reason)} approval is valid until ${date}`
    case 'should_evidence_expired':
      return `For information: the evidence for ${req}, a SHOULD requirement, lapsed on ${date}`
    default:
      return String(reason.code).replace(/_/g, ' ')
  }
}

// One reason as a sentence, with the service and standard it is about when the level above
// gathers reasons from several: "Acme hosting, Cryptography: the action for CRYPTO-04 … is open".
export function reasonSentence(reason: Reason, context: WordingContext): string {
  const text = sentence(reason, context)
  const about: string[] = []
  if (!context.omitService && reason.service_id) {
    const name = context.serviceName(reason.service_id)
    if (name) about.push(name)
  }
  if (about.length === 0) return text
  return `${about.join(', ')}: ${text.charAt(0).toLowerCase()}${text.slice(1)}`
}

// "Becomes Expired on 3 March 2027", or that nothing will change by itself.
export function nextChangeSentence(next: Schemas['NextChange'] | undefined): string {
  if (!next) return 'Does not change by itself'
  return `Becomes ${statusLabel(next.status)} on ${formatDate(next.date)}`
}

const dateRules: Record<string, string> = {
  valid_until: 'an approval reached the end of its validity',
  evidence_lapsed: 'evidence lapsed',
  action_overdue: 'an action became overdue',
  exception_expired: 'an exception ended',
  expiring_window: 'something now lapses within the expiring window',
  date: 'a date passed',
}

// Why a recorded change happened: a write (with its audit entry) or a date passing.
export function causeSentence(cause: Schemas['StatusChange']['cause']): string {
  if (cause.kind === 'write') {
    return cause.audit_seq !== undefined
      ? `Changed by a recorded action (audit entry ${cause.audit_seq})`
      : 'Changed by a recorded action'
  }
  return `Changed because ${dateRules[cause.rule ?? 'date'] ?? 'a date passed'}`
}
