/**
 * A DynamoDB condition expression (`KeyConditionExpression`, `FilterExpression`) evaluated against an
 * item in memory, with the request's names and values: what lets a list read its candidates from another
 * index (custom-field filters, `custom-index.ts`) and still answer exactly what its own Query would have.
 * Covers what toolbox writes: AND, OR, NOT, parentheses, = <> < <= > >=, BETWEEN, IN, attribute_exists,
 * attribute_not_exists, begins_with, contains, size().
 */
type Item = Record<string, unknown>
type Names = Record<string, string> | undefined
type Values = Record<string, unknown> | undefined

const TOKEN = /\s*(<>|<=|>=|[()=<>,.[\]]|#[\w]+|:[\w]+|[A-Za-z_][\w]*|\d+)/y

function tokenize(text: string): string[] {
  const tokens: string[] = []
  TOKEN.lastIndex = 0
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break
    const match = TOKEN.exec(text)
    if (!match) throw new Error(`expression: cannot read ${text.slice(TOKEN.lastIndex)}`)
    tokens.push(match[1])
  }
  return tokens
}

const MISSING = Symbol('missing')

export function matches(expression: string | undefined, item: Item, names: Names, values: Values): boolean {
  if (!expression) return true
  const tokens = tokenize(expression)
  let at = 0
  const peek = () => tokens[at]
  const next = () => tokens[at++]
  const is = (word: string) => peek()?.toUpperCase() === word
  const expect = (token: string) => {
    if (next() !== token) throw new Error(`expression: expected ${token} in ${expression}`)
  }

  const path = (): unknown => {
    let value: unknown = item
    const step = (name: string) => {
      value = value && typeof value === 'object' && name in (value as Item) ? (value as Item)[name] : MISSING
    }
    const first = next()
    step(first.startsWith('#') ? (names?.[first] ?? first) : first)
    while (peek() === '.' || peek() === '[') {
      if (next() === '.') {
        const name = next()
        step(name.startsWith('#') ? (names?.[name] ?? name) : name)
      } else {
        step(next())
        expect(']')
      }
    }
    return value
  }
  const operand = (): unknown => {
    const token = peek()
    if (token.startsWith(':')) return values?.[next()]
    if (token.toLowerCase() === 'size' && tokens[at + 1] === '(') {
      next()
      expect('(')
      const value = path()
      expect(')')
      if (typeof value === 'string' || Array.isArray(value)) return value.length
      if (value instanceof Set) return value.size
      if (value && typeof value === 'object') return Object.keys(value).length
      return MISSING
    }
    return path()
  }
  const compare = (a: unknown, b: unknown): number | undefined => {
    if (a === MISSING || b === MISSING || a === undefined || b === undefined) return undefined
    if (typeof a === 'number' && typeof b === 'number') return a - b
    if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0
    if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : undefined
    return JSON.stringify(a) === JSON.stringify(b) ? 0 : undefined
  }

  const primary = (): boolean => {
    if (peek() === '(') {
      next()
      const result = or()
      expect(')')
      return result
    }
    const fn = peek().toLowerCase()
    if (tokens[at + 1] === '(' && fn !== 'size') {
      next()
      expect('(')
      const args = [fn.startsWith('attribute_') ? path() : operand()]
      while (peek() === ',') {
        next()
        args.push(operand())
      }
      expect(')')
      const [a, b] = args
      switch (fn) {
        case 'attribute_exists':
          return a !== MISSING
        case 'attribute_not_exists':
          return a === MISSING
        case 'begins_with':
          return typeof a === 'string' && typeof b === 'string' && a.startsWith(b)
        case 'contains':
          if (typeof a === 'string') return typeof b === 'string' && a.includes(b)
          if (Array.isArray(a)) return a.some((x) => compare(x, b) === 0)
          if (a instanceof Set) return a.has(b)
          return false
        default:
          throw new Error(`expression: unknown function ${fn}`)
      }
    }
    const left = operand()
    if (is('BETWEEN')) {
      next()
      const low = operand()
      if (!is('AND')) throw new Error('expression: BETWEEN without AND')
      next()
      const high = operand()
      const l = compare(left, low)
      const h = compare(left, high)
      return l !== undefined && h !== undefined && l >= 0 && h <= 0
    }
    if (is('IN')) {
      next()
      expect('(')
      const options = [operand()]
      while (peek() === ',') {
        next()
        options.push(operand())
      }
      expect(')')
      return options.some((o) => compare(left, o) === 0)
    }
    const op = next()
    const right = operand()
    const c = compare(left, right)
    switch (op) {
      case '=':
        return c === 0
      case '<>':
        return c !== 0
      case '<':
        return c !== undefined && c < 0
      case '<=':
        return c !== undefined && c <= 0
      case '>':
        return c !== undefined && c > 0
      case '>=':
        return c !== undefined && c >= 0
      default:
        throw new Error(`expression: unknown operator ${op}`)
    }
  }
  const not = (): boolean => {
    if (is('NOT')) {
      next()
      return !not()
    }
    return primary()
  }
  const and = (): boolean => {
    let result = not()
    while (is('AND')) {
      next()
      result = not() && result
    }
    return result
  }
  const or = (): boolean => {
    let result = and()
    while (is('OR')) {
      next()
      result = and() || result
    }
    return result
  }
  const result = or()
  if (at !== tokens.length) throw new Error(`expression: unread ${tokens.slice(at).join(' ')}`)
  return result
}
