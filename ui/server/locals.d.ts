import type { CocoClient } from './data/cocoApi.js'
import type { SignedInUser } from './session.js'

declare global {
  namespace Express {
    interface Locals {
      api: CocoClient
      idempotencyKey: string
      navigation: { href: string; text: string; active: boolean }[]
      user: SignedInUser
      cspNonce: string
      csrfToken: string
      flash: string[]
    }
  }
}
