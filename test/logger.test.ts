import { Writable } from 'node:stream';
import { GrammyError } from 'grammy';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';

describe('createLogger', () => {
  it('keeps message texts and tokens out of error lines', () => {
    let out = '';
    const sink = new Writable({
      write(chunk, _enc, cb) {
        out += chunk;
        cb();
      },
    });
    const logger = createLogger('info', sink as never);
    const err = new GrammyError(
      "Call to 'sendMessage' failed!",
      { ok: false, error_code: 400, description: 'Bad Request: chat not found' },
      'sendMessage',
      { chat_id: 1, text: 'نص سري للمشترك', reply_markup: { inline_keyboard: [] } },
    );
    logger.error({ err, token: '123:secret' }, 'delivery dropped');
    expect(out).toContain('delivery dropped');
    expect(out).toContain('chat not found');
    expect(out).not.toContain('نص سري');
    expect(out).not.toContain('123:secret');
  });
});
