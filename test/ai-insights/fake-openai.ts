import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted answer: an HTTP status with a JSON body, optionally late (a timeout) or with headers. */
export interface Scripted {
  status?: number;
  body?: unknown;
  /** Raw text instead of JSON. */
  raw?: string;
  delayMs?: number;
  headers?: Record<string, string>;
}

/** A chat completion as OpenAI's wire format has it. */
export function completion(message: Record<string, unknown>, finishReason = 'stop', usage = { prompt_tokens: 120, completion_tokens: 40 }) {
  return {
    id: 'chatcmpl-test',
    object: 'chat.completion',
    created: 1_764_000_000,
    model: 'gpt-4o-mini',
    choices: [{ index: 0, message: { role: 'assistant', content: null, refusal: null, ...message }, logprobs: null, finish_reason: finishReason }],
    usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
  };
}

export const jsonAnswer = (data: unknown) => ({ body: completion({ content: JSON.stringify(data) }) });
export const toolCalls = (...calls: { name: string; arguments: unknown }[]) => ({
  body: completion(
    {
      tool_calls: calls.map((c, i) => ({
        id: `call_${i}`,
        type: 'function',
        function: { name: c.name, arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments) },
      })),
    },
    'tool_calls',
  ),
});

/**
 * A local HTTP server speaking OpenAI's chat-completions wire format: it answers from a script (or a
 * function of the request) and keeps every request it received.
 */
export class FakeOpenAi {
  readonly requests: { path: string; body: Record<string, unknown>; authorization?: string }[] = [];
  private script: Scripted[] = [];
  /** Answers requests once the script is empty. */
  fallback: (body: Record<string, unknown>) => Scripted = () => ({ status: 500, body: { error: { message: 'no scripted answer', type: 'server_error' } } });
  private server!: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void readBody(req).then(async (text) => {
        const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
        this.requests.push({ path: req.url ?? '', body, authorization: req.headers.authorization });
        const answer = this.script.shift() ?? this.fallback(body);
        if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs));
        if (res.destroyed) return;
        res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers });
        res.end(answer.raw ?? JSON.stringify(answer.body ?? {}));
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
    return this;
  }

  /** Queues answers for the next requests, in order. */
  answer(...answers: Scripted[]): void {
    this.script.push(...answers);
  }

  reset(): void {
    this.script = [];
    this.requests.length = 0;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
