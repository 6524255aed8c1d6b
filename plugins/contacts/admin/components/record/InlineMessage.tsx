import React, { useEffect, useRef } from 'react';
import { MessageBox } from '@adminjs/design-system';

/** A message shown beside what caused it, scrolled into view when it appears. */
const InlineMessage: React.FC<{ text: string | null; variant?: 'danger' | 'success'; testId?: string; onClose?: () => void }> = ({
  text,
  variant = 'danger',
  testId,
  onClose,
}) => {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (text) box.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [text]);
  if (!text) return null;
  return (
    <div ref={box} role={variant === 'danger' ? 'alert' : 'status'} data-testid={testId}>
      <MessageBox mt="default" message={text} variant={variant} onCloseClick={onClose} />
    </div>
  );
};

export default InlineMessage;
