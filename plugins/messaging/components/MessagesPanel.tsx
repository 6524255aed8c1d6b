import React, { useCallback, useEffect, useState } from 'react';
import { Badge, Box, Button, H4, Input, Label, MessageBox, Text, TextArea } from '@adminjs/design-system';
import { api, when } from '../../../admin/components/api.ts';

type Message = {
  id: number;
  channel: string;
  direction: string;
  status: string;
  subject: string | null;
  text: string | null;
  createdAt: string;
  error: string | null;
};
type Thread = { threadId: string; channel: string; subject: string | null; lastAt: string; messages: Message[] };
type Template = { id: number; name: string; channel: string; purpose: string };
type Preview = { subject?: string; html?: string; text?: string; missing: string[] };

const REFRESH_MS = 10_000;

/** The contact's conversations (refreshed while open, so replies appear without a reload) and a composer. */
const MessagesPanel: React.FC<{ contactId: number; version?: number }> = ({ contactId, version }) => {
  const [threads, setThreads] = useState<Thread[]>([]);
  const [templates, setTemplates] = useState<Template[]>([]);
  const [channel, setChannel] = useState<'EMAIL' | 'SMS'>('EMAIL');
  const [templateId, setTemplateId] = useState<string>('');
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [preview, setPreview] = useState<Preview | null>(null);
  const [notice, setNotice] = useState<{ variant: 'success' | 'danger'; text: string } | null>(null);
  const [sending, setSending] = useState(false);

  const loadThreads = useCallback(() => api<Thread[]>(`/contacts/${contactId}/threads`).then(setThreads, () => undefined), [contactId]);
  useEffect(() => {
    loadThreads();
    const timer = setInterval(loadThreads, REFRESH_MS);
    return () => clearInterval(timer);
  }, [loadThreads, version]);
  useEffect(() => {
    api<Template[]>('/templates').then(setTemplates, () => setTemplates([]));
  }, []);
  useEffect(() => {
    setPreview(null);
    if (!templateId) return;
    api<Preview>(`/templates/${templateId}/preview`, { method: 'POST', body: { contactId } }).then(setPreview, (e) =>
      setNotice({ variant: 'danger', text: e.message }),
    );
  }, [templateId, contactId]);

  const send = async () => {
    setSending(true);
    setNotice(null);
    try {
      const payload = templateId
        ? { contactId, channel, templateId: Number(templateId) }
        : { contactId, channel, body, ...(channel === 'EMAIL' ? { subject } : {}) };
      const sent = await api<Message>('/messages', { method: 'POST', body: payload });
      setNotice({ variant: 'success', text: sent.status === 'QUEUED' ? 'Queued: it will be retried shortly' : 'Sent' });
      setBody('');
      setSubject('');
      setTemplateId('');
      loadThreads();
    } catch (e) {
      setNotice({ variant: 'danger', text: (e as Error).message });
    } finally {
      setSending(false);
    }
  };

  const choices = templates.filter((t) => t.channel === channel);
  return (
    <Box mt="lg" pt="lg" style={{ borderTop: '1px solid #eee' }} data-testid="messages-panel">
      <H4>Messages</H4>
      {threads.length === 0 && <Text variant="sm">No messages yet.</Text>}
      {threads.map((thread) => (
        <Box key={thread.threadId} mb="lg" data-testid="message-thread">
          <Text fontWeight="bold">{thread.channel === 'SMS' ? `SMS ${thread.threadId.replace(/^sms:/, '')}` : (thread.subject ?? '(no subject)')}</Text>
          {thread.messages.map((m) => (
            <Box
              key={m.id}
              ml={m.direction === 'INBOUND' ? 0 : 'xl'}
              mt="sm"
              p="sm"
              style={{ background: m.direction === 'INBOUND' ? '#f4f6fb' : '#eefaf1', borderRadius: 6 }}
            >
              <Text variant="sm">
                {m.direction === 'INBOUND' ? 'Received' : 'Sent'} {when(m.createdAt)} <Badge size="sm">{m.status}</Badge>
              </Text>
              <Text style={{ whiteSpace: 'pre-wrap' }}>{(m.text ?? '').slice(0, 1_000)}</Text>
              {m.error && (
                <Text variant="sm" color="error">
                  {m.error}
                </Text>
              )}
            </Box>
          ))}
        </Box>
      ))}

      <H4 mt="xl">Compose</H4>
      <Box flex mb="default">
        {(['EMAIL', 'SMS'] as const).map((c) => (
          <Button key={c} size="sm" mr="sm" variant={channel === c ? 'contained' : 'outlined'} onClick={() => (setChannel(c), setTemplateId(''))}>
            {c === 'EMAIL' ? 'Email' : 'SMS'}
          </Button>
        ))}
      </Box>
      <Label htmlFor="message-template">Template</Label>
      <select id="message-template" value={templateId} onChange={(e) => setTemplateId(e.target.value)} style={{ width: '100%', padding: 8, marginBottom: 12 }}>
        <option value="">No template: write the message</option>
        {choices.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name} ({t.purpose.toLowerCase()})
          </option>
        ))}
      </select>
      {templateId && preview && (
        <Box mb="default" p="default" style={{ border: '1px solid #ddd', borderRadius: 6 }} data-testid="message-preview">
          {preview.missing.length > 0 && (
            <MessageBox variant="danger" message={`No value for ${preview.missing.map((m) => `{{${m}}}`).join(', ')}: this contact cannot get this template`} />
          )}
          {preview.subject && <Text fontWeight="bold">{preview.subject}</Text>}
          <Text style={{ whiteSpace: 'pre-wrap' }}>{preview.text ?? ''}</Text>
        </Box>
      )}
      {!templateId && (
        <>
          {channel === 'EMAIL' && (
            <>
              <Label htmlFor="message-subject">Subject</Label>
              <Input
                id="message-subject"
                width={1}
                mb="default"
                value={subject}
                onChange={(e: React.ChangeEvent<HTMLInputElement>) => setSubject(e.target.value)}
              />
            </>
          )}
          <Label htmlFor="message-body">Message (variables such as {'{{firstName|there}}'} work)</Label>
          <TextArea
            id="message-body"
            width={1}
            rows={5}
            mb="default"
            value={body}
            onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => setBody(e.target.value)}
          />
        </>
      )}
      {notice && <MessageBox variant={notice.variant} message={notice.text} mb="default" />}
      <Button variant="contained" disabled={sending || (!templateId && !body.trim())} onClick={send} data-testid="message-send">
        {sending ? 'Sending…' : 'Send'}
      </Button>
    </Box>
  );
};

export default MessagesPanel;
