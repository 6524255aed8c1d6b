import React, { useEffect, useState } from 'react';
import { Badge, Box, Button, H2, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@adminjs/design-system';
import { api, when } from '../../../admin/components/api.ts';

type Campaign = { id: number; name: string; status: string; total: number; createdAt: string };
type Report = Campaign & {
  counts: { sent: number; skipped: number; failed: number; pending: number; sending: number; cancelled: number };
  progress: number;
  skipped: { contactId: number; reason: string | null }[];
  failed: { contactId: number; error: string | null }[];
};

/** Campaigns with live progress, and the report of the one chosen (skips and failures per contact). */
const CampaignProgress: React.FC = () => {
  const [campaigns, setCampaigns] = useState<Campaign[]>([]);
  const [chosen, setChosen] = useState<number | null>(null);
  const [report, setReport] = useState<Report | null>(null);

  useEffect(() => {
    const load = () => api<Campaign[]>('/campaigns').then(setCampaigns, () => undefined);
    load();
    const timer = setInterval(load, 3_000);
    return () => clearInterval(timer);
  }, []);
  useEffect(() => {
    if (chosen === null) return;
    const load = () => api<Report>(`/campaigns/${chosen}`).then(setReport, () => undefined);
    load();
    const timer = setInterval(load, 1_000);
    return () => clearInterval(timer);
  }, [chosen]);

  const act = (action: 'pause' | 'resume' | 'cancel') => api<Report>(`/campaigns/${chosen}/${action}`, { method: 'POST' }).then(setReport);
  return (
    <Box variant="grey" data-testid="campaigns-page">
      <Box variant="white" mb="xl">
        <H2>Campaigns</H2>
        <Table>
          <TableHead>
            <TableRow>
              <TableCell>Name</TableCell>
              <TableCell>Status</TableCell>
              <TableCell>Contacts</TableCell>
              <TableCell>Created</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {campaigns.map((c) => (
              <TableRow key={c.id} onClick={() => setChosen(c.id)} style={{ cursor: 'pointer' }}>
                <TableCell>{c.name}</TableCell>
                <TableCell>
                  <Badge>{c.status}</Badge>
                </TableCell>
                <TableCell>{c.total}</TableCell>
                <TableCell>{when(c.createdAt)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Box>
      {report && (
        <Box variant="white" data-testid="campaign-report">
          <H2>{report.name}</H2>
          <Box mb="default" style={{ background: '#eee', height: 12, borderRadius: 6 }}>
            <Box style={{ background: '#3040d6', height: 12, borderRadius: 6, width: `${Math.round(report.progress * 100)}%` }} />
          </Box>
          <Text mb="default">
            {report.status}: {report.counts.sent} sent, {report.counts.skipped} skipped, {report.counts.failed} failed,{' '}
            {report.counts.pending + report.counts.sending} to go of {report.total}
          </Text>
          {report.status === 'RUNNING' && (
            <Button size="sm" mr="sm" onClick={() => act('pause')}>
              Pause
            </Button>
          )}
          {report.status === 'PAUSED' && (
            <Button size="sm" mr="sm" onClick={() => act('resume')}>
              Resume
            </Button>
          )}
          {(report.status === 'RUNNING' || report.status === 'PAUSED') && (
            <Button size="sm" variant="danger" onClick={() => act('cancel')}>
              Cancel
            </Button>
          )}
          {[
            ...report.skipped.map((s) => ({ ...s, kind: 'Skipped', why: s.reason })),
            ...report.failed.map((f) => ({ ...f, kind: 'Failed', why: f.error })),
          ].map((row) => (
            <Text key={`${row.kind}-${row.contactId}`} variant="sm">
              {row.kind} contact {row.contactId}: {row.why}
            </Text>
          ))}
        </Box>
      )}
    </Box>
  );
};

export default CampaignProgress;
