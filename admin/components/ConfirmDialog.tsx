import React, { useEffect, useRef } from 'react';
import { Box, Button, Modal, Text } from '@adminjs/design-system';

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

/**
 * The admin's own confirmation dialog for a step that cannot be taken back (instead of
 * `window.confirm`): the confirming button has the focus, so Enter goes ahead and Escape cancels.
 */
export const ConfirmDialog: React.FC<ConfirmDialogProps> = ({ title, message, confirmLabel, busy, onConfirm, onCancel }) => {
  const confirm = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    confirm.current?.focus();
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onCancel();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onCancel]);
  return (
    <Modal title={title} variant="danger" onClose={onCancel} onOverlayClick={onCancel}>
      <Box data-testid="confirm-dialog" role="alertdialog" aria-label={title}>
        <Text mb="xl">{message}</Text>
        <Box flex justifyContent="flex-end">
          <Button mr="default" variant="outlined" onClick={onCancel}>
            Cancel
          </Button>
          <Button ref={confirm} variant="danger" disabled={busy} onClick={onConfirm}>
            {busy ? 'Working…' : confirmLabel}
          </Button>
        </Box>
      </Box>
    </Modal>
  );
};
