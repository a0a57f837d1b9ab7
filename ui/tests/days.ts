// Days in the tests: counted from today as the API writes them, and typed into GOV.UK date inputs.
import type { Locator } from 'playwright-core'

// A day counted from today (UTC), as the API writes days: "2027-03-03".
export function isoDay(offsetDays: number): string {
  const day = new Date()
  day.setUTCHours(12, 0, 0, 0)
  day.setUTCDate(day.getUTCDate() + offsetDays)
  return day.toISOString().slice(0, 10)
}

// "2027-03-03" as the three boxes of a GOV.UK date input: 3, 3, 2027.
export function dayMonthYear(iso: string): { day: string; month: string; year: string } {
  const [year, month, day] = iso.split('-')
  return { day: String(Number(day)), month: String(Number(month)), year }
}

// Types an ISO day into the date input `group` (found by its legend, as a user reads it).
export async function fillDate(group: Locator, iso: string): Promise<void> {
  const { day, month, year } = dayMonthYear(iso)
  await group.getByLabel('Day').fill(day)
  await group.getByLabel('Month').fill(month)
  await group.getByLabel('Year').fill(year)
}
