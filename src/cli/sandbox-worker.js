// Worker thread entry of sandbox.ts: register tsx's loader in this thread, then run the command.
import { register } from 'tsx/esm/api';

register();
await import('./sandbox-main.ts');
