import { createBot } from './bot.js';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';

// Composition root: config → logger → services/client → signals. Nothing else starts the bot.
let config;
try {
	config = loadConfig();
} catch (error) {
	if (!(error instanceof ConfigError)) throw error;
	// The logger needs the config; a config problem goes to stderr as one readable list.
	process.stderr.write(`${error.message}\n`);
	process.exit(1);
}

const log = createLogger({ level: config.logLevel, secrets: [config.discordToken, config.falKey] });
const bot = createBot(config, log);

let shuttingDown = false;
async function shutdown(signal: NodeJS.Signals): Promise<void> {
	if (shuttingDown) return;
	shuttingDown = true;
	log.info({ signal }, 'shutting down');
	await bot.stop();
	log.info('stopped');
	log.flush();
	process.exit(0);
}
process.on('SIGINT', (signal) => void shutdown(signal));
process.on('SIGTERM', (signal) => void shutdown(signal));
process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled rejection'));

try {
	await bot.start();
} catch (error) {
	log.fatal({ err: error }, 'could not log in to Discord');
	log.flush();
	process.exit(1);
}
