import pino, { type Logger } from 'pino';

/** JSON logs with stable keys; tokens and secrets are redacted wherever they appear as fields. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'nabaa' },
      // GrammyError carries the request payload: its message texts stay out of the logs.
      redact: {
        paths: [
          'token',
          'BOT_TOKEN',
          '*.token',
          'config.BOT_TOKEN',
          'headers.authorization',
          'err.payload.text',
          'err.payload.caption',
          'err.payload.media',
          'err.payload.reply_markup',
          'err.payload.results',
        ],
        censor: '[redacted]',
      },
    },
    destination ?? pino.destination(2),
  );
}
