/**
 * AI insights at scale, on SQLite: the embedding backfill's throughput, Cmd+K search latency through
 * the REST API (lexical and semantic, p50/p95), recall@10 of semantic search on 50 descriptive queries
 * generated from known contacts, and summary refresh of 1,000 contacts with the local provider and
 * with a local OpenAI-compatible server.
 *   npm run bench:ai        (AI_CONTACTS=20000 for a quicker run)
 */
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import Sqlite from 'better-sqlite3';
import { contactsPlugin } from '../plugins/contacts/index.js';
import { scoringPlugin } from '../plugins/scoring/index.js';
import { aiInsightsPlugin } from '../plugins/ai-insights/index.js';
import type { AiInsightsApi } from '../plugins/ai-insights/public.js';
import type { ContactsApi } from '../plugins/contacts/public.js';
import type { ScoringApi } from '../plugins/scoring/public.js';
import { CallLog } from '../plugins/ai-insights/call-log.js';
import { InputReader } from '../plugins/ai-insights/evidence.js';
import { OpenAiProvider } from '../plugins/ai-insights/providers/openai.provider.js';
import { SummaryService } from '../plugins/ai-insights/summary.service.js';
import { refreshStaleSummaries } from '../plugins/ai-insights/summary-refresh.js';
import { migrate } from '../server/migrations.js';
import { createHttpApp } from '../server/http/app.js';
import { benchHost } from './bench-host.js';

const CONTACTS = Number(process.env.AI_CONTACTS ?? 100_000);
const ACTIVITIES = CONTACTS * 2;
const DAY_MS = 86_400_000;
const FIRST = [
  'Anna',
  'Ben',
  'Chloe',
  'David',
  'Elena',
  'Farid',
  'Greta',
  'Hugo',
  'Ines',
  'Jonas',
  'Kira',
  'Liam',
  'Mara',
  'Noah',
  'Olga',
  'Pavel',
  'Quinn',
  'Rosa',
  'Sven',
  'Tara',
  'Umar',
  'Vera',
  'Wen',
  'Xavi',
  'Yara',
  'Zoe',
];
const LAST = [
  'Adler',
  'Becker',
  'Costa',
  'Dubois',
  'Eriksen',
  'Fischer',
  'Garcia',
  'Hansen',
  'Ivanova',
  'Jansen',
  'Kowalski',
  'Lopez',
  'Meyer',
  'Novak',
  'Olsen',
  'Petrov',
  'Rossi',
  'Schmidt',
  'Tanaka',
  'Weber',
];
const TITLES = [
  'CFO',
  'CTO',
  'CEO',
  'VP Sales',
  'Head of Marketing',
  'Data Engineer',
  'Product Manager',
  'Procurement Lead',
  'Controller',
  'HR Director',
  'Designer',
  'Account Executive',
];
const INDUSTRIES = [
  'Fintech',
  'Healthcare',
  'Logistics',
  'Retail',
  'Manufacturing',
  'Insurance',
  'Biotech',
  'Education',
  'Energy',
  'Gaming',
  'Agriculture',
  'Telecom',
];
const CITIES = [
  'Berlin',
  'Munich',
  'Paris',
  'Lyon',
  'Madrid',
  'Lisbon',
  'Vienna',
  'Zurich',
  'Amsterdam',
  'Warsaw',
  'Prague',
  'Oslo',
  'Dublin',
  'Milan',
  'Austin',
  'Toronto',
];
const TYPES = ['EMAIL_OPENED', 'EMAIL_CLICKED', 'CALL', 'MEETING', 'PAGE_VISITED', 'FORM_SUBMITTED', 'EMAIL_SENT'];

let seed = 11;
const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const sqliteTime = (ms: number) => new Date(ms).toISOString().replace('Z', '+00:00');
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))]!;
const round = (n: number) => Math.round(n * 100) / 100;

const dir = mkdtempSync(path.join(tmpdir(), 'crm-ai-bench-'));
const file = path.join(dir, 'crm.db');
await migrate({ DATABASE_URL: `file:${file}`, databaseKind: 'sqlite' });
const db = new Sqlite(file);
db.pragma('journal_mode = WAL');
const now = Date.now();
const companies: { name: string; industry: string; city: string }[] = [];
const people: { id: number; first: string; last: string; email: string; title: string; company: number }[] = [];
const fillStart = performance.now();
db.transaction(() => {
  const company = db.prepare('INSERT INTO "Company" (id, name, industry, city, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?)');
  for (let c = 1; c <= 2_000; c++) {
    const row = {
      name: `${pick(['Nova', 'Blue', 'Apex', 'Terra', 'Quant', 'Helio', 'Iron', 'Silver'])}${pick(['soft', 'works', 'labs', 'logic', 'line', 'point'])} ${c}`,
      industry: pick(INDUSTRIES),
      city: pick(CITIES),
    };
    companies.push(row);
    company.run(c, row.name, row.industry, row.city, sqliteTime(now), sqliteTime(now));
  }
  const contact = db.prepare(
    'INSERT INTO "Contact" (id, email, firstName, lastName, phone, jobTitle, companyId, city, searchText, sortName, lastActivityAt, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  for (let id = 1; id <= CONTACTS; id++) {
    const first = pick(FIRST);
    const last = `${pick(LAST)}${id % 7 === 0 ? '' : id}`;
    const email = `${first}.${last}.${id}@example.com`.toLowerCase();
    const companyId = 1 + Math.floor(random() * companies.length);
    const title = pick(TITLES);
    const c = companies[companyId - 1]!;
    const created = sqliteTime(now - Math.floor(random() * 720) * DAY_MS);
    people.push({ id, first, last, email, title, company: companyId });
    contact.run(
      id,
      email,
      first,
      last,
      `+1202555${String(id).padStart(4, '0').slice(-4)}`,
      title,
      companyId,
      c.city,
      `${first} ${last} ${email} ${c.name}`.toLowerCase(),
      `${last} ${first} ${email}`.toLowerCase(),
      sqliteTime(now - Math.floor(random() * 60) * DAY_MS),
      created,
      created,
    );
  }
  const activity = db.prepare('INSERT INTO "Activity" (contactId, type, occurredAt, createdAt, subject) VALUES (?, ?, ?, ?, ?)');
  for (let i = 0; i < ACTIVITIES; i++) {
    const at = sqliteTime(now - Math.floor(random() * 60 * DAY_MS));
    activity.run(1 + Math.floor(random() * CONTACTS), pick(TYPES), at, at, 'Touchpoint');
  }
})();
db.close();
console.log(`seeded ${CONTACTS} contacts, 2000 companies, ${ACTIVITIES} activities in ${Math.round(performance.now() - fillStart)} ms`);

const host = await benchHost(dir, file, [contactsPlugin, scoringPlugin, aiInsightsPlugin], { 'ai-insights': { provider: 'local' } });
const app = createHttpApp(host);
const server = await host.listen(app);
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
const ai = host.services['ai-insights'] as AiInsightsApi;
await (host.services.scoring as ScoringApi).idle();

// 1. Embedding backfill.
let started = performance.now();
const backfill = await ai.embeddings.backfill({ batchSize: 2_000 });
const backfillMs = performance.now() - started;
console.log(
  `embedding backfill: ${backfill.embedded} contacts in ${Math.round(backfillMs)} ms = ${Math.round(backfill.embedded / (backfillMs / 1000))} contacts/s`,
);

// 2. Search through REST.
const user = await host.users.create({ email: 'bench@example.com', name: 'Bench', role: 'REP', password: 'correct horse battery staple' });
const { key } = await host.apiKeys.create(user.id, 'bench');
const get = async (q: string) => {
  const t0 = performance.now();
  const res = await fetch(`${base}/search?q=${encodeURIComponent(q)}`, { headers: { 'x-api-key': key } });
  const body = (await res.json()) as { results: { id: number; type: string; match: string }[] };
  if (!res.ok) throw new Error(`search ${res.status} ${JSON.stringify(body)}`);
  return { ms: performance.now() - t0, body };
};
await get('warm up');
const lexical: number[] = [];
for (let i = 0; i < 200; i++) {
  const p = pick(people);
  const q = i % 3 === 0 ? p.email : i % 3 === 1 ? `${p.first} ${p.last}`.slice(0, 4 + (i % 6)) : companies[p.company - 1]!.name;
  lexical.push((await get(q)).ms);
}
const semantic: number[] = [];
const labelled: { q: string; relevant: Set<number> }[] = [];
for (let i = 0; i < 200; i++) {
  const p = pick(people);
  const c = companies[p.company - 1]!;
  const q = `the ${p.title} from the ${c.industry.toLowerCase()} company in ${c.city}`;
  if (labelled.length < 50)
    labelled.push({
      q,
      relevant: new Set(
        people
          .filter((o) => o.title === p.title && companies[o.company - 1]!.industry === c.industry && companies[o.company - 1]!.city === c.city)
          .map((o) => o.id),
      ),
    });
  semantic.push((await get(q)).ms);
}
console.log(`search via REST, lexical (200 queries): p50 ${round(percentile(lexical, 50))} ms, p95 ${round(percentile(lexical, 95))} ms`);
console.log(`search via REST, semantic descriptions (200 queries): p50 ${round(percentile(semantic, 50))} ms, p95 ${round(percentile(semantic, 95))} ms`);

// 3. Recall@10 of the semantic part on 50 labelled descriptions (relevant: every contact with that title, industry and city).
let recall = 0;
for (const { q, relevant } of labelled) {
  const top = (await get(q)).body.results.filter((r) => r.type === 'contact' && r.match === 'semantic').slice(0, 10);
  recall += top.filter((r) => relevant.has(r.id)).length / Math.min(10, relevant.size);
}
console.log(`semantic recall@10 over 50 labelled descriptions: ${round(recall / labelled.length)}`);

if (process.env.AI_SEARCH_ONLY) {
  await host.stop();
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}

// 4. Summary refresh of 1,000 contacts: local provider, then a local OpenAI-compatible server.
const ids = people.slice(0, 1_000).map((p) => p.id);
started = performance.now();
const local = await refreshStaleSummaries(
  async (_since, limit, after) => ids.filter((id) => id > (after ?? 0)).slice(0, limit),
  (id) => ai.insights.refreshSummary(id),
  { batchSize: 100, concurrency: 4, budget: 1_000, activeSince: new Date(0) },
);
console.log(`summary refresh, local provider: ${local.refreshed} contacts in ${Math.round(performance.now() - started)} ms (${local.failed} failed)`);

const fake = createServer((req, res) => {
  let text = '';
  req.on('data', (c) => (text += c));
  req.on('end', () => {
    const body = JSON.parse(text) as { messages: { content: string }[] };
    const id = /contact:(\d+)/.exec(body.messages[1]!.content)?.[1];
    const content = JSON.stringify({ sentences: [{ text: 'A summary.', citations: [`contact:${id}`] }] });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        id: 'x',
        object: 'chat.completion',
        created: 0,
        model: 'm',
        choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 500, completion_tokens: 30, total_tokens: 530 },
      }),
    );
  });
});
await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
const calls = new CallLog(host.prisma);
const openai = new OpenAiProvider(
  {
    apiKey: 'sk-bench',
    baseURL: `http://127.0.0.1:${(fake.address() as AddressInfo).port}/v1`,
    model: 'gpt-4o-mini',
    embeddingModel: 'e',
    timeoutMs: 30_000,
    maxRetries: 2,
    maxTokens: 500,
    inputPricePerMTok: 0.15,
    outputPricePerMTok: 0.6,
  },
  calls,
);
const reader = new InputReader(host.services.contacts as ContactsApi, host.services.scoring as ScoringApi, () => new Date());
const summaries = new SummaryService(
  host.prisma,
  () => openai,
  24,
  () => new Date(),
);
started = performance.now();
const remote = await refreshStaleSummaries(
  async (_since, limit, after) => ids.filter((id) => id > (after ?? 0)).slice(0, limit),
  async (id) => summaries.summary(await reader.read(id), { force: true }),
  { batchSize: 100, concurrency: 4, budget: 1_000, activeSince: new Date(0) },
);
console.log(
  `summary refresh, local OpenAI-compatible server: ${remote.refreshed} contacts in ${Math.round(performance.now() - started)} ms (${remote.failed} failed)`,
);
fake.close();

await host.stop();
rmSync(dir, { recursive: true, force: true });
