/**
 * Shopify's search syntax, in two parts. `parseSearch`: the subset the product, variant and
 * collection look-ups take, `field:value` or `field:"quoted \"value\""` terms joined by OR, matched
 * exactly on the value (case-insensitive for text fields). `parseQuery`: the fuller syntax the
 * `files` query takes (AND, OR, NOT, parentheses, comparisons), as a tree to evaluate.
 */
/** One `field:value` term. */
export interface SearchTerm {
  field: string;
  value: string;
}

/** The terms of a search query (none for an empty one), or null when it is not of the subset understood. */
export function parseSearch(query: string): SearchTerm[] | null {
  const terms: SearchTerm[] = [];
  let i = 0;
  const s = query.trim();
  if (s === '') return [];
  while (i < s.length) {
    const m = /^([a-z_]+):/.exec(s.slice(i));
    if (!m) return null;
    const field = m[1]!;
    i += m[0].length;
    let value = '';
    if (s[i] === '"') {
      i++;
      for (;;) {
        if (i >= s.length) return null;
        const c = s[i]!;
        if (c === '\\') {
          value += s[i + 1] ?? '';
          i += 2;
        } else if (c === '"') {
          i++;
          break;
        } else {
          value += c;
          i++;
        }
      }
    } else {
      const end = s.indexOf(' ', i);
      value = s.slice(i, end < 0 ? s.length : end);
      i = end < 0 ? s.length : end;
    }
    terms.push({ field, value });
    const rest = /^\s+OR\s+/.exec(s.slice(i));
    if (rest) i += rest[0].length;
    else if (i < s.length) return null;
  }
  return terms;
}

// ——— the fuller syntax (the `files` query): AND, OR, NOT, parentheses, comparisons ———

/** A comparison of a term: `field:value`, `field:>value`, `field:>=value`, `field:<value`, `field:<=value`. */
export type Comparison = ':' | '>' | '>=' | '<' | '<=';

/** A parsed query of the fuller syntax. */
export type QueryNode =
  | { kind: 'term'; field: string; op: Comparison; value: string }
  | { kind: 'and'; nodes: QueryNode[] }
  | { kind: 'or'; nodes: QueryNode[] }
  | { kind: 'not'; node: QueryNode };

type Token = { t: '(' | ')' | 'OR' | 'AND' | 'NOT' | '-' } | { t: 'term'; field: string; op: Comparison; value: string };

function tokenize(s: string): Token[] | string {
  const tokens: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '(' || c === ')') {
      tokens.push({ t: c });
      i++;
      continue;
    }
    if (c === '-') {
      tokens.push({ t: '-' });
      i++;
      continue;
    }
    const word = /^(OR|AND|NOT)(?=[\s()]|$)/.exec(s.slice(i));
    if (word) {
      tokens.push({ t: word[1] as 'OR' | 'AND' | 'NOT' });
      i += word[0].length;
      continue;
    }
    const m = /^([a-z_]+):(>=|<=|>|<)?/.exec(s.slice(i));
    if (!m) return `Unsupported search term at "${s.slice(i, i + 20)}": expected field:value.`;
    i += m[0].length;
    let value = '';
    const quote = s[i];
    if (quote === '"' || quote === "'") {
      i++;
      for (;;) {
        if (i >= s.length) return `Unterminated quoted value in "${s}".`;
        const ch = s[i]!;
        if (ch === '\\') {
          value += s[i + 1] ?? '';
          i += 2;
        } else if (ch === quote) {
          i++;
          break;
        } else {
          value += ch;
          i++;
        }
      }
    } else {
      const end = /[\s()]|$/.exec(s.slice(i))!;
      value = s.slice(i, i + end.index);
      i += end.index;
    }
    if (value === '') return `The term ${m[1]}: has no value.`;
    tokens.push({ t: 'term', field: m[1]!, op: (m[2] ?? ':') as Comparison, value });
  }
  return tokens;
}

/**
 * Parses Shopify's search syntax as far as a sync needs it: `field:value` terms (values bare or
 * quoted with " or '), comparisons `field:>v` `>=` `<` `<=`, terms joined by spaces or AND
 * (which binds tighter than OR), OR, parentheses, and negation by a leading `-` or NOT. Returns
 * null for an empty query, or the error to tell the client.
 */
export function parseQuery(query: string): QueryNode | null | { error: string } {
  const tokens = tokenize(query);
  if (typeof tokens === 'string') return { error: tokens };
  if (tokens.length === 0) return null;
  let i = 0;
  const peek = () => tokens[i];
  const or = (): QueryNode | string => {
    const nodes: QueryNode[] = [];
    for (;;) {
      const n = and();
      if (typeof n === 'string') return n;
      nodes.push(n);
      if (peek()?.t !== 'OR') break;
      i++;
    }
    return nodes.length === 1 ? nodes[0]! : { kind: 'or', nodes };
  };
  const and = (): QueryNode | string => {
    const nodes: QueryNode[] = [];
    for (;;) {
      if (peek()?.t === 'AND') i++;
      const n = unary();
      if (typeof n === 'string') return n;
      nodes.push(n);
      const next = peek();
      if (!next || next.t === 'OR' || next.t === ')') break;
    }
    return nodes.length === 1 ? nodes[0]! : { kind: 'and', nodes };
  };
  const unary = (): QueryNode | string => {
    const tok = tokens[i++];
    if (!tok) return 'The query ends where a term was expected.';
    if (tok.t === '-' || tok.t === 'NOT') {
      const n = unary();
      return typeof n === 'string' ? n : { kind: 'not', node: n };
    }
    if (tok.t === '(') {
      const n = or();
      if (typeof n === 'string') return n;
      if (tokens[i++]?.t !== ')') return 'A parenthesis is not closed.';
      return n;
    }
    if (tok.t === 'term') return { kind: 'term', field: tok.field, op: tok.op, value: tok.value };
    return `Unexpected ${tok.t} where a term was expected.`;
  };
  const node = or();
  if (typeof node === 'string') return { error: node };
  if (i < tokens.length) return { error: `Unexpected ${tokens[i]!.t} after the query.` };
  return node;
}

/** Whether a parsed query holds for a record, given how each term is matched. */
export function evaluate(node: QueryNode, term: (field: string, op: Comparison, value: string) => boolean): boolean {
  switch (node.kind) {
    case 'term':
      return term(node.field, node.op, node.value);
    case 'and':
      return node.nodes.every((n) => evaluate(n, term));
    case 'or':
      return node.nodes.some((n) => evaluate(n, term));
    case 'not':
      return !evaluate(node.node, term);
  }
}

/** Every term of a parsed query (to check their fields and values before matching anything). */
export function termsOf(node: QueryNode): Array<{ field: string; op: Comparison; value: string }> {
  if (node.kind === 'term') return [node];
  if (node.kind === 'not') return termsOf(node.node);
  return node.nodes.flatMap(termsOf);
}
