/**
 * Splits an event payload into what may be kept in the clear and the personal data named by
 * its paths (`person`, `household[].givenNames`, `reasons` …), and puts them back together.
 * `[]` steps into every item of an array; concrete paths use the index (`household.1.givenNames`).
 */
type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function concretePaths(data: unknown, pattern: string[], prefix: string[] = []): string[][] {
  if (pattern.length === 0) return [prefix];
  const [head, ...rest] = pattern as [string, ...string[]];
  if (head.endsWith('[]')) {
    const key = head.slice(0, -2);
    const list = isObject(data) ? data[key] : undefined;
    if (!Array.isArray(list)) return [];
    return list.flatMap((item, i) => concretePaths(item, rest, [...prefix, key, String(i)]));
  }
  if (!isObject(data) || !(head in data)) return [];
  return concretePaths(data[head], rest, [...prefix, head]);
}

function getAt(data: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((node, key) => (node == null ? undefined : (node as Json)[key]), data);
}

/** A deep copy with the value at `path` removed. */
function withoutAt(data: unknown, path: readonly string[]): unknown {
  if (path.length === 0) return undefined;
  const [head, ...rest] = path as [string, ...string[]];
  if (Array.isArray(data))
    return (data as unknown[]).map((item, i) => (String(i) === head ? withoutAt(item, rest) : item));
  if (!isObject(data)) return data;
  if (rest.length === 0) {
    const { [head]: _removed, ...kept } = data;
    return kept;
  }
  return { ...data, [head]: withoutAt(data[head], rest) };
}

function withAt(data: unknown, path: readonly string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string, ...string[]];
  if (Array.isArray(data))
    return (data as unknown[]).map((item, i) => (String(i) === head ? withAt(item, rest, value) : item));
  const node = isObject(data) ? data : {};
  return { ...node, [head]: withAt(node[head], rest, value) };
}

export function extractPersonal(data: unknown, patterns: readonly string[]): { clear: unknown; personal: Json } {
  const personal: Json = {};
  let clear = data;
  for (const pattern of patterns) {
    for (const path of concretePaths(data, pattern.split('.'))) {
      const value = getAt(data, path);
      if (value === undefined) continue;
      personal[path.join('.')] = value;
      clear = withoutAt(clear, path);
    }
  }
  return { clear, personal };
}

export function injectPersonal(clear: unknown, personal: Json): unknown {
  return Object.entries(personal).reduce((data, [path, value]) => withAt(data, path.split('.'), value), clear);
}
