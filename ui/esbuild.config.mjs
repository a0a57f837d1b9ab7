// Builds the browser assets (one script, one stylesheet) into dist/assets, and the server's
// TypeScript into dist/server. GOV.UK Frontend's fonts and images are served from its package.
import { build } from 'esbuild'
import { readdir } from 'node:fs/promises'
import path from 'node:path'

const here = path.dirname(new URL(import.meta.url).pathname)

await build({
  entryPoints: [path.join(here, 'assets/js/index.js'), path.join(here, 'assets/css/app.css')],
  outdir: path.join(here, 'dist/assets'),
  entryNames: '[name]',
  bundle: true,
  minify: true,
  sourcemap: true,
  target: 'es2020',
  // The stylesheets refer to /assets/fonts and /assets/images, served as they are.
  external: ['/assets/*'],
  logLevel: 'warning',
})

async function sources(dir) {
  const found = []
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) found.push(...(await sources(full)))
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) found.push(full)
  }
  return found
}

await build({
  entryPoints: await sources(path.join(here, 'server')),
  outdir: path.join(here, 'dist/server'),
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
})
