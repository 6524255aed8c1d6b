import pino, { type Logger } from 'pino';

/** A JSON logger on stdout, or on the given file descriptor (the CLI logs to stderr: 2). */
export function createLogger(level: string, fd = 1): Logger {
  const options = {
    level,
    base: undefined,
    redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]', '*.password', '*.passwordHash', '*.keyHash'],
  };
  return fd === 1 ? pino(options) : pino(options, pino.destination({ fd, sync: true }));
}
