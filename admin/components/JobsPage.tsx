import React, { useEffect, useState } from 'react';
import { ApiClient } from 'adminjs';
import { Box, Button, H2, Table, TableBody, TableCell, TableHead, TableRow, Text, MessageBox } from '@adminjs/design-system';

type Run = { id: number; status: string; startedAt: string; finishedAt: string | null; error: string | null; counts: unknown };
type Job = { name: string; title: string; plugin: string; schedule: string; scheduleText: string; description?: string; running: boolean; lastRun: Run | null };
type PageData = { jobs?: Job[]; run?: Run; error?: string };

const api = new ApiClient();

const JobsPage: React.FC = () => {
  const [data, setData] = useState<PageData>({});
  const [busy, setBusy] = useState<string | null>(null);
  const load = (response: { data: unknown }) => setData(response.data as PageData);

  useEffect(() => {
    api.getPage({ pageName: 'jobs' }).then(load);
  }, []);

  const runNow = async (job: string) => {
    setBusy(job);
    try {
      load(await api.getPage({ pageName: 'jobs', method: 'post', data: { job } }));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Box variant="grey">
      <Box variant="white">
        <H2>Scheduled jobs</H2>
        {data.error ? <MessageBox message={data.error} variant="danger" mb="lg" /> : null}
        {data.run ? (
          <MessageBox message={`Run #${data.run.id} finished: ${data.run.status}`} variant={data.run.status === 'SUCCEEDED' ? 'success' : 'danger'} mb="lg" />
        ) : null}
        <Table>
          <TableHead>
            <TableRow>
              <TableCell>Job</TableCell>
              <TableCell>Schedule</TableCell>
              <TableCell>Last run</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {(data.jobs ?? []).map((job) => (
              <TableRow key={job.name} data-testid={`job-${job.name}`}>
                <TableCell>
                  <Text fontWeight="bold">{job.title}</Text>
                  <Text color="grey60">{job.description ?? job.plugin}</Text>
                  <Text color="grey60" fontSize="sm">
                    {job.name}
                  </Text>
                </TableCell>
                <TableCell title={job.schedule}>{job.scheduleText}</TableCell>
                <TableCell>
                  {job.lastRun ? `${job.lastRun.status} at ${new Date(job.lastRun.startedAt).toLocaleString()}` : 'never'}
                  {job.lastRun?.error ? <Text color="error">{job.lastRun.error}</Text> : null}
                </TableCell>
                <TableCell>
                  <Button size="sm" disabled={busy !== null || job.running} onClick={() => runNow(job.name)}>
                    {busy === job.name ? 'Running…' : 'Run now'}
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Box>
    </Box>
  );
};

export default JobsPage;
