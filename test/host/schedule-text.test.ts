import { describe, expect, it } from 'vitest';
import { describeSchedule, jobTitle } from '../../server/jobs/schedule-text.js';

describe('schedules in words', () => {
  it.each([
    ['* * * * *', 'every minute'],
    ['*/5 * * * *', 'every 5 minutes'],
    ['*/1 * * * *', 'every minute'],
    ['17 * * * *', 'every hour at :17'],
    ['0 */6 * * *', 'every 6 hours at :00'],
    ['15 3 * * *', 'every day at 03:15'],
    ['0 3 * * 0', 'every Sunday at 03:00'],
    ['0 9 * * 7', 'every Sunday at 09:00'],
    ['30 8 * * 1-5', 'every weekday at 08:30'],
    ['0 4 1 * *', 'every month on the 1st at 04:00'],
    ['0 4 22 * *', 'every month on the 22nd at 04:00'],
    ['0 4 11 * *', 'every month on the 11th at 04:00'],
    ['* * * * * *', 'every second'],
    ['*/10 * * * * *', 'every 10 seconds'],
    ['0 15 3 * * *', 'every day at 03:15'],
  ])('%s reads "%s"', (expression, text) => {
    expect(describeSchedule(expression)).toBe(text);
  });

  it.each(['0 3 * 6 *', '5,35 * * * *', '0 3 * * 1,3', '30 * * * * *', '0 9-17 * * *', 'not a schedule'])(
    'falls back to the expression for %s',
    (expression) => {
      expect(describeSchedule(expression)).toBe(expression);
    },
  );

  it('names a job by what it does', () => {
    expect(jobTitle('contacts.resume-imports')).toBe('Resume imports');
    expect(jobTitle('ai-insights.backfill-embeddings')).toBe('Backfill embeddings');
    expect(jobTitle('dedup.scan')).toBe('Scan');
  });
});
