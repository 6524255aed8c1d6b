import { chunksOf } from '../../server/id-lists.js';
import { SqlBuilder, type SqlRunner, type Statement } from '../../server/sql-runner.js';
import { ACTIVITY_SIGNALS, isActivitySignal, type CompiledRule, type ContactFacts, type ScoreResult } from './score-engine.js';

interface ContactRow {
  id: number | bigint;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  mobile: string | null;
  jobTitle: string | null;
  companyId: number | bigint | null;
  city: string | null;
  country: string | null;
  linkedinUrl: string | null;
  buyingRole: string | null;
  status: string;
  createdAt: string | Date;
}

type ActivityRow = { contactId: number | bigint; lastAt: string | Date | null; bounces: number | bigint | null } & Record<string, unknown>;

const CHUNK = 500;
const LN2 = Math.log(2);
const DAY_MS = 86_400_000;
const UNIX_EPOCH_JULIAN_DAY = 2_440_587.5;

/**
 * Reads what scores are computed from and writes the results. Activities are aggregated per contact
 * in SQL, one decayed sum per activity rule, so a full rescore is two reads whatever the number of
 * contacts.
 */
export class ScoreStore {
  constructor(private readonly runner: SqlRunner) {}

  close(): void {
    this.runner.close();
  }

  /** Facts for the given contacts, or for every contact when no ids are given. */
  async facts(rules: CompiledRule[], now: Date, contactIds?: number[]): Promise<ContactFacts[]> {
    if (contactIds && !contactIds.length) return [];
    const groups = contactIds ? chunksOf(contactIds, CHUNK) : [undefined];
    const out: ContactFacts[] = [];
    const activityRules = rules.filter((r) => isActivitySignal(r.signal));
    for (const ids of groups) {
      const [contacts, activities] = await Promise.all([
        this.runner.query<ContactRow>(this.contactsSql(ids)),
        this.runner.query<ActivityRow>(this.activitySql(rules, now, ids)),
      ]);
      const byContact = new Map(activities.map((a) => [Number(a.contactId), a]));
      for (const c of contacts) {
        const id = Number(c.id);
        const a = byContact.get(id);
        const weightedCounts = new Map<number, number>();
        if (a) for (const rule of activityRules) weightedCounts.set(rule.id, Number(a[`r${rule.id}`] ?? 0));
        out.push({
          contactId: id,
          firstName: c.firstName,
          lastName: c.lastName,
          phone: c.phone,
          mobile: c.mobile,
          jobTitle: c.jobTitle,
          companyId: c.companyId === null ? null : Number(c.companyId),
          city: c.city,
          country: c.country,
          linkedinUrl: c.linkedinUrl,
          buyingRole: c.buyingRole,
          status: c.status,
          createdAt: new Date(c.createdAt),
          lastActivityAt: a?.lastAt ? new Date(a.lastAt) : null,
          bounces: Number(a?.bounces ?? 0),
          weightedCounts,
        });
      }
    }
    return out;
  }

  private contactsSql(ids?: number[]): Statement {
    const q = new SqlBuilder(this.runner.dialect);
    const columns = [
      'id',
      'firstName',
      'lastName',
      'phone',
      'mobile',
      'jobTitle',
      'companyId',
      'city',
      'country',
      'linkedinUrl',
      'buyingRole',
      'status',
      'createdAt',
    ];
    const select = columns.map((c) => (this.runner.dialect === 'postgres' && ['buyingRole', 'status'].includes(c) ? `"${c}"::text AS "${c}"` : `"${c}"`));
    const where = ids ? ` WHERE "id" IN ${q.ids(ids)}` : '';
    return q.done(`SELECT ${select.join(', ')} FROM "Contact"${where} ORDER BY "id"`);
  }

  /** Per contact: latest activity, bounces, and per activity rule the sum of 0.5^(age / half-life). */
  private activitySql(rules: CompiledRule[], now: Date, ids?: number[]): Statement {
    const q = new SqlBuilder(this.runner.dialect);
    // "Now" is written into the SQL as a number (it is one), so the age can appear once per rule.
    const ageDays =
      this.runner.dialect === 'sqlite'
        ? `(${now.getTime() / DAY_MS + UNIX_EPOCH_JULIAN_DAY} - julianday("occurredAt"))`
        : `(${now.getTime() / 1000} - EXTRACT(EPOCH FROM "occurredAt")) / 86400.0`;
    const typeText = this.runner.dialect === 'postgres' ? '"type"::text' : '"type"';
    const sums = rules
      .filter((r) => isActivitySignal(r.signal))
      .map((rule) => {
        const types = ACTIVITY_SIGNALS[rule.signal as keyof typeof ACTIVITY_SIGNALS].map((t) => `'${t}'`).join(', ');
        const weight = rule.halfLifeDays ? `exp(-(${ageDays}) * ${LN2 / rule.halfLifeDays})` : '1';
        return `SUM(CASE WHEN ${typeText} IN (${types}) THEN ${weight} ELSE 0 END) AS "r${rule.id}"`;
      });
    const filters = [`"occurredAt" <= ${q.timestamp(now)}`];
    if (ids) filters.push(`"contactId" IN ${q.ids(ids)}`);
    return q.done(
      `SELECT "contactId", MAX("occurredAt") AS "lastAt", SUM(CASE WHEN ${typeText} = 'EMAIL_BOUNCED' THEN 1 ELSE 0 END) AS "bounces"${sums.map((s) => `, ${s}`).join('')}
       FROM "Activity" WHERE ${filters.join(' AND ')} GROUP BY "contactId"`,
    );
  }

  /**
   * Saves the scores in one transaction; a history point is added where the score or grade changed.
   * Answers how many contacts' scores changed.
   */
  async save(results: ScoreResult[], now: Date, everyone: boolean): Promise<number> {
    const previous = new Map<number, { score: number; grade: string }>();
    for (const ids of everyone
      ? [undefined]
      : chunksOf(
          results.map((r) => r.contactId),
          CHUNK,
        )) {
      const q = new SqlBuilder(this.runner.dialect);
      const grade = this.runner.dialect === 'postgres' ? '"grade"::text AS "grade"' : '"grade"';
      const where = ids ? ` WHERE "contactId" IN ${q.ids(ids)}` : '';
      const rows = await this.runner.query<{ contactId: number | bigint; score: number | bigint; grade: string }>(
        q.done(`SELECT "contactId", "score", ${grade} FROM "ContactScore"${where}`),
      );
      for (const row of rows) previous.set(Number(row.contactId), { score: Number(row.score), grade: row.grade });
    }
    const changed = results.filter((r) => {
      const before = previous.get(r.contactId);
      return !before || before.score !== r.score || before.grade !== r.grade;
    });
    const statements = [
      ...chunksOf(results, CHUNK).map((batch) => this.upsertScores(batch, now)),
      ...chunksOf(changed, CHUNK).map((batch) => this.insertHistory(batch, now)),
    ];
    await this.runner.transaction(statements);
    return changed.length;
  }

  /** Rows for contacts deleted meanwhile are left out, so a delete never fails a rescore. */
  private upsertScores(batch: ScoreResult[], now: Date): Statement {
    const q = new SqlBuilder(this.runner.dialect);
    const values = batch.map(
      (r) =>
        `(${q.param(r.contactId, 'int')}, ${q.param(r.score, 'int')}, ${q.param(r.fit, 'int')}, ${q.param(r.engagement, 'int')}, ${q.param(r.grade, '"ScoreGrade"')}, ${q.param(JSON.stringify(r.breakdown), 'jsonb')}, ${q.timestamp(now)})`,
    );
    return q.done(
      `INSERT INTO "ContactScore" ("contactId", "score", "fit", "engagement", "grade", "breakdown", "computedAt")
       SELECT * FROM (VALUES ${values.join(', ')}) AS v WHERE v."column1" IN (SELECT "id" FROM "Contact")
       ON CONFLICT ("contactId") DO UPDATE SET "score" = excluded."score", "fit" = excluded."fit", "engagement" = excluded."engagement",
       "grade" = excluded."grade", "breakdown" = excluded."breakdown", "computedAt" = excluded."computedAt"`,
    );
  }

  private insertHistory(batch: ScoreResult[], now: Date): Statement {
    const q = new SqlBuilder(this.runner.dialect);
    const values = batch.map((r) => `(${q.param(r.contactId, 'int')}, ${q.param(r.score, 'int')}, ${q.param(r.grade, '"ScoreGrade"')}, ${q.timestamp(now)})`);
    return q.done(
      `INSERT INTO "ScoreHistory" ("contactId", "score", "grade", "recordedAt")
       SELECT * FROM (VALUES ${values.join(', ')}) AS v WHERE v."column1" IN (SELECT "id" FROM "Contact")`,
    );
  }
}
