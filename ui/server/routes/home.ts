// Home is the inbox: what waits for the signed-in user (GET /me/inbox, worded by ../inbox.ts), then
// what else the role's own module puts on the page; this route only picks the module.
import { Router, type Response } from 'express'
import type { RouteContext } from './index.js'
import type { SignedInUser } from '../session.js'
import { readInbox } from '../inbox.js'
import { adminHome } from './admin.js'
import { assessorHome } from './assessor.js'
import { procurementHome } from './procurement.js'
import { riskOwnerHome } from './riskOwner.js'
import { supplierHome } from './supplier.js'

type Home = (res: Response) => Promise<Record<string, unknown>>

const homes: Record<SignedInUser['role'], [Home, string]> = {
  admin: [adminHome, 'pages/admin/home'],
  assessor: [assessorHome, 'pages/assessor/home'],
  procurement: [procurementHome, 'pages/procurement/home'],
  risk_owner: [riskOwnerHome, 'pages/risk-owner/home'],
  supplier: [supplierHome, 'pages/supplier/home'],
}

export function homeRoutes(_context: RouteContext): Router {
  const router = Router()
  router.get('/', async (_req, res) => {
    const [load, view] = homes[res.locals.user.role]
    const [inbox, extra] = await Promise.all([readInbox(res), load(res)])
    res.render(view, { title: 'Home', inbox, ...extra })
  })
  return router
}
