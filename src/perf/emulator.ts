import net from 'node:net';
import { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';

/** A free loopback port, for the Bot API emulator the bench, the load test and the tests start. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The Bot API emulator (telegram-test-api), started on a free loopback port.
 * `storeTimeoutS` is how long it keeps messages: longer than the run, or
 * answers vanish before they are counted.
 */
export async function startEmulator(storeTimeoutS = 600): Promise<TelegramServer> {
  const server = new TelegramServer({ port: await freePort(), host: '127.0.0.1', storeTimeout: storeTimeoutS });
  await server.start();
  return server;
}

/**
 * The bot settings that point a bot at the emulator: its token, the emulator
 * as the API root, and long polling (a webhook from the environment would
 * bypass the emulator).
 */
export function emulatorBotEnv(server: TelegramServer, token: string): Record<string, string> {
  return { BOT_TOKEN: token, TELEGRAM_API_ROOT: server.config.apiURL, WEBHOOK_URL: '', WEBHOOK_PORT: '', WEBHOOK_SECRET: '' };
}

/** The chat ids the emulator has stored bot messages for (its storage is untyped). */
export function chatsAnswered(server: TelegramServer): Set<string> {
  return new Set(server.storage.botMessages.map((m) => String((m.message as { chat_id?: number | string }).chat_id)));
}
