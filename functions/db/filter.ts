// A toolbox filter condition (`{ attr: 'name', contains: 'x' }`), kept loose: collections differ.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Filter = any

/** AND of the conditions that apply; undefined when none does. */
export function all(...conditions: (Filter | false | undefined | '')[]): Filter | undefined {
  const present = conditions.filter(Boolean)
  if (present.length === 0) return undefined
  return present.length === 1 ? present[0] : { and: present }
}
