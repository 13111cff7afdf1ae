/**
 * Lookup tables indexed with text from the EHR (codes, units, entity names, systems). A plain
 * object literal inherits Object.prototype, so a key such as "constructor", "toString" or
 * "__proto__" would find a function or object instead of nothing; these tables have no prototype,
 * so only their own entries are ever found.
 */
export function ownKeyTable<T>(entries: Readonly<Record<string, T>>): Readonly<Record<string, T>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, T>, entries));
}
