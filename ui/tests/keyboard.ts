// Moving through a page from the keyboard alone, as a keyboard user does.
import type { Locator, Page } from 'playwright-core'

// Presses Tab (or Shift+Tab with `backwards`) until `target` has the focus: an element found by
// its role and accessible name, the way a keyboard user hears it. Nothing is pressed when it has
// the focus already.
export async function tabTo(
  page: Page,
  target: Locator,
  options: { backwards?: boolean; limit?: number } = {},
): Promise<void> {
  const key = options.backwards ? 'Shift+Tab' : 'Tab'
  const limit = options.limit ?? 120
  await target.first().waitFor({ state: 'attached' })
  for (let presses = 0; presses <= limit; presses++) {
    const focused = await target.evaluateAll((elements) => (elements as Element[]).includes(document.activeElement as Element))
    if (focused) return
    await page.keyboard.press(key)
  }
  throw new Error(`${limit} presses of ${key} never reached ${target}`)
}
