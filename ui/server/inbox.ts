// Home is the inbox: what waits for the signed-in user, as GET /me/inbox gives it for their role.
// The API decides what is in it, in which order and how much; this module only words each item
// for a person: the thing's name, the page of the front end where they act on it, and how soon.
import type { Response } from 'express'
import { Names } from './assessorHelpers.js'
import { RequirementTitles, standardTitles } from './data/catalogue.js'
import { unwrap, type CocoClient, type Schemas } from './data/cocoApi.js'
import { capitalise, formatDate, responseTag, type Tag } from './format.js'
import type { SignedInUser } from './session.js'

type InboxItem = Schemas['InboxItem']
type Kind = Schemas['Inbox']['sections'][number]['kind']
type Role = SignedInUser['role']

// One line of a GOV.UK task list.
export interface InboxRow {
  title: { text: string }
  href?: string
  hint?: { text: string }
  status: { tag: Tag } | { text: string }
}

export interface InboxSection {
  kind: Kind
  id: string
  heading: string
  // What the section holds, for the count at the top and the empty message.
  noun: string
  empty: string
  rows: InboxRow[]
  more: boolean
  // Where the whole list lives, when a section holds only the first 50.
  allHref?: string
}

export interface InboxView {
  asOf: string
  sections: InboxSection[]
  // The summary list at the top: each section's heading and how much it holds.
  counts: { key: { text: string }; value: { text: string }; actions?: { items: { href: string; text: string; visuallyHiddenText: string }[] } }[]
}

interface Wording {
  heading: string
  noun: string
  empty: string
  allHref?: (role: Role) => string | undefined
}

const wording: Record<Kind, Wording> = {
  review_claimed: {
    heading: 'Your cases in review',
    noun: 'cases',
    empty: 'You have no cases in review.',
  },
  review_unclaimed: {
    heading: 'Waiting to be claimed',
    noun: 'submissions',
    empty: 'No submitted assessment is waiting.',
    allHref: (role) => (role === 'assessor' ? '/review-queue' : undefined),
  },
  changes_requested: {
    heading: 'Changes requested',
    noun: 'assessments',
    empty: 'No assessor has asked you to change an assessment.',
  },
  query_to_answer: {
    heading: 'Queries to answer',
    noun: 'answers',
    empty: 'No assessor has asked you anything.',
  },
  action_due: {
    heading: 'Actions due',
    noun: 'actions',
    empty: 'No action falls due in the next 30 days.',
    allHref: () => '/actions',
  },
  evidence_lapsing: {
    heading: 'Evidence lapsing',
    noun: 'files',
    empty: 'No evidence your approvals rely on lapses in the next 60 days.',
    allHref: () => '/evidence',
  },
  exception_to_decide: {
    heading: 'Exceptions to decide',
    noun: 'assessments',
    empty: 'No assessment in review waits for a decision on its risk.',
  },
  exception_expiring: {
    heading: 'Exceptions ending soon',
    noun: 'exceptions',
    empty: 'No exception ends in the next 30 days.',
    allHref: () => '/exceptions',
  },
  supplier_lapsing: {
    heading: 'Suppliers lapsing',
    noun: 'suppliers',
    empty: 'No supplier stops being assured in the next 30 days.',
    allHref: () => '/portfolio?status=expiring',
  },
  contract_start_at_risk: {
    heading: 'Contract starts at risk',
    noun: 'services',
    empty: 'Every contract starting in the next 90 days would start assured.',
  },
  webhook_disabled: {
    heading: 'Webhooks disabled',
    noun: 'webhooks',
    empty: 'None of your webhooks has been disabled.',
  },
}

const dayMs = 24 * 60 * 60 * 1000

// Whole days from `from` to `to` (both YYYY-MM-DD, or a time whose date counts).
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to.slice(0, 10)) - Date.parse(from.slice(0, 10))) / dayMs)
}

function inDays(days: number): string {
  if (days === 0) return 'today'
  if (days === 1) return 'tomorrow'
  return `in ${days} days`
}

// How soon a dated item is due: red when past or today, yellow within a week, grey after.
function dueTag(verb: string, asOf: string, dueOn: string | null): Tag | undefined {
  if (!dueOn) return undefined
  const days = daysBetween(asOf, dueOn)
  if (days < 0) return { text: 'Overdue', classes: 'govuk-tag--red' }
  const classes = days <= 1 ? 'govuk-tag--red' : days <= 7 ? 'govuk-tag--yellow' : 'govuk-tag--grey'
  return { text: `${verb} ${inDays(days)}`, classes }
}

function age(asOf: string, since: string | null): string {
  if (!since) return ''
  const days = daysBetween(since, asOf)
  return days <= 0 ? 'today' : days === 1 ? '1 day ago' : `${days} days ago`
}

// What the rows are made from: the API's items, and the names of what they point at, each read
// once a page however many items share it.
class Lookups {
  readonly names: Names
  readonly requirements: RequirementTitles
  private readonly assessments = new Map<string, Promise<Schemas['Assessment']>>()
  private titles?: Promise<Record<string, string>>

  constructor(readonly api: CocoClient) {
    this.names = new Names(api)
    this.requirements = new RequirementTitles(api)
  }

  assessment(id: string): Promise<Schemas['Assessment']> {
    let found = this.assessments.get(id)
    if (!found) {
      found = unwrap(this.api.GET('/assessments/{id}', { params: { path: { id } } }))
      this.assessments.set(id, found)
    }
    return found
  }

  async standardTitle(key: string): Promise<string> {
    this.titles ??= standardTitles(this.api)
    return (await this.titles)[key] ?? key
  }

  // "Acme Ltd, Acme payroll: Supplier assurance obligations", from the assessment it reads.
  async caseName(assessment: Schemas['Assessment'], withSupplier: boolean): Promise<string> {
    const [supplier, service, standard] = await Promise.all([
      withSupplier ? this.names.supplier(assessment.supplier_id) : Promise.resolve(''),
      this.names.service(assessment.service_id),
      this.standardTitle(assessment.standard),
    ])
    return `${withSupplier ? `${supplier}, ` : ''}${service}: ${standard}`
  }
}

// One item in words, for `role`.
async function rowOf(kind: Kind, item: InboxItem, asOf: string, role: Role, look: Lookups): Promise<InboxRow> {
  const id = item.subject.id
  switch (kind) {
    case 'review_unclaimed':
    case 'review_claimed': {
      const assessment = await look.assessment(id)
      return {
        title: { text: await look.caseName(assessment, true) },
        // The front end's case pages are the assessor's; an admin oversees the queue only.
        href: role === 'assessor' ? `/cases/${id}` : undefined,
        hint: { text: `Submitted ${age(asOf, item.since)}. ${item.summary}` },
        status: kind === 'review_claimed' ? { tag: { text: 'Yours', classes: 'govuk-tag--blue' } } : { text: 'Waiting' },
      }
    }
    case 'changes_requested': {
      const assessment = await look.assessment(id)
      return {
        title: { text: await look.caseName(assessment, false) },
        href: `/assessments/${id}`,
        hint: assessment.changes_summary ? { text: `The assessor asked: ${assessment.changes_summary}` } : undefined,
        status: { tag: { text: 'Changes requested', classes: 'govuk-tag--orange' } },
      }
    }
    case 'query_to_answer': {
      const [assessmentId, requirementId] = id.split('/')
      const assessment = await look.assessment(assessmentId)
      await look.requirements.load(assessment.standard, assessment.standard_version)
      const response = assessment.responses.find((candidate) => candidate.requirement_id === requirementId)
      const title = look.requirements.title(assessment.standard, requirementId, assessment.standard_version) ?? ''
      const comment = response?.review?.comment
      return {
        title: { text: `${requirementId} ${title}`.trim() },
        href: `/assessments/${assessmentId}/requirements/${requirementId}`,
        hint: { text: `${await look.caseName(assessment, false)}.${comment ? ` Assessor: ${comment}` : ''}` },
        status: { tag: response ? responseTag(response) : { text: 'Open for changes', classes: 'govuk-tag--orange' } },
      }
    }
    case 'action_due': {
      const action = await unwrap(look.api.GET('/actions/{id}', { params: { path: { id } } }))
      const [service, standard] = await Promise.all([
        look.names.service(action.service_id),
        look.standardTitle(action.standard),
      ])
      return {
        title: { text: `${action.requirement_id}: ${action.description}` },
        href: `/actions/${id}`,
        hint: { text: `${service}, ${standard}. Due on ${formatDate(action.due_date)}` },
        status: { tag: dueTag('Due', asOf, action.due_date) ?? { text: 'Open', classes: 'govuk-tag--yellow' } },
      }
    }
    case 'evidence_lapsing': {
      const evidence = await unwrap(look.api.GET('/evidence/{id}', { params: { path: { id } } }))
      return {
        title: { text: evidence.filename },
        href: '/evidence',
        hint: { text: `${capitalise(item.summary)}. Upload the file that replaces it before ${formatDate(item.due_on)}.` },
        status: { tag: dueTag('Lapses', asOf, item.due_on) ?? { text: 'Lapsing', classes: 'govuk-tag--yellow' } },
      }
    }
    case 'exception_to_decide': {
      const assessment = await look.assessment(id)
      return {
        title: { text: await look.caseName(assessment, true) },
        href: `/exceptions/new?assessment=${id}`,
        hint: { text: item.summary },
        status: { tag: { text: 'To decide', classes: 'govuk-tag--yellow' } },
      }
    }
    case 'exception_expiring': {
      const supplier = item.supplier_id ? await look.names.supplier(item.supplier_id) : ''
      return {
        title: { text: supplier ? `${supplier}: ${item.summary}` : item.summary },
        href: '/exceptions',
        hint: item.due_on ? { text: `Ends on ${formatDate(item.due_on)}` } : undefined,
        status: { tag: dueTag('Ends', asOf, item.due_on) ?? { text: 'Ending', classes: 'govuk-tag--yellow' } },
      }
    }
    case 'supplier_lapsing':
      return {
        title: { text: item.summary },
        href: `/suppliers/${id}`,
        hint: item.due_on ? { text: `The first lapse is on ${formatDate(item.due_on)}` } : undefined,
        status: { tag: dueTag('Lapses', asOf, item.due_on) ?? { text: 'Expiring', classes: 'govuk-tag--yellow' } },
      }
    case 'contract_start_at_risk': {
      const query = item.due_on ? `?${new URLSearchParams({ as_of: item.due_on })}` : ''
      return {
        title: { text: item.summary },
        href: item.supplier_id ? `/suppliers/${item.supplier_id}${query}` : undefined,
        hint: item.due_on ? { text: `The contract starts on ${formatDate(item.due_on)}` } : undefined,
        status: { tag: { text: 'At risk', classes: 'govuk-tag--red' } },
      }
    }
    case 'webhook_disabled':
      return {
        title: { text: item.summary },
        hint: { text: 'Re-enable it through the API (PATCH /webhooks/{id}) once its receiver works.' },
        status: { tag: { text: 'Disabled', classes: 'govuk-tag--red' } },
      }
  }
}

// The signed-in user's inbox, worded.
export async function readInbox(res: Response): Promise<InboxView> {
  const { api, user } = res.locals
  const inbox = await unwrap(api.GET('/me/inbox'))
  const look = new Lookups(api)
  const sections = await Promise.all(
    inbox.sections.map(async (section): Promise<InboxSection> => {
      const words = wording[section.kind]
      return {
        kind: section.kind,
        id: section.kind.replace(/_/g, '-'),
        heading: words.heading,
        noun: words.noun,
        empty: words.empty,
        rows: await Promise.all(section.items.map((item) => rowOf(section.kind, item, inbox.as_of, user.role, look))),
        more: section.more,
        allHref: words.allHref?.(user.role),
      }
    }),
  )
  const counts = sections.map((section) => ({
    key: { text: section.heading },
    value: { text: `${section.rows.length}${section.more ? ' or more' : ''} ${section.noun}` },
    actions: section.rows.length
      ? { items: [{ href: `#${section.id}`, text: 'See', visuallyHiddenText: section.heading.toLowerCase() }] }
      : undefined,
  }))
  return { asOf: inbox.as_of, sections, counts }
}
