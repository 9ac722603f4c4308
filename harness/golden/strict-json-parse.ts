// JSON.parse keeps the last of two equal keys and hides the first; a golden edited by hand or merged
// badly could then pass with data nobody meant. JSON.parse stays the parser; this scanner only runs on
// text it accepted, so it needs to know strings and brackets, nothing else.

export type JsonPath = Array<string | number>;

/** `outputs.output0.data[3]`; keys that are not identifiers are quoted. */
export function formatJsonPath(path: readonly PropertyKey[]): string {
  if (!path.length) return '(root)';
  return path
    .map((k, i) =>
      typeof k === 'number'
        ? `[${k}]`
        : typeof k === 'string' && /^[A-Za-z_$][\w$]*$/.test(k)
          ? `${i ? '.' : ''}${k}`
          : `[${JSON.stringify(String(k))}]`,
    )
    .join('');
}

/** A golden file that cannot be used: `file` and `field` say where, the message how to fix it. */
export class GoldenFileError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

// A frame knows its parent and its key there; paths are only built for an error (deep nesting stays linear).
interface Frame {
  parent?: Frame;
  at?: string | number;
  keys?: Set<string>;
  key?: string;
  index: number;
  expectKey: boolean;
}
function pathOf(frame: Frame | undefined): JsonPath {
  const path: JsonPath = [];
  for (let f = frame; f && f.at !== undefined; f = f.parent) path.unshift(f.at);
  return path;
}

/** Parses JSON text, refusing duplicate keys and `__proto__` keys; errors name the file and the field. */
export function strictJsonParse(text: string, file: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new GoldenFileError(file, '(root)', `${file}: must be valid JSON (${(err as Error).message}); restore it with git or re-record`);
  }
  const problem = keyProblem(text);
  if (problem)
    throw new GoldenFileError(file, problem.field, `${file}: ${problem.field} ${problem.message}; restore it with git or re-record`);
  return value;
}

/** The first duplicate or `__proto__` key of valid JSON text. */
export function keyProblem(text: string): { field: string; message: string } | undefined {
  const stack: Frame[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '{' || c === '[') {
      const parent = stack[stack.length - 1];
      const at = parent ? (parent.keys ? parent.key! : parent.index) : undefined;
      stack.push({ parent, at, index: 0, expectKey: c === '{', ...(c === '{' ? { keys: new Set<string>() } : {}) });
    } else if (c === '}' || c === ']') {
      stack.pop();
    } else if (c === ',') {
      const top = stack[stack.length - 1]!;
      if (top.keys) top.expectKey = true;
      else top.index++;
    } else if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const top = stack[stack.length - 1];
      if (top?.keys && top.expectKey) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        const field = () => formatJsonPath([...pathOf(top), key]);
        if (key === '__proto__') return { field: field(), message: 'is not allowed as a field name' };
        if (top.keys.has(key)) return { field: field(), message: 'appears twice; keep one' };
        top.keys.add(key);
        top.key = key;
        top.expectKey = false;
      }
      i = j;
    }
  }
  return undefined;
}
