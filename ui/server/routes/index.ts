// Every route of the front end. Each role's journeys live in a module of their own.
import { Router } from 'express'
import type { Config } from '../config.js'
import { navigationFor } from '../navigation.js'
import { adminRoutes, forgetIssuedToken } from './admin.js'
import { assessorRoutes } from './assessor.js'
import { homeRoutes } from './home.js'
import { notificationRoutes } from './notifications.js'
import { procurementRoutes } from './procurement.js'
import { riskOwnerRoutes } from './riskOwner.js'
import { signInRoutes } from './signIn.js'
import { supplierRoutes } from './supplier.js'

export interface RouteContext {
  config: Config
}

export function publicRoutes(config: Config): Router {
  return signInRoutes(config)
}

export function signedInRoutes(config: Config): Router {
  const context: RouteContext = { config }
  const router = Router()
  router.use((req, res, next) => {
    res.locals.navigation = navigationFor(res.locals.user, req.path)
    next()
  })
  router.use(forgetIssuedToken)
  router.use(homeRoutes(context))
  router.use(notificationRoutes(context))
  router.use(assessorRoutes(context))
  router.use(riskOwnerRoutes(context))
  router.use(procurementRoutes(context))
  router.use(supplierRoutes(context))
  router.use(adminRoutes(context))
  return router
}
