import pino, { type Logger } from 'pino';

/** JSON logs with stable keys; tokens and secrets are redacted wherever they appear as fields. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'nabaa' },
      redact: { paths: ['token', 'BOT_TOKEN', '*.token', 'config.BOT_TOKEN', 'headers.authorization'], censor: '[redacted]' },
    },
    destination ?? pino.destination(2),
  );
}
