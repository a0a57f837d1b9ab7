// The shapes of the API's identifiers. A path whose id could never name anything is a missing page
// here, not an API call.
import type { Schemas } from './cocoApi.js'

export type StandardKey = Schemas['Assessment']['standard']

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const requirementPattern = /^(COCO|OFF|CRYPTO|SUP)-[0-9]{2}$/

// The contract's standards, in the order the pages list them.
export const standardKeys: readonly StandardKey[] = ['COCO', 'OFFSHORING', 'CRYPTOGRAPHY', 'SUPPLIER']

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && uuidPattern.test(value)
}

export function isRequirementId(value: unknown): value is string {
  return typeof value === 'string' && requirementPattern.test(value)
}

export function asStandardKey(value: unknown): StandardKey | undefined {
  return standardKeys.find((key) => key === value)
}
