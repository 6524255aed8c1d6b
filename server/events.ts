import type { Logger } from 'pino';

/**
 * Event names and payloads. Plugins add theirs by declaration merging:
 *   declare module '../../server/events.js' { interface EventMap { 'gadget.created': { id: number } } }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface EventMap {}

export type EventName = keyof EventMap & string;
export type EventHandler<E extends EventName> = (payload: EventMap[E]) => void | Promise<void>;
export type EventHandlers = { [E in EventName]?: EventHandler<E> };

/** In-process, typed. Handlers run after the emitter's work; a failing handler is logged, never rethrown. */
export class EventBus {
  private readonly handlers = new Map<string, { owner: string; handler: (payload: unknown) => unknown }[]>();
  private readonly pending = new Set<Promise<unknown>>();

  constructor(private readonly logger: Logger) {}

  on<E extends EventName>(event: E, handler: EventHandler<E>, owner = 'host'): void {
    const list = this.handlers.get(event) ?? [];
    list.push({ owner, handler: handler as (payload: unknown) => unknown });
    this.handlers.set(event, list);
  }

  /** Runs every handler and waits for them; errors are logged with the owning plugin's name. */
  async emit<E extends EventName>(event: E, payload: EventMap[E]): Promise<void> {
    const list = this.handlers.get(event) ?? [];
    const run = Promise.all(
      list.map(async ({ owner, handler }) => {
        try {
          await handler(payload);
        } catch (err) {
          this.logger.error({ err, event, plugin: owner }, 'event handler failed');
        }
      }),
    );
    this.pending.add(run);
    try {
      await run;
    } finally {
      this.pending.delete(run);
    }
  }

  /** Waits for handlers still running (used at shutdown and in tests). */
  async drain(): Promise<void> {
    while (this.pending.size) await Promise.all(this.pending);
  }
}
