import React, { useEffect, useState } from 'react';
import { Box, Button, CheckBox, H4, Input, Label, Text } from '@adminjs/design-system';
import { api } from '../../../../../admin/components/api.ts';
import InlineMessage from './InlineMessage.tsx';

type Task = { id: number; title: string; dueAt: string | null; done: boolean };

/** The contact's tasks: tick one off, or add one with a due date. */
const TasksPanel: React.FC<{ contactId: number; version: number }> = ({ contactId, version }) => {
  const [tasks, setTasks] = useState<Task[]>([]);
  const [title, setTitle] = useState('');
  const [due, setDue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const load = () => api<Task[]>(`/contacts/${contactId}/tasks`).then(setTasks, (e) => setError(e.message));
  useEffect(() => {
    load();
  }, [contactId, version]);

  async function act(fn: () => Promise<unknown>) {
    setError(null);
    try {
      await fn();
      await load();
    } catch (e) {
      setError((e as Error).message);
    }
  }

  function add(e: React.FormEvent) {
    e.preventDefault();
    if (!title.trim()) return setError('Write what needs doing first.');
    return act(async () => {
      await api(`/contacts/${contactId}/tasks`, {
        method: 'POST',
        body: { title: title.trim(), dueAt: due ? new Date(`${due}T09:00`).toISOString() : undefined },
      });
      setTitle('');
      setDue('');
    });
  }

  const overdue = (t: Task) => !t.done && t.dueAt && new Date(t.dueAt) < new Date();
  return (
    <Box variant="white" mb="lg" data-testid="tasks">
      <H4>Tasks ({tasks.filter((t) => !t.done).length} open)</H4>
      {tasks.map((t) => (
        <Box key={t.id} flex alignItems="center" py="sm" data-testid="task">
          <CheckBox id={`task-${t.id}`} checked={t.done} onChange={() => act(() => api(`/tasks/${t.id}`, { method: 'PATCH', body: { done: !t.done } }))} />
          <Label inline htmlFor={`task-${t.id}`} ml="default" style={{ textDecoration: t.done ? 'line-through' : undefined, flexGrow: 1 }}>
            {t.title}
          </Label>
          {t.dueAt ? (
            <Text fontSize="sm" color={overdue(t) ? 'error' : 'grey60'}>
              {new Date(t.dueAt).toLocaleDateString('en-GB', { dateStyle: 'medium' })}
            </Text>
          ) : null}
        </Box>
      ))}
      <Box as="form" flex alignItems="flex-end" mt="default" onSubmit={add} noValidate>
        <Box flexGrow={1} mr="sm">
          <Label htmlFor="task-title">New task</Label>
          <Input id="task-title" width={1} value={title} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setTitle(e.target.value)} />
        </Box>
        <Box mr="sm">
          <Label htmlFor="task-due">Due</Label>
          <Input id="task-due" type="date" value={due} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setDue(e.target.value)} />
        </Box>
        <Button type="submit" size="sm" variant="outlined">
          Add
        </Button>
      </Box>
      <InlineMessage text={error} testId="tasks-error" onClose={() => setError(null)} />
    </Box>
  );
};

export default TasksPanel;
