// A scenario must be plain data (object literals, arrays, primitives) plus its functions. Anything
// that runs code when read (a getter, a Proxy, a class with accessors) could throw, or answer one
// way to validation and another to the run, so it is refused before the schema reads a field.
import { types } from 'node:util';

const MAX_DEPTH = 32;

/** Every field of `value` that is not plain data, as "<field> <what is wrong>", or [] if all are. */
export function plainDataProblems(value: unknown): string[] {
  const problems: string[] = [];
  const onPath = new Set<object>();
  const visit = (v: unknown, path: string[]): void => {
    if (problems.length >= 10) return;
    const field = path.length ? path.join('.') : '(scenario)';
    if (typeof v === 'function') {
      if (types.isProxy(v)) problems.push(`${field} must be a plain function, not a Proxy`);
      return; // a function's own properties are not read by validation
    }
    if (v === null || typeof v !== 'object') return;
    if (types.isProxy(v)) return void problems.push(`${field} must be a plain object, not a Proxy`);
    if (onPath.has(v))
      return void problems.push(`${field} refers back to an enclosing object (a cycle); scenarios are trees of plain values`);
    if (path.length > MAX_DEPTH) return void problems.push(`${field} is nested more than ${MAX_DEPTH} levels deep`);
    const proto = Object.getPrototypeOf(v) as unknown;
    if (proto !== Object.prototype && proto !== Array.prototype && proto !== null) {
      // Not named via .constructor: reading it could run a hostile getter.
      return void problems.push(
        `${field} must be a plain object or array, found an object of a class (e.g. a Map, Date or class instance)`,
      );
    }
    onPath.add(v);
    for (const [key, d] of Object.entries(Object.getOwnPropertyDescriptors(v))) {
      if (Array.isArray(v) && key === 'length') continue;
      if (d.get || d.set) problems.push(`${[...path, key].join('.')} must be a plain value, not a getter or setter`);
      else visit(d.value, [...path, key]);
    }
    onPath.delete(v);
  };
  visit(value, []);
  return problems;
}
