// What the signed-in user hears of by e-mail: the kinds of mail of their role, and for procurement
// the suppliers they follow (their own `notifications`, PATCH /users/{id}). Which kinds a role may
// choose and who may follow are the API's to say: the page offers `email_choices` and passes any
// refusal on.
import { Router, type Response } from 'express'
import type { RouteContext } from './index.js'
import { isApiError, unwrap, withEtag, type Schemas } from '../data/cocoApi.js'
import { supplierNames } from '../adminHelpers.js'
import { isUuid } from '../data/ids.js'
import { allSuppliers } from '../data/lists.js'
import { errorView, notFound, type ErrorView } from '../errors.js'
import { ifMatchOf, list, trimmed } from '../forms.js'
import { addFlash } from '../middleware/auth.js'
import { mailKindItems } from '../wording.js'

type User = Schemas['User']

async function renderSettings(
  res: Response,
  user: User,
  etag: string,
  chosen: string[],
  errors?: ErrorView,
): Promise<void> {
  // Names as the admin pages find them: the supplier list, in pages (a call a follow would not bound).
  const follow = user.notifications.follow
  const names = follow.length ? supplierNames(await allSuppliers(res.locals.api)) : {}
  res.status(errors ? 422 : 200).render('pages/notifications', {
    title: 'Your e-mail',
    etag,
    kinds: mailKindItems(user.notifications.email_choices, chosen),
    followed: follow.map((id) => ({ value: id, text: names[id] ?? id, checked: true })),
    follows: user.role === 'procurement',
    errors,
  })
}

// Changes the caller's own notifications, as of the ETag `etag` (a stale one is refused: 412).
function changeOwn(
  res: Response,
  etag: string,
  notifications: NonNullable<Schemas['UserPatch']['notifications']>,
) {
  return unwrap(
    res.locals.api.PATCH('/users/{id}', {
      params: { path: { id: res.locals.user.id }, header: ifMatchOf({ etag }) },
      body: { notifications },
    }),
  )
}

// The checkboxes a problem is about: a kind of mail (/notifications/email/0 when the body was
// malformed, notifications.email[0] when the API refused the kind) or a supplier followed.
function settingOf(pointer: string | undefined): string | undefined {
  if (/^\/?notifications[./]email/.test(pointer ?? '')) return 'email'
  if (/^\/?notifications[./]follow/.test(pointer ?? '')) return 'follow'
  return undefined
}

function readOwn(res: Response) {
  return withEtag(res.locals.api.GET('/users/{id}', { params: { path: { id: res.locals.user.id } } }))
}

export function notificationRoutes(_context: RouteContext): Router {
  const router = Router()

  router.get('/notifications', async (_req, res) => {
    const { data: user, etag } = await readOwn(res)
    await renderSettings(res, user, etag, user.notifications.email)
  })

  router.post('/notifications', async (req, res) => {
    const email = list(req.body, 'email') as Schemas['MailKind'][]
    // As of the page the form came from: a change made elsewhere since is not overwritten.
    const { data: current, etag } = await readOwn(res)
    const formEtag = trimmed(req.body, 'etag') || etag
    // Every kind ticked keeps the role's default (null), so a kind the role gains later comes too.
    const choices = current.notifications.email_choices
    const everyKind = choices.length > 0 && choices.every((kind) => email.includes(kind))
    const notifications: NonNullable<Schemas['UserPatch']['notifications']> = { email: everyKind ? null : email }
    // Unticking a supplier stops following it; nothing else is followed from here.
    if (current.role === 'procurement') {
      const kept = new Set(list(req.body, 'follow'))
      notifications.follow = current.notifications.follow.filter((id) => kept.has(id))
    }
    try {
      await changeOwn(res, formEtag, notifications)
    } catch (error) {
      if (isApiError(error, 412)) {
        addFlash(req, 'Your e-mail settings were changed elsewhere first: nothing was saved. Here they are now.')
        return res.redirect(303, '/notifications')
      }
      if (!isApiError(error, 422)) throw error
      return renderSettings(res, current, etag, email, errorView(error.problem, { fieldOf: settingOf, defaultField: 'email' }))
    }
    addFlash(req, 'Your e-mail settings have been saved')
    res.redirect(303, '/notifications')
  })

  // Following a supplier from its page: procurement hears of its every status change.
  for (const [action, follows] of [
    ['follow', true],
    ['unfollow', false],
  ] as const) {
    router.post(`/suppliers/:id/${action}`, async (req, res) => {
      const id = req.params.id
      if (!isUuid(id)) return notFound(res)
      // Read, change and write as of what was read: a follow made meanwhile elsewhere (another
      // tab) is not lost but refused, and this one is tried again.
      for (let attempt = 0; ; attempt++) {
        const { data: current, etag } = await readOwn(res)
        const others = current.notifications.follow.filter((followed) => followed !== id)
        try {
          await changeOwn(res, etag, { follow: follows ? [...others, id] : others })
          break
        } catch (error) {
          if (!isApiError(error, 412) || attempt >= 2) throw error
        }
      }
      addFlash(req, follows ? 'You will be e-mailed when this supplier’s status changes' : 'You no longer follow this supplier')
      res.redirect(303, `/suppliers/${id}`)
    })
  }
  return router
}
