import { createBot, type Bot } from './bot.js';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { DatabaseInUseError } from './store/database.js';

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
let bot: Bot;
try {
	bot = createBot(config, log);
} catch (error) {
	if (!(error instanceof DatabaseInUseError)) throw error;
	process.stderr.write(`${error.message}\n`);
	log.fatal({ databasePath: config.databasePath }, error.message);
	log.flush();
	process.exit(1);
}

let shuttingDown = false;
async function shutdown(signal: NodeJS.Signals): Promise<void> {
	if (shuttingDown) return;
	shuttingDown = true;
	log.info({ signal }, 'shutting down');
	// An orchestrator kills after its own grace period (Kubernetes: 30 s); every job's state is already
	// written, so exiting on time matters more than waiting for a stuck request.
	setTimeout(() => {
		log.warn('shutdown took over 14 s; exiting anyway (unfinished jobs resume on the next start)');
		log.flush();
		process.exit(0);
	}, 14_000).unref();
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
