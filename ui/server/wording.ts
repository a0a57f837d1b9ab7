// Words for the codes of the API's contract: evidence kinds, answers, offshore activities,
// standards and roles. Wording only: which code applies is always the API's answer.
import type { Schemas } from './data/cocoApi.js'
import { humanise } from './format.js'

type EvidenceKind = Schemas['EvidenceKind']
type Answer = NonNullable<Schemas['AssessmentResponse']['answer']>

export const evidenceKindLabels: Record<EvidenceKind, string> = {
  pen_test_report: 'Penetration test report',
  it_health_check: 'IT health check',
  iso27001_certificate: 'ISO 27001 certificate',
  cyber_essentials_certificate: 'Cyber Essentials certificate',
  cyber_essentials_plus_certificate: 'Cyber Essentials Plus certificate',
  policy: 'Policy',
  network_diagram: 'Network diagram',
  tls_scan: 'TLS scan',
  signed_code_of_connection: 'Signed Code of Connection',
  siro_approval: 'SIRO approval',
  dpia: 'Data protection impact assessment (DPIA)',
  other: 'Other',
}

// The kinds of mail, as a person reads them: what each tells of, and when.
export const mailKindLabels: Record<Schemas['MailKind'], { text: string; hint: string }> = {
  changes_requested: { text: 'Changes requested', hint: 'When an assessor asks for changes to an assessment' },
  action_due: { text: 'Actions falling due', hint: 'When a remediation action is due within 30 days, and when it is overdue' },
  exception_expiring: { text: 'Exceptions expiring', hint: 'When an exception ends within 30 days' },
  supplier_lapsing: { text: 'Suppliers lapsing', hint: '30, 7 and 1 days before a supplier’s status gets worse' },
  followed_supplier: { text: 'Suppliers you follow', hint: 'When the status of a supplier you follow changes' },
  review_digest: { text: 'Daily review digest', hint: 'Once a day, what waits in the review queue for you' },
  webhook_disabled: {
    text: 'Webhooks disabled',
    hint: 'When coco disables a webhook of yours because its deliveries kept failing',
  },
}

// The checkboxes of the kinds of mail a role may choose (the API's `email_choices`), ticked as chosen.
export function mailKindItems(choices: Schemas['MailKind'][], chosen: string[]) {
  return choices.map((kind) => ({
    value: kind,
    text: mailKindLabels[kind].text,
    hint: { text: mailKindLabels[kind].hint },
    checked: chosen.includes(kind),
  }))
}

export function evidenceKindLabel(kind: string): string {
  return evidenceKindLabels[kind as EvidenceKind] ?? kind
}

// The options of a "kind of evidence" select.
export function evidenceKindItems(selected: string) {
  return [
    { value: '', text: 'Select a kind' },
    ...Object.entries(evidenceKindLabels).map(([value, label]) => ({ value, text: label, selected: value === selected })),
  ]
}

const answerLabels: Record<Answer, string> = {
  met: 'Met',
  partially_met: 'Partially met',
  not_met: 'Not met',
  not_applicable: 'Not applicable',
}

// A supplier's answer to a requirement: "Partially met".
export function answerLabel(answer: string): string {
  return answerLabels[answer as Answer] ?? humanise(answer)
}

// What an offshore location does for the service.
export const activityLabels: Record<string, string> = {
  hosting: 'Hosting',
  support: 'Support',
  development: 'Development',
  processing: 'Processing',
}

type StandardKey = NonNullable<Schemas['StatusReason']['standard']>

// The catalogue's titles, for pages that word the status API's reasons without reading
// GET /standards.
const standardLabels: Record<StandardKey, string> = {
  COCO: 'Code of Connection',
  OFFSHORING: 'Offshoring',
  CRYPTOGRAPHY: 'Cryptography',
  SUPPLIER: 'Supplier assurance obligations',
}

// "CRYPTOGRAPHY" → "Cryptography"
export function standardLabel(key: string | null | undefined): string {
  if (!key) return ''
  return standardLabels[key as StandardKey] ?? key
}

// The roles of the contract, in words, with what each does (from the API's documentation).
export const roles: { value: Schemas['NewUser']['role']; text: string; hint: string }[] = [
  { value: 'assessor', text: 'Assessor', hint: 'Reviews suppliers’ assessments and decides them' },
  { value: 'risk_owner', text: 'Risk owner', hint: 'Accepts and revokes exceptions' },
  { value: 'procurement', text: 'Procurement', hint: 'Reads suppliers’ assurance status' },
  { value: 'supplier', text: 'Supplier', hint: 'Works for a supplier and fills in its assessments' },
  { value: 'admin', text: 'Admin', hint: 'Manages suppliers, users and API tokens' },
]

export function roleLabel(role: string): string {
  return roles.find((item) => item.value === role)?.text ?? role
}
