import React, { useEffect, useRef } from 'react';
import { Box, Button, H4, Text } from '@adminjs/design-system';

/** An in-page confirmation: the question, Cancel and the confirming button (Escape cancels). */
const ConfirmDialog: React.FC<{ title: string; message: string; confirmLabel: string; onConfirm: () => void; onCancel: () => void }> = ({
  title,
  message,
  confirmLabel,
  onConfirm,
  onCancel,
}) => {
  const confirm = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    confirm.current?.focus();
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onCancel();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onCancel]);
  return (
    <Box
      style={{ position: 'fixed', inset: 0, background: 'rgba(0,0,0,0.35)', zIndex: 1000, display: 'flex', alignItems: 'center', justifyContent: 'center' }}
      onClick={onCancel}
    >
      <Box
        variant="white"
        p="xl"
        style={{ maxWidth: 480 }}
        role="dialog"
        aria-modal="true"
        aria-label={title}
        data-testid="confirm-dialog"
        onClick={(e: React.MouseEvent) => e.stopPropagation()}
      >
        <H4>{title}</H4>
        <Text mb="xl">{message}</Text>
        <Box flex justifyContent="flex-end">
          <Button mr="default" variant="outlined" onClick={onCancel}>
            Cancel
          </Button>
          <Button ref={confirm} variant="contained" onClick={onConfirm}>
            {confirmLabel}
          </Button>
        </Box>
      </Box>
    </Box>
  );
};

export default ConfirmDialog;
