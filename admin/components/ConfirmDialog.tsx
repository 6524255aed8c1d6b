import React from 'react';
import { Box, Button, Modal } from '@adminjs/design-system';

export interface ConfirmDialogProps {
  title: string;
  /** What will happen, in a sentence. */
  message: string;
  /** The label of the button that goes ahead, e.g. "Revert import". */
  confirmLabel: string;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

/** The admin's own confirmation dialog for a step that cannot be taken back (instead of `window.confirm`). */
export const ConfirmDialog: React.FC<ConfirmDialogProps> = ({ title, message, confirmLabel, busy, onConfirm, onCancel }) => (
  <Modal title={title} subTitle={message} variant="danger" onClose={onCancel} onOverlayClick={onCancel}>
    <Box flex justifyContent="flex-end" mt="xl" data-testid="confirm-dialog">
      <Button mr="default" variant="outlined" onClick={onCancel}>
        Cancel
      </Button>
      <Button variant="danger" disabled={busy} onClick={onConfirm}>
        {busy ? 'Working…' : confirmLabel}
      </Button>
    </Box>
  </Modal>
);
