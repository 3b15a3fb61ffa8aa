// Synthesis sweep worker entry: register tsx's loader in this thread (a worker does not inherit the
// main thread's module hooks), then run the TypeScript worker. Plain JS so that it starts under
// node alone, from any working directory.
import { register } from 'tsx/esm/api';

register();
await import('./worker-main.ts');
