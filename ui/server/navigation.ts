// The service navigation each role sees. Links only: the API decides what each may do.
import type { SignedInUser } from './session.js'

interface Link {
  href: string
  text: string
}

const links: Record<SignedInUser['role'], Link[]> = {
  assessor: [
    { href: '/', text: 'Home' },
    { href: '/review-queue', text: 'Review queue' },
    { href: '/portfolio', text: 'Portfolio' },
  ],
  risk_owner: [
    { href: '/', text: 'Home' },
    { href: '/exceptions', text: 'Exceptions' },
    { href: '/portfolio', text: 'Portfolio' },
  ],
  procurement: [
    { href: '/', text: 'Home' },
    { href: '/portfolio', text: 'Portfolio' },
  ],
  supplier: [
    { href: '/', text: 'Home' },
    { href: '/services', text: 'Services' },
    { href: '/evidence', text: 'Evidence' },
    { href: '/actions', text: 'Actions' },
  ],
  admin: [
    { href: '/', text: 'Home' },
    { href: '/admin/suppliers', text: 'Suppliers' },
    { href: '/admin/users', text: 'Users' },
    { href: '/portfolio', text: 'Portfolio' },
  ],
}

export function navigationFor(user: SignedInUser, path: string) {
  return links[user.role].map((link) => ({
    href: link.href,
    text: link.text,
    active: link.href === '/' ? path === '/' : path.startsWith(link.href),
  }))
}
