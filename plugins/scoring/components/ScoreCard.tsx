import React, { useEffect, useState } from 'react';
import { Badge, Box, Text } from '@adminjs/design-system';
import { api } from '../../../admin/components/api.ts';

type Factor = { name: string; kind: string; points: number; detail: string };
type Score = { score: number; grade: string; fit: number; engagement: number; breakdown: Factor[]; history: { score: number; recordedAt: string }[] };

const GRADE_COLORS: Record<string, string> = { A: '#1a7f37', B: '#4caf50', C: '#d4a72c', D: '#e36209', F: '#cf222e' };

function Trend({ history }: { history: Score['history'] }) {
  if (history.length < 2)
    return (
      <Text variant="sm" color="grey60">
        No trend yet
      </Text>
    );
  const width = 160;
  const height = 36;
  const step = width / (history.length - 1);
  const points = history.map((h, i) => `${Math.round(i * step)},${Math.round(height - (h.score / 100) * height)}`).join(' ');
  const change = history[history.length - 1]!.score - history[0]!.score;
  return (
    <Box flex alignItems="center" data-testid="score-trend">
      <svg width={width} height={height} role="img" aria-label={`score trend over ${history.length} changes`}>
        <polyline points={points} fill="none" stroke="#3040d6" strokeWidth={2} />
      </svg>
      <Text ml="default" variant="sm">
        {change >= 0 ? `+${change}` : change} since {new Date(history[0]!.recordedAt).toLocaleDateString()}
      </Text>
    </Box>
  );
}

/** The contact's lead score in the hero: score, grade, what it is made of, and how it moved. */
const ScoreCard: React.FC<{ contactId: number; version?: number }> = ({ contactId, version }) => {
  const [score, setScore] = useState<Score | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    const load = () =>
      api<Score>(`/contacts/${contactId}/score`).then(
        (s) => !cancelled && setScore(s),
        (e) => !cancelled && setError(e.message),
      );
    load();
    // A logged activity is scored shortly after the request; read the score again once it is.
    const again = version ? setTimeout(load, 1500) : undefined;
    return () => {
      cancelled = true;
      clearTimeout(again);
    };
  }, [contactId, version]);

  if (error) return <Text color="error">Score unavailable: {error}</Text>;
  if (!score) return null;
  const widest = Math.max(1, ...score.breakdown.map((f) => Math.abs(f.points)));
  return (
    <Box mt="lg" pt="lg" style={{ borderTop: '1px solid #eee' }} data-testid="score-card">
      <Box flex alignItems="center" mb="default">
        <Text fontSize={32} fontWeight="bold" mr="default" data-testid="score-value">
          {score.score}
        </Text>
        <Badge style={{ background: GRADE_COLORS[score.grade], color: 'white', fontSize: 16 }} data-testid="score-grade">
          Grade {score.grade}
        </Badge>
        <Text ml="lg" variant="sm">
          Fit {score.fit} · Engagement {score.engagement}
        </Text>
        <Box ml="auto">
          <Trend history={score.history} />
        </Box>
      </Box>
      <Box data-testid="score-breakdown">
        {score.breakdown.map((f) => (
          <Box key={`${f.name}-${f.kind}`} flex alignItems="center" mb="sm" title={f.detail}>
            <Text variant="sm" width={200} style={{ flexShrink: 0 }}>
              {f.name}
            </Text>
            <Box width={200} style={{ flexShrink: 0 }}>
              <Box
                height={10}
                style={{ width: `${(Math.abs(f.points) / widest) * 100}%`, background: f.points >= 0 ? '#4caf50' : '#cf222e', borderRadius: 3 }}
              />
            </Box>
            <Text variant="sm" ml="default" style={{ minWidth: 36, textAlign: 'right' }}>
              {f.points > 0 ? `+${f.points}` : f.points}
            </Text>
            <Text variant="sm" ml="default" color="grey60">
              {f.detail}
            </Text>
          </Box>
        ))}
      </Box>
    </Box>
  );
};

export default ScoreCard;
