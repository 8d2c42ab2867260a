import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger } from 'pino';

const REDACTED = '[redacted]';

/** Structured fields that hold secrets wherever they appear one or two levels deep. */
const REDACT_PATHS = [
	'token',
	'*.token',
	'discordToken',
	'*.discordToken',
	'falKey',
	'*.falKey',
	'credentials',
	'*.credentials',
	'authorization',
	'*.authorization',
	'headers.authorization',
	'*.headers.authorization',
	'headers.Authorization',
	'*.headers.Authorization',
];

/**
 * Keys of discord.js's rate-limit and debug data that carry a webhook or interaction token inside an
 * otherwise useful value (`majorParameter` is "<id>/<token>" on webhook routes), so they are scrubbed
 * rather than blanked, at the depths such data is logged: on its own, under a field, or one level deeper.
 */
const TOKEN_BEARING_KEYS = ['majorParameter', 'route', 'url', 'hash'];
const TOKEN_BEARING_PATHS = TOKEN_BEARING_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

// Secrets also travel inside free text (error messages, URLs in stack traces), which path
// redaction cannot see, so the serialized line is scrubbed as a last step.
const URL_QUERY = /(\bhttps?:\/\/[^\s"'\\?#]+)\?[^\s"'\\#]*/g;
// Interaction tokens are bearer credentials for 15 minutes and sit in these paths.
// A route template (`:id`) may still hold the real token after it.
const INTERACTION_TOKEN_PATH = /(\/(?:webhooks|interactions)\/(?:\d+|:id)\/)(?!:token\b)[^/\s"'\\?#)]+/g;
// A webhook route's major parameter: "<webhook or application id>/<token>", with no leading slash.
const MAJOR_PARAMETER = /^(\d+\/)[^/\s]+/;
const AUTH_SCHEME = /\b(Bot|Bearer|Key) [\w.:-]{8,}/g;

/** Returns text with every known secret, signed-URL query string and interaction token removed. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
	let out = text;
	for (const secret of secrets) {
		if (secret.length >= 6) out = out.split(secret).join(REDACTED);
	}
	return out.replace(URL_QUERY, `$1?${REDACTED}`).replace(INTERACTION_TOKEN_PATH, `$1${REDACTED}`).replace(AUTH_SCHEME, `$1 ${REDACTED}`);
}

/** What a token-bearing key keeps: its value with any token cut out, or nothing when it is not text. */
function censor(value: unknown, path: string[]): unknown {
	const key = path.at(-1) ?? '';
	if (!TOKEN_BEARING_KEYS.includes(key)) return REDACTED;
	if (typeof value !== 'string') return value;
	const scrubbed = value.replace(INTERACTION_TOKEN_PATH, `$1${REDACTED}`);
	return key === 'majorParameter' ? scrubbed.replace(MAJOR_PARAMETER, `$1${REDACTED}`) : scrubbed;
}

export interface LoggerOptions {
	readonly level: string;
	/** Literal secret values (bot token, fal key) to scrub from every line. */
	readonly secrets: readonly string[];
	/** Where lines go; defaults to stdout, pretty-printed when it is a terminal. */
	readonly destination?: DestinationStream;
}

function secretParts(secrets: readonly string[]): string[] {
	// A fal key is "id:secret": either half alone is still sensitive.
	return secrets.flatMap((secret) => [secret, ...secret.split(':')]).filter((part) => part.length >= 6);
}

export function createLogger(options: LoggerOptions): Logger {
	const secrets = secretParts(options.secrets);
	const destination =
		options.destination ??
		(process.stdout.isTTY && process.env['NODE_ENV'] !== 'production'
			? pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' })
			: pino.destination({ dest: 1, sync: false }));
	return pino(
		{
			level: options.level,
			base: { service: 'animate-bot' },
			redact: { paths: [...REDACT_PATHS, ...TOKEN_BEARING_PATHS], censor },
			serializers: { err: pino.stdSerializers.errWithCause },
			hooks: { streamWrite: (line) => scrubSecrets(line, secrets) },
		},
		destination,
	);
}
