// Starts the front end: `node dist/server/index.js` (scripts/run does it beside coco).
import { createApp } from './app.js'
import { configFromEnvironment } from './config.js'
import { sessionStore } from './session.js'

const config = configFromEnvironment()
const { store, pool } = await sessionStore(config)
const app = createApp(config, store)
const server = app.listen(config.port, config.bind, () => {
  console.log(`coco web front end on http://${config.bind}:${config.port} (API ${config.apiUrl})`)
})
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    server.close(() => {
      void pool.end().then(() => process.exit(0))
    })
    setTimeout(() => process.exit(0), 5000).unref()
  })
}
