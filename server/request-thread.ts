import { parentPort, type Worker } from 'node:worker_threads';
import { OneAtATime } from './one-at-a-time.js';
import { startWorker } from './workers.js';

type ThreadError = { name: string; message: string };
type Reply<Result> = { ready: true } | { call: number; result?: Result; error?: ThreadError };

/**
 * A worker thread that answers requests one at a time, in the order they were sent (the module
 * calls `serveRequests`). It does not keep the process alive while nothing is asked of it. Once it
 * has stopped (it failed, or was terminated), pending and later requests are refused with the reason.
 */
export class RequestThread<Request, Result> {
  private readonly worker: Worker;
  private readonly calls = new Map<number, { resolve: (result: Result) => void; reject: (err: Error) => void }>();
  private nextCall = 0;
  private readonly started: Promise<void>;
  private settleStart!: () => void;
  /** The module has loaded: requests are answered without waiting for the start. */
  ready = false;
  stopped: Error | undefined;

  constructor(
    module: URL,
    data: unknown,
    private readonly errorFor: (error: ThreadError) => Error = (e) => new Error(e.message),
  ) {
    this.worker = startWorker(module, data);
    this.worker.unref();
    this.started = new Promise((resolve) => (this.settleStart = resolve));
    this.worker.on('message', (reply: Reply<Result>) => {
      if ('ready' in reply) {
        this.ready = true;
        this.settleStart();
        return;
      }
      const pending = this.calls.get(reply.call)!;
      this.calls.delete(reply.call);
      if (!this.calls.size) this.worker.unref();
      if (reply.error) pending.reject(this.errorFor(reply.error));
      else pending.resolve(reply.result as Result);
    });
    this.worker.on('error', (err) => this.stop(err));
    this.worker.on('exit', () => this.stop(new Error('The worker thread has stopped')));
  }

  request(request: Request): Promise<Result> {
    if (this.stopped) return Promise.reject(this.stopped);
    return new Promise((resolve, reject) => {
      const call = this.nextCall++;
      if (!this.calls.size) this.worker.ref();
      this.calls.set(call, { resolve, reject });
      this.worker.postMessage({ call, request });
    });
  }

  /** Resolves once the module has loaded, or the thread has stopped. */
  whenStarted(): Promise<void> {
    return this.started;
  }

  async terminate(): Promise<void> {
    // Without a timer held meanwhile, a process whose last handle was this thread could end before
    // the thread's exit was reported, leaving the caller's await unfinished (seen in the benchmark).
    const hold = setInterval(() => undefined, 1_000);
    try {
      await this.worker.terminate();
    } finally {
      clearInterval(hold);
    }
  }

  private stop(err: Error): void {
    this.stopped ??= err;
    this.settleStart();
    for (const pending of this.calls.values()) pending.reject(err);
    this.calls.clear();
  }
}

/** In a RequestThread's module: answers each request with `handle`, strictly one after another. */
export function serveRequests<Request, Result>(handle: (request: Request) => Result | Promise<Result>): void {
  const port = parentPort!;
  const answers = new OneAtATime();
  port.on('message', ({ call, request }: { call: number; request: Request }) => {
    void answers.run(async () => {
      let reply: Reply<Result>;
      try {
        reply = { call, result: await handle(request) };
      } catch (err) {
        reply = { call, error: { name: (err as Error).constructor.name, message: (err as Error).message } };
      }
      port.postMessage(reply);
    });
  });
  port.postMessage({ ready: true } satisfies Reply<Result>);
}
