// Kernel functions are generators wrapped in call/ret so every event carries the C call stack.
import { type Program, call } from '../events.ts';

export function kernelFn<A extends unknown[], R = void>(
  name: string,
  body: (...args: A) => Program<R>,
): (...args: A) => Program<R> {
  const f = (...args: A): Program<R> => call(name, body(...args));
  Object.defineProperty(f, 'name', { value: name });
  return f;
}
