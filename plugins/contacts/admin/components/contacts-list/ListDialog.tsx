import React, { useState } from 'react';
import { Box, Button, Input, Label, Modal, Text } from '@adminjs/design-system';

export interface DialogRequest {
  title: string;
  /** Asks for a value (a tag, a view's name) when set: the input's label. */
  input?: string;
  message?: string;
  confirm: string;
  danger?: boolean;
  onConfirm: (value: string) => void | Promise<void>;
}

/** The admin's own dialog for a value or a confirmation (in place of prompt() and confirm()). */
export const ListDialog: React.FC<{ request: DialogRequest; onClose: () => void }> = ({ request, onClose }) => {
  const [value, setValue] = useState('');
  const ready = !request.input || value.trim() !== '';
  const submit = async () => {
    if (!ready) return;
    onClose();
    await request.onConfirm(value.trim());
  };
  return (
    <Modal title={request.title} onClose={onClose} onOverlayClick={onClose}>
      <form
        data-testid="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        {request.message ? <Text mb="default">{request.message}</Text> : null}
        {request.input ? (
          <>
            <Label>{request.input}</Label>
            <Input
              width={1}
              autoFocus
              value={value}
              onChange={(e: React.ChangeEvent<HTMLInputElement>) => setValue(e.target.value)}
              data-testid="dialog-input"
            />
          </>
        ) : null}
        <Box flex justifyContent="flex-end" mt="lg" style={{ gap: 8 }}>
          <Button type="button" variant="outlined" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" variant={request.danger ? 'danger' : 'contained'} disabled={!ready} data-testid="dialog-confirm">
            {request.confirm}
          </Button>
        </Box>
      </form>
    </Modal>
  );
};
