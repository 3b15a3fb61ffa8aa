// The worker side of sandbox.ts: run the command with the heartbeat installed; lines and the exit
// code go to the main thread as messages.
import { parentPort, workerData } from 'node:worker_threads';
import { heartbeat } from './heartbeat.ts';
import { run } from './main.ts';
import type { FromSandbox, SandboxInit } from './sandbox.ts';

const init = workerData as SandboxInit;
const port = parentPort!;
const send = (m: FromSandbox) => port.postMessage(m);
heartbeat.install(init.heartbeat);
const code = await run([...init.argv], { out: (line) => send({ kind: 'out', line }), err: (line) => send({ kind: 'err', line }) }, { isolate: false });
send({ kind: 'exit', code });
